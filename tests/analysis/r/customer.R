# Reference values for tests/analysis/test_customer.py (nps, grade_summary,
# moments_of_truth).
#
# Reproduce from the repository root:  Rscript tests/analysis/r/customer.R
# Data: the small tables below, written identically in the test module.
options(digits = 12)

# NPS Wald interval; adjusted Wald (Rocks 2016): add 3/4 detractor, 3/2 passive,
# 3/4 promoter (the default pseudo-observations of Rocks' R package NPS).
nps_ci <- function(x, adjusted = FALSE, conf = 0.95) {
  x <- x[!is.na(x)]
  n <- length(x); P <- sum(x >= 9); D <- sum(x <= 6)
  if (adjusted) { P <- P + 0.75; D <- D + 0.75; n <- n + 3 }
  p <- P / n; d <- D / n
  se <- sqrt((p + d - (p - d)^2) / n)
  z <- qnorm(1 - (1 - conf) / 2)
  100 * c(nps = sum(x >= 9) / length(x) - sum(x <= 6) / length(x), se = se,
          low = max(p - d - z * se, -1), high = min(p - d + z * se, 1))
}
ltr <- c(10, 9, 9, 8, 7, 7, 6, 5, 10, 3, 9, 8, NA, 10, 0, 9, 7, 8, 9, 10)
cat("wald:", format(nps_ci(ltr), digits = 12), "\n")
cat("adjusted wald:", format(nps_ci(ltr, TRUE), digits = 12), "\n")
cat("wald 90%:", format(nps_ci(ltr, FALSE, 0.90), digits = 12), "\n")
all_promoters <- c(9, 10, 10, 9, 10)
cat("all promoters wald:", format(nps_ci(all_promoters), digits = 12), "\n")
cat("all promoters adjusted:", format(nps_ci(all_promoters, TRUE), digits = 12), "\n")

grades <- c(7, 8, 8, 9, 6, 7, 10, 8, NA, 5, 7, 8, 9, 8, 7, 6, 8, 9, NA, 7)
g <- na.omit(grades)
tt <- t.test(g)
cat("grade mean, sd, se, ci:", format(c(mean(g), sd(g), sd(g) / sqrt(length(g)),
                                          tt$conf.int), digits = 12), "\n")
print(table(factor(g, levels = 1:10)))
cat("share >= 8:", mean(g >= 8), "\n")

mot <- data.frame(
  unit = c("a", "a", "a", "a", "b", "b", "b", "b", "b"),
  intake = c(8, 9, 7, 8, 6, 7, NA, 8, 7),
  pickup = c(7, NA, 8, 9, 9, 8, 7, NA, 6)
)
for (a in c("intake", "pickup")) {
  v <- na.omit(mot[[a]]); t1 <- t.test(v)
  cat(a, "all:", format(c(length(v), mean(v), sd(v), t1$conf.int), digits = 12), "\n")
  for (u in c("a", "b")) {
    v <- na.omit(mot[[a]][mot$unit == u]); t1 <- t.test(v)
    cat(a, u, ":", format(c(length(v), mean(v), sd(v), t1$conf.int), digits = 12), "\n")
  }
}
