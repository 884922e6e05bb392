# Reference values for tests/analysis/test_mirror.py.
# Reproduce: Rscript tests/analysis/r/test_mirror.R
# The small mirror-survey table below is written out identically in the Python test.
# Welch two-sample t-test (R default of t.test) of customer ratings against employees'
# predictions per aspect; Cohen's d with the pooled SD, computed from its formula.

cust <- list(
  intake        = c(7, 8, 6, 9, 8),
  pickup        = c(8, 9, 9, 7, 8, 9),
  communication = c(6, 5, 7, 6)
)
emp <- list(
  intake        = c(9, 9, 8, 10),
  pickup        = c(7, 6, 7, 8, 6),
  communication = c(6, 7, 5)
)

pooled_d <- function(x, y) {
  sp <- sqrt(((length(x) - 1) * var(x) + (length(y) - 1) * var(y)) /
               (length(x) + length(y) - 2))
  (mean(x) - mean(y)) / sp
}

options(digits = 15)
for (a in names(cust)) {
  tt <- t.test(cust[[a]], emp[[a]])
  cat(a, "\n")
  cat("  gap   ", unname(tt$estimate[1] - tt$estimate[2]), "\n")
  cat("  t     ", unname(tt$statistic), "\n")
  cat("  df    ", unname(tt$parameter), "\n")
  cat("  p     ", tt$p.value, "\n")
  cat("  ci    ", tt$conf.int[1], tt$conf.int[2], "\n")
  cat("  d     ", pooled_d(cust[[a]], emp[[a]]), "\n")
  tt90 <- t.test(cust[[a]], emp[[a]], conf.level = 0.90)
  cat("  ci90  ", tt90$conf.int[1], tt90$conf.int[2], "\n")
}
