"""A unit against its region and the organisation (R: t.test of the unit against the rest,
Welch, the interval scaled to the difference with the whole group)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis._twosample import welch_test
from spiegel.analysis.unit_difference import unit_against_group, unit_differences_from_moments

UNIT = [3.8, 4.2, 4.6, 3.4, 4.0, 4.4, 4.8, 3.6]
REGION_REST = [3.2, 3.6, 3.0, 4.0, 3.4, 2.8, 3.8, 3.5, 3.1, 3.9]
OTHERS = [3.6, 4.1, 3.3, 3.9, 2.9, 4.4, 3.7, 3.0, 4.2, 3.5, 3.8, 3.1]

# R (Rscript tests/analysis/r/test_unit_difference.R):
#   tt <- t.test(unit, rest); share <- length(rest) / (length(unit) + length(rest))
#   mean(unit) - mean(c(unit, rest)); tt$conf.int * share; tt$statistic, $parameter,
#   $p.value; Cohen's d with the pooled SD
R_REGION = dict(
    difference=0.372222222222222, ci_low=0.115199738150826, ci_high=0.629244706293618,
    t=3.11599821004268, df=13.5413373112036, p=0.0078503832387994, d=1.51217072424636,
)  # fmt: skip
R_ORGANISATION = dict(
    difference=0.413333333333333, ci_low=0.0957323896945326, ci_high=0.730934276972134,
    t=2.84675352321298, df=11.588937620305, p=0.0151665027495393, d=1.22466522613893,
)  # fmt: skip
# R: t.test(unit, c(region, others), conf.level = 0.90)$conf.int * 22 / 30
R_ORGANISATION_CI90 = (0.15378781297288, 0.672878853693787)


def _check(res: object, ref: dict[str, float]) -> None:
    for key, expected in ref.items():
        got = float(getattr(res, key)[0])
        assert got == pytest.approx(expected, abs=1e-9), key


@pytest.mark.r_reference
def test_unit_against_its_region_matches_r() -> None:
    _check(unit_against_group(np.array(UNIT), np.array(REGION_REST)), R_REGION)


@pytest.mark.r_reference
def test_unit_against_the_organisation_matches_r() -> None:
    rest = np.array(REGION_REST + OTHERS)
    _check(unit_against_group(np.array(UNIT), rest), R_ORGANISATION)
    res = unit_against_group(np.array(UNIT), rest, level=0.90)
    assert (float(res.ci_low[0]), float(res.ci_high[0])) == pytest.approx(
        R_ORGANISATION_CI90, abs=1e-9
    )


def test_from_moments_of_many_units_at_once() -> None:
    unit, rest = np.array(UNIT), np.array(REGION_REST + OTHERS)
    group = np.concatenate([unit, rest])
    region = np.concatenate([unit, np.array(REGION_REST)])
    res = unit_differences_from_moments(
        np.array([unit.size, unit.size]),
        np.array([unit.mean(), unit.mean()]),
        np.array([unit.var(ddof=1)] * 2),
        np.array([region.size, group.size]),
        np.array([region.mean(), group.mean()]),
        np.array([region.var(ddof=1), group.var(ddof=1)]),
    )
    assert res.difference == pytest.approx([R_REGION["difference"], R_ORGANISATION["difference"]])
    assert res.ci_low == pytest.approx([R_REGION["ci_low"], R_ORGANISATION["ci_low"]])
    assert list(res.n_rest) == [10, 22]


def test_a_unit_that_is_the_whole_group_has_no_interval() -> None:
    res = unit_against_group(np.array(UNIT), np.array([]))
    assert res.n_rest[0] == 0
    assert np.isnan(res.ci_low[0]) and np.isnan(res.p[0])


def test_constant_data_has_no_test() -> None:
    res = unit_against_group(np.array([4.0, 4.0, 4.0]), np.array([4.0, 4.0, 4.0, 4.0]))
    assert np.isnan(res.t[0]) and np.isnan(res.ci_low[0])
    assert res.difference[0] == 0.0


def test_a_bad_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        unit_against_group(np.array(UNIT), np.array(OTHERS), level=1.5)


scores = st.lists(
    st.floats(1, 5, allow_nan=False).map(lambda x: round(x, 2)), min_size=2, max_size=30
)


@settings(max_examples=60, deadline=None)
@given(scores, scores)
def test_moments_of_the_rest_are_those_of_the_rest(unit: list[float], rest: list[float]) -> None:
    """The rest's moments worked out from the group's equal those of the rest itself: the
    test is Welch's test of the unit against the rest, the difference is against the
    group, and the interval holds the difference exactly when the rest's interval holds
    the unit-minus-rest difference."""
    u, r = np.array(unit), np.array(rest)
    res = unit_against_group(u, r)
    direct = welch_test(u, r)
    if np.isnan(direct.t):
        assert np.isnan(res.t[0])
        return
    assert res.t[0] == pytest.approx(direct.t, rel=1e-6, abs=1e-6)
    assert res.df[0] == pytest.approx(direct.df, rel=1e-6)
    share = r.size / (u.size + r.size)
    assert res.difference[0] == pytest.approx(u.mean() - np.concatenate([u, r]).mean(), abs=1e-9)
    assert res.ci_low[0] == pytest.approx(direct.ci_low * share, rel=1e-6, abs=1e-9)
    assert res.ci_low[0] <= res.difference[0] <= res.ci_high[0]
