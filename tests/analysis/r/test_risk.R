# Reference values for tests/analysis/test_risk.py (risk_outcome_link).
# Reproduce: Rscript tests/analysis/r/test_risk.R
# The unit table is written out identically in the Python test. Risk levels are those
# risk_flags gives with the default thresholds (dissonance >= 3.5 or exhaustion >= 3.5,
# recovery <= 2.5); they are hand-checked in the Python test.

u <- data.frame(
  unit        = c("A", "B", "C", "D", "E", "F", "G", "H", "I"),
  dissonance  = c(3.0, 3.6, 2.5, 3.8, 2.0, 3.5, NA, 2.8, 3.0),
  exhaustion  = c(3.9, 3.0, 2.8, 3.7, 2.2, 2.0, 3.6, 3.1, 3.4),
  recovery    = c(2.4, 3.0, 3.5, 2.0, 2.5, 3.8, NA, 3.2, 2.6),
  absenteeism = c(8.1, 5.2, 4.0, 9.0, 4.5, 3.9, 6.0, NA, 3.6),
  turnover    = c(0.18, 0.10, 0.08, 0.22, 0.07, 0.09, 0.12, 0.11, 0.05)
)
u$risk_level <- c("high", "watch", "none", "high", "watch", "watch", "watch", "none", "none")
code <- c(none = 0, watch = 1, high = 2)

options(digits = 15)
show <- function(label, y, flag, score) {
  keep <- !is.na(y) & !is.na(score)
  y <- y[keep]; flag <- flag[keep]; score <- score[keep]
  tt <- t.test(y[flag], y[!flag])
  ct <- cor.test(score, y)
  cat(label, "\n")
  cat("  n      ", length(y), "\n")
  cat("  means  ", tt$estimate, "\n")
  cat("  t df p ", tt$statistic, tt$parameter, tt$p.value, "\n")
  cat("  ci     ", tt$conf.int, "\n")
  cat("  r p    ", ct$estimate, ct$p.value, "\n")
  cat("  r ci   ", ct$conf.int, "\n")
}

# risk_level "high" vs the rest, absenteeism; score = level code.
show("level_absenteeism", u$absenteeism, u$risk_level == "high", code[u$risk_level])
# exhaustion >= 3.5 vs the rest, turnover; score = exhaustion.
show("exhaustion_turnover", u$turnover, u$exhaustion >= 3.5, u$exhaustion)
# recovery <= 2.5 vs the rest, absenteeism; score = recovery.
show("recovery_absenteeism", u$absenteeism, u$recovery <= 2.5, u$recovery)
