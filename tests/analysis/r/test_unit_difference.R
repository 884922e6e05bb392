# Reference values for tests/analysis/test_unit_difference.py.
# Reproduce: Rscript tests/analysis/r/test_unit_difference.R
# A unit's mean against its wider group (region or organisation, the unit included):
# Welch's t-test of the unit against the rest of the group (R's default t.test); the
# difference shown is mean(unit) - mean(group) = (n_rest / n_group) * (mean(unit) -
# mean(rest)), and its interval is the Welch interval scaled by the same factor.
# The scores below are written out identically in the Python test.

unit   <- c(3.8, 4.2, 4.6, 3.4, 4.0, 4.4, 4.8, 3.6)            # the unit (8 people)
region <- c(3.2, 3.6, 3.0, 4.0, 3.4, 2.8, 3.8, 3.5, 3.1, 3.9)  # the rest of its region
others <- c(3.6, 4.1, 3.3, 3.9, 2.9, 4.4, 3.7, 3.0, 4.2, 3.5,
            3.8, 3.1)                                           # the rest of the organisation

options(digits = 15)
report <- function(label, u, rest) {
  tt <- t.test(u, rest)
  share <- length(rest) / (length(u) + length(rest))
  sp <- sqrt(((length(u) - 1) * var(u) + (length(rest) - 1) * var(rest)) /
               (length(u) + length(rest) - 2))
  cat(label, "\n")
  cat("  difference", mean(u) - mean(c(u, rest)), "\n")
  cat("  ci        ", tt$conf.int * share, "\n")
  cat("  t         ", unname(tt$statistic), "\n")
  cat("  df        ", unname(tt$parameter), "\n")
  cat("  p         ", tt$p.value, "\n")
  cat("  d         ", (mean(u) - mean(rest)) / sp, "\n")
}
report("against region", unit, region)
report("against organisation", unit, c(region, others))
tt90 <- t.test(unit, c(region, others), conf.level = 0.90)
cat("organisation 90% ci", tt90$conf.int * 22 / 30, "\n")
