"""Risk flags per unit (hand-computed) and their link to outcomes (R: t.test, cor.test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import RiskThresholds, risk_flags, risk_outcome_link

NAN = float("nan")


@pytest.fixture
def units() -> pd.DataFrame:
    # Same table as tests/analysis/r/test_risk.R.
    return pd.DataFrame(
        {
            "unit": list("ABCDEFGHI"),
            "dissonance": [3.0, 3.6, 2.5, 3.8, 2.0, 3.5, NAN, 2.8, 3.0],
            "exhaustion": [3.9, 3.0, 2.8, 3.7, 2.2, 2.0, 3.6, 3.1, 3.4],
            "recovery": [2.4, 3.0, 3.5, 2.0, 2.5, 3.8, NAN, 3.2, 2.6],
            "absenteeism": [8.1, 5.2, 4.0, 9.0, 4.5, 3.9, 6.0, NAN, 3.6],
            "turnover": [0.18, 0.10, 0.08, 0.22, 0.07, 0.09, 0.12, 0.11, 0.05],
        }
    )


def test_levels_and_reasons(units: pd.DataFrame) -> None:
    res = risk_flags(units).set_index("unit")
    assert res["risk_level"].to_dict() == {
        "A": "high", "B": "watch", "C": "none", "D": "high", "E": "watch",
        "F": "watch", "G": "watch", "H": "none", "I": "none",
    }  # fmt: skip
    assert res.loc["A", "reason"] == "exhaustion 3.9 ≥ 3.5; recovery 2.4 ≤ 2.5"
    assert res.loc["D", "reason"] == (
        "emotional dissonance 3.8 ≥ 3.5; exhaustion 3.7 ≥ 3.5; recovery 2 ≤ 2.5"
    )
    # Thresholds are inclusive.
    assert res.loc["E", "reason"] == "recovery 2.5 ≤ 2.5"
    assert res.loc["F", "reason"] == "emotional dissonance 3.5 ≥ 3.5"
    assert res.loc["C", "reason"] == "no threshold reached"
    # G: exhaustion is high; recovery unknown, so it might be "high".
    assert res.loc["G", "reason"] == (
        "exhaustion 3.6 ≥ 3.5; emotional dissonance, recovery missing; level may be higher"
    )
    assert res.loc["G", "missing"] == "emotional dissonance, recovery"
    assert res.loc["A", "missing"] == ""
    assert res.attrs["n_incomplete"] == 1
    assert res.attrs["n_dropped"] == 0


def test_flag_columns_and_outcomes(units: pd.DataFrame) -> None:
    res = risk_flags(units).set_index("unit")
    assert str(res["recovery_low"].dtype) == "boolean"
    assert res.loc["A", "exhaustion_high"] and res.loc["A", "recovery_low"]
    assert not res.loc["A", "dissonance_high"]
    assert res["recovery_low"].isna().sum() == 1  # G
    # Outcome columns present in the input are shown next to the level.
    assert list(res.columns[-2:]) == ["absenteeism", "turnover"]
    assert res.loc["D", "absenteeism"] == 9.0
    only = risk_flags(units, outcomes=["turnover"])
    assert "absenteeism" not in only.columns and "turnover" in only.columns
    none = risk_flags(units.drop(columns=["absenteeism", "turnover"]))
    assert list(none.columns)[-1] == "missing"


def test_configurable_thresholds_and_columns(units: pd.DataFrame) -> None:
    res = risk_flags(units, {"recovery": 2.8}).set_index("unit")
    # I: recovery 2.6 is now low, exhaustion 3.4 is not high -> watch.
    assert res.loc["I", "risk_level"] == "watch"
    assert res.loc["I", "reason"] == "recovery 2.6 ≤ 2.8"
    renamed = units.rename(columns={"dissonance": "emo_dis", "unit": "team"})
    res2 = risk_flags(renamed, RiskThresholds(), unit="team", dissonance="emo_dis")
    assert res2["risk_level"].tolist() == risk_flags(units)["risk_level"].tolist()
    # A 0–10 scale.
    ten = units.assign(**{c: units[c] * 2 for c in ["dissonance", "exhaustion", "recovery"]})
    th = RiskThresholds(dissonance=7, exhaustion=7, recovery=5, scale_min=0, scale_max=10)
    assert risk_flags(ten, th)["risk_level"].tolist() == risk_flags(units)["risk_level"].tolist()


def test_thresholds_for_other_agreement_scales(units: pd.DataFrame) -> None:
    # The 1–5 defaults sit at 62.5% (strain) and 37.5% (recovery) of the range.
    assert RiskThresholds.for_scale(1, 5) == RiskThresholds()
    seven = RiskThresholds.for_scale(1, 7)
    assert (seven.dissonance, seven.exhaustion, seven.recovery) == (4.75, 4.75, 3.25)
    assert (seven.scale_min, seven.scale_max) == (1.0, 7.0)
    eleven = RiskThresholds.for_scale(0, 10)
    assert (eleven.dissonance, eleven.exhaustion, eleven.recovery) == (6.25, 6.25, 3.75)
    two = RiskThresholds.for_scale(1, 2)
    assert (two.dissonance, two.recovery) == (1.625, 1.375)
    # A 7-point instrument: the default thresholds reject its unit means, and say how
    # to set them; for_scale flags the same units as the same answers on 1–5 would.
    scales = ["dissonance", "exhaustion", "recovery"]
    on_seven = units.assign(**{c: 1 + (units[c] - 1) * 1.5 for c in scales})
    with pytest.raises(ValueError, match=r"outside the scale 1.0–5.0 .*=RiskThresholds\.for_scale"):
        risk_flags(on_seven)
    got = risk_flags(on_seven, RiskThresholds.for_scale(1, 7))
    assert got["risk_level"].tolist() == risk_flags(units)["risk_level"].tolist()
    assert got.attrs["thresholds"]["recovery"] == 3.25


@pytest.mark.parametrize(
    ("minimum", "maximum", "message"),
    [
        (1, 1, "2 to 11 points"),
        (1, 12, "2 to 11 points"),
        (0, 11, "2 to 11 points"),
        (5, 1, "2 to 11 points"),
        (1.5, 5, "whole numbers"),
        (1, float("nan"), "whole numbers"),
        (True, 5, "whole numbers"),
    ],
)
def test_thresholds_for_scale_rejects_what_is_not_an_agreement_scale(
    minimum: float, maximum: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        RiskThresholds.for_scale(minimum, maximum)


def test_all_missing_and_missing_unit(units: pd.DataFrame) -> None:
    extra = pd.DataFrame(
        {"unit": ["J", None], "dissonance": [NAN, 4.0], "exhaustion": [NAN, 4.0],
         "recovery": [NAN, 1.0]}
    )  # fmt: skip
    res = risk_flags(pd.concat([units, extra], ignore_index=True))
    j = res.set_index("unit").loc["J"]
    assert j["risk_level"] == "unknown"
    assert j["reason"] == "all three scales missing"
    assert res.attrs["n_dropped"] == 1
    assert len(res) == 10


def test_missing_value_that_cannot_change_the_level() -> None:
    u = pd.DataFrame({"unit": ["A"], "dissonance": [NAN], "exhaustion": [4.0], "recovery": [2.0]})
    res = risk_flags(u).iloc[0]
    assert res["risk_level"] == "high"
    assert res["reason"].endswith("emotional dissonance missing")  # no "may be higher"


def test_invalid_input(units: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"'exhaustion', 'recovery'"):
        risk_flags(units.drop(columns=["exhaustion", "recovery"]))
    with pytest.raises(ValueError, match="'sickness'"):
        risk_flags(units, outcomes=["sickness"])
    with pytest.raises(ValueError, match=r"outside the scale .* unit\(s\) 'B'"):
        risk_flags(units.assign(recovery=[2.4, 6.0, 3.5, 2.0, 2.5, 3.8, NAN, 3.2, 2.6]))
    with pytest.raises(ValueError, match="appear more than once"):
        risk_flags(pd.concat([units, units.iloc[[0]]]))
    with pytest.raises(ValueError, match="unknown threshold"):
        risk_flags(units, {"burnout": 3.0})
    with pytest.raises(ValueError, match="outside the scale"):
        RiskThresholds(exhaustion=6.0)
    with pytest.raises(ValueError, match="scale_min"):
        RiskThresholds(scale_min=5, scale_max=1)
    with pytest.raises(ValueError, match="must be numeric"):
        risk_flags(units.assign(recovery="low"))


@pytest.mark.r_reference
def test_outcome_link_by_level_matches_r(units: pd.DataFrame) -> None:
    link = risk_outcome_link(risk_flags(units), "risk_level", "absenteeism")
    # R: t.test(y[level == "high"], y[level != "high"]); cor.test(code[level], y)
    assert (link.n, link.n_dropped, link.n_flagged, link.n_other) == (8, 1, 2, 6)
    assert link.mean_flagged == pytest.approx(8.55)
    assert link.mean_other == pytest.approx(4.53333333333333, abs=1e-9)
    assert link.t == pytest.approx(6.87897899135475, abs=1e-6)
    assert link.df == pytest.approx(2.5924195351419, abs=1e-6)
    assert link.p == pytest.approx(0.00989956499002546, abs=1e-6)
    assert (link.ci_low, link.ci_high) == pytest.approx(
        (1.98169648758645, 6.05163684574688), abs=1e-6
    )
    assert link.r == pytest.approx(0.885744790831511, abs=1e-6)
    assert link.r_p == pytest.approx(0.00341656710993338, abs=1e-6)
    assert (link.r_ci_low, link.r_ci_high) == pytest.approx(
        (0.481779595979709, 0.979224553903945), abs=1e-6
    )


@pytest.mark.r_reference
def test_outcome_link_numeric_matches_r(units: pd.DataFrame) -> None:
    # R: t.test(turnover[exhaustion >= 3.5], turnover[exhaustion < 3.5]);
    #    cor.test(exhaustion, turnover)
    link = risk_outcome_link(units, "exhaustion", "turnover", cutoff=3.5)
    assert (link.n, link.n_flagged) == (9, 3)
    assert link.t == pytest.approx(2.96363501972164, abs=1e-6)
    assert link.df == pytest.approx(2.37732072606805, abs=1e-6)
    assert link.p == pytest.approx(0.0791598858304024, abs=1e-6)
    assert link.ci_low == pytest.approx(-0.0226703052055333, abs=1e-6)
    assert link.r == pytest.approx(0.622144137400476, abs=1e-6)
    assert link.r_p == pytest.approx(0.0736009924756228, abs=1e-6)
    assert link.r_ci_low == pytest.approx(-0.0715339108160053, abs=1e-6)
    # R: t.test(y[recovery <= 2.5], y[recovery > 2.5]); cor.test(recovery, absenteeism)
    low = risk_outcome_link(units, "recovery", "absenteeism", cutoff=2.5, higher_is_risk=False)
    assert (low.n, low.n_dropped, low.n_flagged) == (7, 2, 3)
    assert low.t == pytest.approx(2.13157264590267, abs=1e-6)
    assert low.p == pytest.approx(0.151660345143511, abs=1e-6)
    assert low.ci_high == pytest.approx(8.49613288161352, abs=1e-6)
    assert low.r == pytest.approx(-0.701005318948282, abs=1e-6)
    assert low.r_ci_high == pytest.approx(0.110257448108156, abs=1e-6)


def test_outcome_link_boolean_and_labels(units: pd.DataFrame) -> None:
    flags = risk_flags(units)
    by_bool = risk_outcome_link(flags, "exhaustion_high", "turnover")
    by_num = risk_outcome_link(units, "exhaustion", "turnover", cutoff=3.5)
    assert by_bool.t == pytest.approx(by_num.t)
    # Point-biserial r equals r with the 0/1 flag.
    flag01 = (units["exhaustion"] >= 3.5).astype(float)
    assert by_bool.r == pytest.approx(np.corrcoef(flag01, units["turnover"])[0, 1])
    watch_or_high = risk_outcome_link(flags, "risk_level", "absenteeism", flagged={"watch", "high"})
    assert watch_or_high.n_flagged == 6
    labelled = units.assign(region=list("NNSSSNNSS"))
    res = risk_outcome_link(labelled, "region", "turnover", flagged={"N"})
    assert res.n_flagged == 4
    assert res.mean_flagged == pytest.approx((0.18 + 0.10 + 0.09 + 0.12) / 4)
    assert res.to_frame().shape == (1, 19)


def test_outcome_link_invalid(units: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="give cutoff="):
        risk_outcome_link(units, "exhaustion", "turnover")
    with pytest.raises(ValueError, match="give flagged="):
        risk_outcome_link(units, "unit", "turnover")
    with pytest.raises(ValueError, match="'sickness'"):
        risk_outcome_link(units, "exhaustion", "sickness", cutoff=3.5)


def test_outcome_link_too_few_units() -> None:
    u = pd.DataFrame({"flag": [True, False, False], "y": [1.0, 2.0, 3.0]})
    link = risk_outcome_link(u, "flag", "y")
    assert math.isnan(link.t) and link.n_flagged == 1
    assert math.isnan(link.r_ci_low)  # R's cor.test gives no interval for n < 4
    assert not math.isnan(link.r)


scale = st.one_of(st.just(NAN), st.floats(1, 5))


@settings(max_examples=200, deadline=None)
@given(d=scale, e=scale, r=scale)
def test_level_properties(d: float, e: float, r: float) -> None:
    u = pd.DataFrame({"unit": ["X"], "dissonance": [d], "exhaustion": [e], "recovery": [r]})
    row = risk_flags(u).iloc[0]
    strain = (d >= 3.5) or (e >= 3.5)  # NaN comparisons are False
    low = r <= 2.5
    if all(math.isnan(v) for v in (d, e, r)):
        assert row["risk_level"] == "unknown"
    elif strain and low:
        assert row["risk_level"] == "high"
    elif strain or low:
        assert row["risk_level"] == "watch"
    else:
        assert row["risk_level"] == "none"
    # The reason names exactly the conditions met.
    reason = row["reason"]
    assert (f"emotional dissonance {round(d, 2):g} ≥" in reason) == (d >= 3.5)
    assert (f"exhaustion {round(e, 2):g} ≥" in reason) == (e >= 3.5)
    assert (f"recovery {round(r, 2):g} ≤" in reason) == (r <= 2.5)
