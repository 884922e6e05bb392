"""Customer metrics against R (tests/analysis/r/customer.R) and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import grade_summary, moments_of_truth, nps

pytestmark = pytest.mark.r_reference

LTR = [10, 9, 9, 8, 7, 7, 6, 5, 10, 3, 9, 8, np.nan, 10, 0, 9, 7, 8, 9, 10]
GRADES = [7, 8, 8, 9, 6, 7, 10, 8, np.nan, 5, 7, 8, 9, 8, 7, 6, 8, 9, np.nan, 7]
MOT = pd.DataFrame(
    {
        "unit": ["a", "a", "a", "a", "b", "b", "b", "b", "b"],
        "intake": [8, 9, 7, 8, 6, 7, np.nan, 8, 7],
        "pickup": [7, np.nan, 8, 9, 9, 8, 7, np.nan, 6],
    }
)


def test_nps_wald_matches_r() -> None:
    # R: nps_ci(ltr)  -> 26.31578947368 17.99061815084 -8.94517416157 61.57675310894
    r = nps(LTR)
    assert r.nps == pytest.approx(26.31578947368, abs=1e-9)
    assert r.se == pytest.approx(17.99061815084, abs=1e-9)
    assert r.ci_low == pytest.approx(-8.94517416157, abs=1e-9)
    assert r.ci_high == pytest.approx(61.57675310894, abs=1e-9)
    assert (r.n, r.promoters, r.passives, r.detractors, r.n_dropped) == (19, 9, 6, 4, 1)


def test_nps_adjusted_wald_matches_r() -> None:
    # R: nps_ci(ltr, adjusted = TRUE) -> 26.31578947368 16.61650352304 -9.84047572688
    #    55.29502118142
    r = nps(LTR, method="adjusted_wald")
    assert r.nps == pytest.approx(26.31578947368, abs=1e-9)
    assert r.se == pytest.approx(16.61650352304, abs=1e-9)
    assert r.ci_low == pytest.approx(-9.84047572688, abs=1e-9)
    assert r.ci_high == pytest.approx(55.29502118142, abs=1e-9)


def test_nps_level() -> None:
    # R: nps_ci(ltr, FALSE, 0.90) -> ... -3.27614404282 55.90772299019
    r = nps(LTR, level=0.90)
    assert (r.ci_low, r.ci_high) == pytest.approx((-3.27614404282, 55.90772299019), abs=1e-9)


def test_nps_all_promoters() -> None:
    # R: nps_ci(c(9,10,10,9,10)) -> 100 0 100 100;
    #    adjusted -> 100 22.9639663386 17.4914530342 100 (upper end clipped)
    wald = nps([9, 10, 10, 9, 10])
    assert (wald.nps, wald.se, wald.ci_low, wald.ci_high) == (100.0, 0.0, 100.0, 100.0)
    adj = nps([9, 10, 10, 9, 10], method="adjusted_wald")
    assert adj.se == pytest.approx(22.9639663386, abs=1e-9)
    assert adj.ci_low == pytest.approx(17.4914530342, abs=1e-9)
    assert adj.ci_high == 100.0


@pytest.mark.parametrize("bad", [[5, 11], [-1, 3], [7.5, 8], [1, 2, 3.2]])
def test_nps_rejects_out_of_range(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        nps(bad)


def test_nps_rejects_bad_options_and_empty() -> None:
    with pytest.raises(ValueError, match="method"):
        nps([9, 10], method="bootstrap")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="level"):
        nps([9, 10], level=1.5)
    with pytest.raises(ValueError, match="no non-missing"):
        nps([np.nan, np.nan])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=200),
    st.sampled_from(["wald", "adjusted_wald"]),
    st.floats(min_value=0.5, max_value=0.999),
)
def test_nps_bounds_and_interval_property(scores: list[int], method: str, level: float) -> None:
    r = nps(scores, method=method, level=level)  # type: ignore[arg-type]
    assert -100.0 <= r.nps <= 100.0
    assert -100.0 <= r.ci_low <= r.ci_high <= 100.0
    assert r.promoters + r.passives + r.detractors == r.n == len(scores)
    if method == "wald":
        assert r.ci_low - 1e-9 <= r.nps <= r.ci_high + 1e-9
    else:
        # The adjusted interval is centred on the adjusted score (P + 3/4 - D - 3/4)/(n + 3),
        # which it always contains; with very few answers it can miss the observed score.
        centre = 100.0 * (r.promoters - r.detractors) / (r.n + 3)
        assert r.ci_low - 1e-9 <= centre <= r.ci_high + 1e-9


def test_adjusted_wald_can_miss_the_observed_score_with_one_answer() -> None:
    # n = 1 detractor: centre (0.75 - 1.75) / 4 = -0.25, se 0.375 -> [-98.5, 48.5] at 95%
    r = nps([0], method="adjusted_wald")
    assert r.nps == -100.0
    assert r.ci_low == pytest.approx(100 * (-0.25 - 1.959963984540054 * 0.375))


def test_grade_summary_matches_r() -> None:
    # R: g <- na.omit(grades); t.test(g); sd(g); table(factor(g, levels = 1:10))
    #    -> 7.611111111111 1.243282604232 0.293044520128 6.992841217546 8.229381004676
    r = grade_summary(GRADES)
    assert r.n == 18 and r.n_dropped == 2
    assert r.mean == pytest.approx(7.611111111111, abs=1e-9)
    assert r.sd == pytest.approx(1.243282604232, abs=1e-9)
    assert r.se == pytest.approx(0.293044520128, abs=1e-9)
    assert (r.ci_low, r.ci_high) == pytest.approx((6.992841217546, 8.229381004676), abs=1e-9)
    assert r.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 2, 7: 5, 8: 6, 9: 3, 10: 1}
    assert r.share_8_plus == pytest.approx(0.555555555556, abs=1e-9)


def test_grade_summary_rejects_zero_and_eleven() -> None:
    with pytest.raises(ValueError, match="1 to 10"):
        grade_summary([0, 7, 8])
    with pytest.raises(ValueError, match="1 to 10"):
        grade_summary([11, 7, 8])


def test_grade_summary_single_grade_has_no_interval() -> None:
    r = grade_summary([8])
    assert r.mean == 8.0 and np.isnan(r.sd) and np.isnan(r.ci_low)


def test_moments_of_truth_overall_matches_r() -> None:
    # R: t.test(na.omit(mot$intake)) -> n 8, mean 7.5, sd 0.925820099773,
    #    ci 6.725995026925 8.274004973075; pickup -> 7, 7.71428571429, 1.11269728053,
    #    6.68521236522 8.74335906335
    r = moments_of_truth(MOT, ["intake", "pickup"]).set_index("aspect")
    assert r.loc["intake", "n"] == 8 and r.loc["intake", "n_dropped"] == 1
    assert r.loc["intake", "mean"] == pytest.approx(7.5)
    assert r.loc["intake", "sd"] == pytest.approx(0.925820099773, abs=1e-9)
    assert r.loc["intake", "ci_low"] == pytest.approx(6.725995026925, abs=1e-9)
    assert r.loc["intake", "ci_high"] == pytest.approx(8.274004973075, abs=1e-9)
    assert r.loc["pickup", "n"] == 7 and r.loc["pickup", "n_dropped"] == 2
    assert r.loc["pickup", "ci_low"] == pytest.approx(6.68521236522, abs=1e-9)
    assert r.loc["pickup", "ci_high"] == pytest.approx(8.74335906335, abs=1e-9)


def test_moments_of_truth_per_unit_matches_r() -> None:
    # R: t.test(na.omit(mot$pickup[mot$unit == "a"])) -> 3, 8, 1, 5.51586228825 10.48413771175
    #    t.test(na.omit(mot$intake[mot$unit == "b"])) -> 4, 7, 0.816496580928,
    #    5.700771736375 8.299228263625
    r = moments_of_truth(MOT, ["intake", "pickup"], unit="unit").set_index(["aspect", "unit"])
    assert len(r) == 4
    assert r.loc[("pickup", "a"), "n"] == 3
    assert r.loc[("pickup", "a"), "ci_low"] == pytest.approx(5.51586228825, abs=1e-9)
    assert r.loc[("pickup", "a"), "ci_high"] == pytest.approx(10.48413771175, abs=1e-9)
    assert r.loc[("intake", "b"), "sd"] == pytest.approx(0.816496580928, abs=1e-9)
    assert r.loc[("intake", "b"), "ci_low"] == pytest.approx(5.700771736375, abs=1e-9)
    assert r.loc[("intake", "b"), "n_dropped"] == 1


def test_moments_of_truth_counts_rows_without_unit() -> None:
    data = MOT.copy()
    data.loc[0, "unit"] = None
    r = moments_of_truth(data, ["intake"], unit="unit")
    assert r.attrs["n_dropped_unit"] == 1
    assert r.set_index("unit").loc["a", "n"] == 3


def test_moments_of_truth_validates_columns() -> None:
    with pytest.raises(ValueError, match="'speed'"):
        moments_of_truth(MOT, ["intake", "speed"])
    with pytest.raises(ValueError, match="numeric"):
        moments_of_truth(MOT, ["unit"])
    with pytest.raises(ValueError, match="at least one"):
        moments_of_truth(MOT, [])
