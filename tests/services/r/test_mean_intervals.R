# The 95% intervals of a unit's mean (tests/services/test_mean_intervals.py).
# Run: Rscript tests/services/r/test_mean_intervals.R
team_a <- c(4.2, 3.8, 3.5, 4.0, 4.6, 3.9)
team_b <- c(3.1, 3.6, 2.9, 3.4, 3.8)
location <- c(team_a, team_b)
for (x in list(team_a, team_b, location)) {
  ci <- t.test(x)$conf.int
  cat(sprintf("%.10f %.10f %.10f\n", mean(x), ci[1], ci[2]))
}
