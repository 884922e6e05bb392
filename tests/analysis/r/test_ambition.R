# Reference values for tests/analysis/test_ambition.py (reachable_target).
# Reproduce: Rscript tests/analysis/r/test_ambition.R
# The unit table is written out identically in the Python test. The OLS line comes from
# lm(), the model-based grade from predict(), the peer benchmark from quantile() (type 7,
# R's default); the combination rule is the documented one:
#   x*        = max(x, min(x + 0.5, quantile(peer engagement, 0.9)))
#   model     = grade + predict(fit, x*) - predict(fit, x)
#   reachable = max(grade, min(model, quantile(peer grade, 0.9)))
# Peer group "school" has one unit (< min_peers = 3), so J is compared with all units.

u <- data.frame(
  unit   = c("A", "B", "C", "D", "E", "F", "G", "H", "I", "J"),
  type   = c(rep("daycare", 5), rep("afterschool", 4), "school"),
  eng    = c(3.2, 3.6, 3.9, 4.2, 4.5, 3.0, 3.4, 3.8, NA, 3.5),
  grade  = c(7.0, 7.3, 7.6, 8.1, 8.3, 6.8, 7.2, 7.1, 7.4, 7.0),
  target = c(9.0, 7.5, 8.0, 8.1, NA, 7.0, 7.6, 8.5, 8.0, 7.2)
)

options(digits = 15)
fit <- lm(grade ~ eng, data = u)            # na.action = na.omit drops unit I
print(summary(fit)$coefficients)
cat("r.squared", summary(fit)$r.squared, "\n")

q <- 0.9
peer <- ifelse(u$type == "school", NA, u$type)
q_eng <- q_grade <- numeric(nrow(u))
for (i in seq_len(nrow(u))) {
  in_group <- if (is.na(peer[i])) rep(TRUE, nrow(u)) else (!is.na(peer) & peer == peer[i])
  q_eng[i] <- quantile(u$eng[in_group], q, na.rm = TRUE)
  q_grade[i] <- quantile(u$grade[in_group], q, na.rm = TRUE)
}
x_star <- pmax(u$eng, pmin(u$eng + 0.5, q_eng))
model <- u$grade + predict(fit, data.frame(eng = x_star)) - predict(fit, data.frame(eng = u$eng))
reachable <- pmax(u$grade, pmin(model, q_grade))
shortfall <- pmax(u$target - reachable, 0)
print(data.frame(unit = u$unit, x_star, model, bench = q_grade, reachable, shortfall))

# Outcome clipped to the 1-10 grade scale: not needed here (all below 10).

# Without peer groups every unit is compared with all units:
cat("all units: quantile(grade, .9) =", quantile(u$grade, q),
    " quantile(eng, .9) =", quantile(u$eng, q, na.rm = TRUE), "\n")
