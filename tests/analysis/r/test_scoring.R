# Cross-check for tests/analysis/test_scoring.py (the expected values there are computed
# by hand; this shows psych agrees when every answered respondent is scored).
#
# Reproduce:  Rscript tests/analysis/r/test_scoring.R
# Data: the small table below (the vigor items of the test). R 4.x, psych 2.2.9.
suppressPackageStartupMessages(library(psych))
x <- data.frame(v1 = c(5, 4, NA, NA, 1), v2 = c(4, NA, NA, 3, 1), v3 = c(1, 2, NA, NA, 5))
keys <- list(vigor = c("v1", "v2", "-v3"))
s <- scoreItems(keys, x, totals = FALSE, impute = "none", min = 1, max = 5)
print(s$scores, digits = 12)
# vigor: 4.666666666667 4 NaN 3 1
# = score_scales(x, {"vigor": ScaleSpec(("v1","v2","v3"), frozenset({"v3"}), 1, 5)},
#                min_share=0.01); with the default min_share = 0.5 respondent 4 (1 of 3
# items answered) gets NaN instead of 3.
