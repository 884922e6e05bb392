"""Mirror gaps: customers' ratings versus employees' predictions (R: t.test, Welch)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import mirror_gaps

CUST = {
    "intake": [7, 8, 6, 9, 8],
    "pickup": [8, 9, 9, 7, 8, 9],
    "communication": [6, 5, 7, 6],
}
EMP = {
    "intake": [9, 9, 8, 10],
    "pickup": [7, 6, 7, 8, 6],
    "communication": [6, 7, 5],
}

# R (tests/analysis/r/test_mirror.R): t.test(cust[[a]], emp[[a]]) and pooled-SD Cohen's d.
R_REF = {
    "intake": dict(
        gap=-1.4, t=-2.14330352493528, df=6.95908254282882, p=0.0695243694990824,
        ci_low=-2.94640900853158, ci_high=0.146409008531583, d=-1.38041861605658,
    ),
    "pickup": dict(
        gap=1.53333333333333, t=3.0598744840936, df=8.55687719886078, p=0.0143941978004998,
        ci_low=0.390732093126897, ci_high=2.67593457353977, d=1.85741756210067,
    ),
    "communication": dict(
        gap=0.0, t=0.0, df=3.85714285714286, p=1.0,
        ci_low=-1.99225479670281, ci_high=1.99225479670281, d=0.0,
    ),
}  # fmt: skip
# R: t.test(cust$intake, emp$intake, conf.level = 0.90)$conf.int
R_INTAKE_CI90 = (-2.6386291591013, -0.161370840898699)


def _long(data: Mapping[str, Sequence[float]], unit: str | None = None) -> pd.DataFrame:
    rows = [(a, float(v)) for a, vals in data.items() for v in vals]
    df = pd.DataFrame(rows, columns=["aspect", "value"]).astype({"value": float})
    if unit is not None:
        df.insert(0, "unit", unit)
    return df


@pytest.mark.r_reference
def test_matches_r_t_test() -> None:
    res = mirror_gaps(_long(CUST), _long(EMP)).set_index("aspect")
    assert list(res.index) == ["intake", "pickup", "communication"]
    for aspect, ref in R_REF.items():
        for key, expected in ref.items():
            assert res.loc[aspect, key] == pytest.approx(expected, abs=1e-6), (aspect, key)
    assert res.loc["intake", "n_customer"] == 5
    assert res.loc["intake", "n_employee"] == 4
    assert res.loc["intake", "mean_customer"] == pytest.approx(7.6)
    assert res.loc["intake", "sd_employee"] == pytest.approx(np.std([9, 9, 8, 10], ddof=1))


def test_labels_at_default_level() -> None:
    res = mirror_gaps(_long(CUST), _long(EMP)).set_index("aspect")
    # intake: CI -2.95 to 0.15 spans 0 and is wide -> cannot tell; pickup: CI 0.39 to 2.68
    # -> hidden strength; communication: gap 0 but CI -1.99 to 1.99 -> cannot tell.
    assert res["label"].to_dict() == {
        "intake": "cannot tell",
        "pickup": "hidden strength",
        "communication": "cannot tell",
    }


@pytest.mark.r_reference
def test_level_changes_ci_and_label() -> None:
    res = mirror_gaps(_long(CUST), _long(EMP), level=0.90).set_index("aspect")
    assert res.loc["intake", "ci_low"] == pytest.approx(R_INTAKE_CI90[0], abs=1e-6)
    assert res.loc["intake", "ci_high"] == pytest.approx(R_INTAKE_CI90[1], abs=1e-6)
    # Employees think customers rate intake higher than they do: a blind spot at 90 %.
    assert res.loc["intake", "label"] == "blind spot"


def test_a_small_gap_whose_interval_excludes_zero_is_never_aligned() -> None:
    # 1000 answers a side, means 7.06 and 7.00, SD about 0.5: d is about 0.12 (below
    # Cohen's "small"), but the interval lies above zero: a hidden strength, however small.
    rng = np.random.default_rng(1)
    cust = rng.normal(0, 0.5, 1000)
    emp = rng.normal(0, 0.5, 1000)
    cust = cust - cust.mean() + 7.06
    emp = emp - emp.mean() + 7.00
    res = mirror_gaps(_long({"a": cust}), _long({"a": emp})).iloc[0]
    assert res["ci_low"] > 0 and abs(res["d"]) < 0.2
    assert res["label"] == "hidden strength"


def test_a_narrow_interval_around_zero_is_aligned() -> None:
    rng = np.random.default_rng(2)
    cust, emp = rng.normal(0, 1, 500), rng.normal(0, 1, 500)
    cust, emp = cust - cust.mean() + 7.0, emp - emp.mean() + 7.02
    res = mirror_gaps(_long({"a": cust}), _long({"a": emp})).iloc[0]
    assert res["ci_low"] < 0 < res["ci_high"]
    assert res["label"] == "aligned"
    # the same gap with a demanding band: the interval is not within 0.05 SD
    strict = mirror_gaps(_long({"a": cust}), _long({"a": emp}), equivalence_d=0.05).iloc[0]
    assert strict["label"] == "cannot tell"


def test_per_unit_and_insufficient_data() -> None:
    cust = pd.concat([_long(CUST, "U1"), _long({"intake": [8, 7, 8]}, "U2")])
    emp = pd.concat([_long(EMP, "U1"), _long({"intake": [8]}, "U2")])
    res = mirror_gaps(cust, emp, unit="unit")
    assert list(res.columns[:2]) == ["unit", "aspect"]
    u1 = res[res["unit"] == "U1"].set_index("aspect")
    assert u1.loc["pickup", "t"] == pytest.approx(R_REF["pickup"]["t"], abs=1e-6)
    u2 = res[res["unit"] == "U2"].iloc[0]
    assert u2["label"] == "insufficient data"
    assert u2["n_employee"] == 1
    assert math.isnan(u2["t"]) and math.isnan(u2["p"]) and math.isnan(u2["d"])
    assert u2["gap"] == pytest.approx(23 / 3 - 8)


def test_aspect_on_one_side_only() -> None:
    res = mirror_gaps(_long({"wait": [5, 6]}), _long({"intake": [7, 8]}))
    assert set(res["aspect"]) == {"wait", "intake"}
    assert (res["label"] == "insufficient data").all()
    assert res.set_index("aspect").loc["wait", "n_employee"] == 0


def test_constant_data_is_insufficient_like_r() -> None:
    # R: t.test(c(7, 7, 7), c(7, 7)) stops with "data are essentially constant".
    res = mirror_gaps(_long({"a": [7, 7, 7]}), _long({"a": [7, 7]}))
    assert res["label"].iloc[0] == "insufficient data"
    # Constant but different on both sides: R stops as well (standard error 0).
    res = mirror_gaps(_long({"a": [9, 9, 9]}), _long({"a": [7, 7]}))
    assert res["label"].iloc[0] == "insufficient data"
    assert res["gap"].iloc[0] == pytest.approx(2.0)


def test_missing_values_are_counted_not_silently_dropped() -> None:
    cust = _long(CUST)
    cust = pd.concat(
        [cust, pd.DataFrame({"aspect": ["intake", None], "value": [np.nan, 3.0]})],
        ignore_index=True,
    )
    emp = pd.concat(
        [_long(EMP), pd.DataFrame({"aspect": ["pickup"], "value": [np.nan]})],
        ignore_index=True,
    )
    res = mirror_gaps(cust, emp).set_index("aspect")
    assert res["n_dropped"].to_dict() == {"intake": 1, "pickup": 1, "communication": 0}
    assert res.attrs["n_dropped"] == 3
    # The statistics are those of the complete answers.
    assert res.loc["intake", "t"] == pytest.approx(R_REF["intake"]["t"], abs=1e-6)


def test_invalid_input() -> None:
    good = _long(CUST)
    with pytest.raises(ValueError, match="employee_predictions has no column"):
        mirror_gaps(good, good.rename(columns={"value": "score"}))
    with pytest.raises(ValueError, match="'unit'"):
        mirror_gaps(good, good, unit="unit")
    with pytest.raises(ValueError, match="must be numeric"):
        mirror_gaps(good.assign(value="high"), good)
    with pytest.raises(ValueError, match="level"):
        mirror_gaps(good, good, level=95)
    with pytest.raises(ValueError, match="equivalence_d"):
        mirror_gaps(good, good, equivalence_d=-1)


scores = st.lists(st.integers(min_value=0, max_value=10), min_size=0, max_size=15)


@settings(max_examples=150, deadline=None)
@given(c=scores, e=scores, level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_properties(c: list[int], e: list[int], level: float) -> None:
    table = mirror_gaps(_long({"a": c}), _long({"a": e}), level=level)
    if not c and not e:
        assert table.empty
        return
    res = table.iloc[0]
    if res["label"] == "insufficient data":
        assert len(c) < 2 or len(e) < 2 or math.isnan(res["t"])
        return
    gap = res["gap"]
    assert gap == pytest.approx(np.mean(c) - np.mean(e))
    assert res["ci_low"] - 1e-9 <= gap <= res["ci_high"] + 1e-9
    assert np.sign(res["t"]) == np.sign(gap) or gap == pytest.approx(0)
    assert np.sign(res["d"]) == np.sign(gap) or gap == pytest.approx(0)
    if res["label"] == "blind spot":
        assert gap < 0 and res["ci_high"] < 0 and res["p"] < 1 - level
    elif res["label"] == "hidden strength":
        assert gap > 0 and res["ci_low"] > 0 and res["p"] < 1 - level
    else:  # aligned or cannot tell: the interval spans zero, never excludes it
        assert res["label"] in ("aligned", "cannot tell")
        assert res["ci_low"] <= 0 <= res["ci_high"]
    # Significance and the interval agree (away from the boundary).
    if abs(res["p"] - (1 - level)) > 1e-8:
        excludes_zero = res["ci_low"] > 0 or res["ci_high"] < 0
        assert excludes_zero == (res["p"] < 1 - level)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
@settings(max_examples=50, deadline=None)
@given(c=st.lists(st.floats(1, 5), min_size=2, max_size=12),
       e=st.lists(st.floats(1, 5), min_size=2, max_size=12))  # fmt: skip
def test_agrees_with_scipy_welch(c: list[float], e: list[float]) -> None:
    from scipy import stats

    res = mirror_gaps(_long({"a": c}), _long({"a": e})).iloc[0]
    if math.isnan(res["t"]):
        return
    ref = stats.ttest_ind(c, e, equal_var=False)
    assert res["t"] == pytest.approx(ref.statistic, rel=1e-9, abs=1e-9)
    assert res["p"] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-12)
