# Reference values for tests/analysis/test_feedback360.py (a cross-check of the
# hand-computed figures in that test).
# Reproduce: Rscript tests/analysis/r/test_feedback360.R
# Self score = mean of self-ratings; per rater group mean; "others" = mean of all
# non-self ratings pooled; gap = self - others.

r <- data.frame(
  person = "ann",
  competency = rep(c("listening", "planning", "coaching", "innovation", "feedback",
                     "teamwork"), times = c(5, 4, 4, 4, 4, 4)),
  rater_group = c("self", "peer", "peer", "manager", "customer",
                  "self", "peer", "peer", "manager",
                  "self", "peer", "peer", "manager",
                  "self", "peer", "peer", "manager",
                  "self", "peer", "peer", "manager",
                  "self", "peer", "peer", "manager"),
  value = c(3, 4, 5, 5, 5,
            4, 4, 4, 4,
            5, 3, 3, 4,
            4.5, 4.5, 4, 5,
            2, 2, 3, 2,
            4, 4, NA, 4)
)
r <- r[!is.na(r$value), ]
options(digits = 15)
by_group <- aggregate(value ~ competency + rater_group, data = r, FUN = mean)
print(by_group[order(by_group$competency, by_group$rater_group), ])
others <- aggregate(value ~ competency, data = r[r$rater_group != "self", ], FUN = mean)
self <- aggregate(value ~ competency, data = r[r$rater_group == "self", ], FUN = mean)
m <- merge(self, others, by = "competency", suffixes = c("_self", "_others"))
m$gap <- m$value_self - m$value_others
m$rank_others <- rank(-m$value_others, ties.method = "min")
print(m[order(-m$value_others), ])
