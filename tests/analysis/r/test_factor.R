# Reference values for tests/analysis/test_factor.py.
#
# Reproduce:  Rscript tests/analysis/r/test_factor.R
# Data: lavaan::HolzingerSwineford1939, identical (checked below) to the copy that ships
# with the PyPI package semopy (semopy.examples.holzinger39.get_data()). To check that,
# first write the Python copy to /tmp:
#   uv run python -c "from semopy.examples import holzinger39 as h; h.get_data().to_csv('/tmp/hs_semopy.csv', index=False)"
# R 4.x, lavaan 0.6-14.
suppressPackageStartupMessages(library(lavaan))
options(digits = 12)
show <- function(x) print(if (is.data.frame(x)) as.data.frame(x) else unclass(x), digits = 10)

H <- HolzingerSwineford1939
if (file.exists("/tmp/hs_semopy.csv")) {
  d <- read.csv("/tmp/hs_semopy.csv")
  stopifnot(max(abs(as.matrix(d[, paste0("x", 1:9)]) - as.matrix(H[, paste0("x", 1:9)]))) == 0)
  cat("semopy copy identical to lavaan's data\n")
}

HS.model <- " visual  =~ x1 + x2 + x3
              textual =~ x4 + x5 + x6
              speed   =~ x7 + x8 + x9 "
fit <- cfa(HS.model, data = HolzingerSwineford1939)
show(fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea",
                         "rmsea.ci.lower", "rmsea.ci.upper", "srmr", "ntotal")))
pe <- parameterEstimates(fit, standardized = TRUE)
show(pe[pe$op == "=~", c("lhs", "rhs", "est", "se", "std.all")])

# With missing values: blank 5 cells, lavaan's default ML drops those rows listwise.
H2 <- HolzingerSwineford1939
H2$x1[c(1, 2)] <- NA
H2$x5[c(2, 10)] <- NA
H2$x9[300] <- NA
fit2 <- cfa(HS.model, data = H2)
print(lavInspect(fit2, "nobs"))
show(fitMeasures(fit2, c("chisq", "df", "cfi", "tli", "rmsea", "srmr")))

# A one-factor model on the three speed items (just identified: df = 0).
fit3 <- cfa("speed =~ x7 + x8 + x9", data = HolzingerSwineford1939)
show(fitMeasures(fit3, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")))
pe3 <- parameterEstimates(fit3, standardized = TRUE)
show(pe3[pe3$op == "=~", c("lhs", "rhs", "est", "se", "std.all")])
