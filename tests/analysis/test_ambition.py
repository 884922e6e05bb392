"""Realistic ambition (R: lm, predict, quantile; script in r/test_ambition.R)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import reachable_target

NAN = float("nan")


@pytest.fixture
def units() -> pd.DataFrame:
    # Same table as tests/analysis/r/test_ambition.R.
    return pd.DataFrame(
        {
            "unit": list("ABCDEFGHIJ"),
            "type": ["daycare"] * 5 + ["afterschool"] * 4 + ["school"],
            "eng": [3.2, 3.6, 3.9, 4.2, 4.5, 3.0, 3.4, 3.8, NAN, 3.5],
            "grade": [7.0, 7.3, 7.6, 8.1, 8.3, 6.8, 7.2, 7.1, 7.4, 7.0],
            "target": [9.0, 7.5, 8.0, 8.1, NAN, 7.0, 7.6, 8.5, 8.0, 7.2],
        }
    )


# R: data.frame(unit, x_star, model, bench, reachable, shortfall) in r/test_ambition.R
R_TABLE = {
    "A": (3.70, 7.50826193390453, 8.22, 7.50826193390453, 1.49173806609547),
    "B": (4.10, 7.80826193390453, 8.22, 7.80826193390453, 0.0),
    "C": (4.38, 8.08793145654835, 8.22, 8.08793145654835, 0.0),
    "D": (4.38, 8.28297429620563, 8.22, 8.22, 0.0),
    "E": (4.50, 8.3, 8.22, 8.3, NAN),
    "F": (3.50, 7.30826193390453, 7.34, 7.30826193390453, 0.0),
    "G": (3.72, 7.52528763769890, 7.34, 7.34, 0.26),
    "H": (3.80, 7.1, 7.34, 7.1, 1.4),
    "J": (4.00, 7.50826193390453, 8.12, 7.50826193390453, 0.0),
}


@pytest.mark.r_reference
def test_matches_r(units: pd.DataFrame) -> None:
    res = reachable_target(units, "eng", "grade", "target", peers="type").set_index("unit")
    for unit, (x_star, model, bench, reachable, shortfall) in R_TABLE.items():
        row = res.loc[unit]
        assert row["engagement_target"] == pytest.approx(x_star, abs=1e-9), unit
        assert row["model_prediction"] == pytest.approx(model, abs=1e-6), unit
        assert row["peer_benchmark"] == pytest.approx(bench, abs=1e-9), unit
        assert row["reachable"] == pytest.approx(reachable, abs=1e-6), unit
        assert row["shortfall"] == pytest.approx(shortfall, abs=1e-6, nan_ok=True), unit
    # R: summary(lm(grade ~ eng, u))
    model = res.attrs["model"]
    assert model["intercept"] == pytest.approx(3.63922888616891, abs=1e-6)
    assert model["slope"] == pytest.approx(1.01652386780906, abs=1e-6)
    assert model["slope_se"] == pytest.approx(0.148299758216978, abs=1e-6)
    assert model["slope_p"] == pytest.approx(0.000241003448009454, abs=1e-6)
    assert model["r_squared"] == pytest.approx(0.870333064139611, abs=1e-6)
    assert res.attrs["n_model"] == 9 and res.attrs["n_not_in_model"] == 1


def test_flags_and_reasons(units: pd.DataFrame) -> None:
    res = reachable_target(units, "eng", "grade", "target", peers="type").set_index("unit")
    assert res["flag"].to_dict() == {
        "A": "beyond reach", "B": "within reach", "C": "within reach", "D": "within reach",
        "E": "no target", "F": "within reach", "G": "beyond reach", "H": "beyond reach",
        "I": "unknown", "J": "within reach",
    }  # fmt: skip
    assert res.loc["A", "reason"] == (
        "eng 3.2 → 3.7: model 7.51; 90th percentile of type daycare (n=5): 8.22; "
        "reachable 7.51, limited by the model; target 9 is 1.49 above reachable"
    )
    assert "limited by comparable units" in res.loc["G", "reason"]
    # E is the best daycare unit: it is asked to hold its level.
    assert "reachable = current 8.3" in res.loc["E", "reason"]
    # H is already above its peers' engagement ceiling: no step, reachable = current.
    assert res.loc["H", "engagement_target"] == 3.8
    assert res.loc["I", "reason"] == "eng missing; no reachable level"
    assert math.isnan(res.loc["I", "reachable"])
    assert (
        "all units (n=10; type school has 1 unit(s) with grade, fewer than 3)"
        in (res.loc["J", "reason"])
    )
    assert list(res.columns) == [
        "type", "engagement", "engagement_target", "current", "model_prediction",
        "peer_benchmark", "reachable", "target", "shortfall", "flag", "reason",
    ]  # fmt: skip


def test_without_peers_and_targets(units: pd.DataFrame) -> None:
    res = reachable_target(units, "eng", "grade").set_index("unit")
    # All units: quantile(grade, .9) = 8.12, quantile(eng, .9, na.rm = TRUE) = 4.26.
    assert np.allclose(res["peer_benchmark"], 8.12)
    assert res.loc["D", "engagement_target"] == pytest.approx(4.26)
    assert (res["flag"] == "no target").all()
    assert res["shortfall"].isna().all()


def test_options(units: pd.DataFrame) -> None:
    none = reachable_target(units, "eng", "grade", max_engagement_gain=0.0)
    ok = none["current"].notna() & none["engagement"].notna()
    assert (none.loc[ok, "reachable"] == none.loc[ok, "current"]).all()
    clipped = reachable_target(
        units.assign(grade=units["grade"] + 1.5),
        "eng",
        "grade",
        outcome_range=(1, 10),
        max_engagement_gain=2.0,
        quantile=1.0,
    )
    assert clipped["model_prediction"].max() <= 10
    assert clipped["reachable"].max() <= 10


def test_negative_slope_gives_current() -> None:
    u = pd.DataFrame({"unit": list("ABCD"), "eng": [3.0, 3.5, 4.0, 4.5],
                      "grade": [8.0, 7.8, 7.5, 7.0]})  # fmt: skip
    res = reachable_target(u, "eng", "grade")
    assert (res["reachable"] == res["current"]).all()
    assert res.attrs["model"]["slope"] < 0


def test_missing_unit_is_reported(units: pd.DataFrame) -> None:
    extra = pd.DataFrame({"unit": [None], "type": ["daycare"], "eng": [4.0], "grade": [8.0],
                          "target": [8.0]})  # fmt: skip
    res = reachable_target(pd.concat([units, extra], ignore_index=True), "eng", "grade")
    assert res.attrs["n_dropped"] == 1
    assert len(res) == 10


def test_invalid_input(units: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'region'"):
        reachable_target(units, "eng", "grade", peers="region")
    with pytest.raises(ValueError, match="must be numeric"):
        reachable_target(units, "eng", "type")
    with pytest.raises(ValueError, match="appear more than once"):
        reachable_target(pd.concat([units, units.iloc[[0]]]), "eng", "grade")
    with pytest.raises(ValueError, match="at least 3"):
        reachable_target(units.iloc[:2], "eng", "grade")
    with pytest.raises(ValueError, match="same value"):
        reachable_target(units.assign(eng=4.0), "eng", "grade")
    with pytest.raises(ValueError, match="quantile"):
        reachable_target(units, "eng", "grade", quantile=90)
    with pytest.raises(ValueError, match="max_engagement_gain"):
        reachable_target(units, "eng", "grade", max_engagement_gain=-1)
    with pytest.raises(ValueError, match="min_peers"):
        reachable_target(units, "eng", "grade", min_peers=0)


unit_rows = st.lists(
    st.tuples(st.floats(1, 5), st.floats(1, 10), st.one_of(st.just(NAN), st.floats(1, 10))),
    min_size=3,
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(rows=unit_rows, q=st.sampled_from([0.5, 0.75, 0.9, 1.0]),
       gain=st.sampled_from([0.0, 0.25, 0.5, 1.0]))  # fmt: skip
def test_properties(rows: list[tuple[float, float, float]], q: float, gain: float) -> None:
    u = pd.DataFrame(rows, columns=["eng", "grade", "target"])
    u.insert(0, "unit", range(len(u)))
    if np.ptp(u["eng"]) < 1e-6:
        return
    res = reachable_target(u, "eng", "grade", "target", quantile=q, max_engagement_gain=gain)
    tol = 1e-9
    assert (res["reachable"] >= res["current"] - tol).all()
    assert (res["reachable"] <= np.maximum(res["current"], res["peer_benchmark"]) + tol).all()
    assert (res["engagement_target"] >= res["engagement"] - tol).all()
    assert (res["engagement_target"] <= res["engagement"] + gain + tol).all()
    beyond = res["flag"] == "beyond reach"
    assert (res.loc[beyond, "target"] > res.loc[beyond, "reachable"]).all()
    assert (res.loc[beyond, "shortfall"] > 0).all()
    within = res["flag"] == "within reach"
    assert (res.loc[within, "target"] <= res.loc[within, "reachable"] + tol).all()
    assert (res.loc[within, "shortfall"] == 0).all()
    assert set(res["flag"]) <= {"beyond reach", "within reach", "no target"}


def test_unit_without_peer_group_uses_all_units(units: pd.DataFrame) -> None:
    u = units.copy()
    u.loc[u["unit"] == "B", "type"] = None
    res = reachable_target(u, "eng", "grade", peers="type").set_index("unit")
    assert res.loc["B", "peer_benchmark"] == pytest.approx(8.12)  # quantile(grade, .9)
    assert "all units (n=10; no type)" in res.loc["B", "reason"]
    # The other daycare units now have 4 peers: quantile(c(7.0, 7.6, 8.1, 8.3), .9) = 8.24.
    assert res.loc["A", "peer_benchmark"] == pytest.approx(8.24)
