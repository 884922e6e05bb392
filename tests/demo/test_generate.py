"""The demo generator: determinism, sizes, the planted facts, and the files it writes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import mirror_gaps, risk_flags, score_scales
from spiegel.demo import PRIVACY_MINIMUM, ROLE_GROUPS, Truth, generate, write_files
from spiegel.instruments import get_instrument
from spiegel.services.importing import (
    import_employees,
    import_outcomes,
    import_responses,
    import_units,
)
from spiegel.store.db import make_engine, upgrade

SMALL = {"employees": 300, "locations": 20, "customers_per_wave": 1500}


@pytest.fixture(scope="module")
def demo():
    return generate(seed=7)


def _frames(data):
    yield data.units
    yield data.employees
    yield data.outcomes
    yield data.truth.locations
    yield from data.employee_responses.values()
    yield from data.customer_responses.values()


def test_same_seed_gives_identical_data() -> None:
    a, b = generate(seed=3, **SMALL), generate(seed=3, **SMALL)
    for left, right in zip(_frames(a), _frames(b), strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert a.truth.to_dict() == b.truth.to_dict()


def test_another_seed_gives_other_data() -> None:
    a, b = generate(seed=3, **SMALL), generate(seed=4, **SMALL)
    assert not a.customer_responses["2025-H1"].equals(b.customer_responses["2025-H1"])
    assert not a.employee_responses["2025-H1"].equals(b.employee_responses["2025-H1"])


def test_default_sizes(demo) -> None:
    kinds = demo.units["kind"].value_counts()
    assert kinds["organisation"] == 1
    assert kinds["region"] == 4
    assert kinds["location"] == 80
    assert 80 <= kinds["team"] <= 240
    teams = demo.units[demo.units["kind"] == "team"].groupby("parent").size()
    assert teams.between(1, 3).all() and len(teams) == 80

    roles = demo.employees["role_group"].value_counts()
    assert len(demo.employees) == 1200
    assert roles["manager"] == 80
    assert 8 <= roles["senior_management"] <= 30
    assert 40 <= roles["back_office"] <= 100
    assert roles["front_line"] > 0.8 * 1200
    kind_of = dict(zip(demo.units["code"], demo.units["kind"], strict=True))
    unit_kind = demo.employees["unit"].map(kind_of)
    placed = pd.crosstab(demo.employees["role_group"], unit_kind)
    assert set(placed.loc["senior_management"][lambda s: s > 0].index) <= {"organisation", "region"}
    assert set(placed.loc["back_office"][lambda s: s > 0].index) <= {"organisation", "region"}
    assert set(placed.loc["manager"][lambda s: s > 0].index) == {"location"}
    assert set(placed.loc["front_line"][lambda s: s > 0].index) == {"team"}

    assert demo.wave_names == ("2025-H1", "2025-H2", "2026-H1", "2026-H2")
    for wave in demo.wave_names:
        customers = demo.customer_responses[wave]
        assert len(customers) == 10_000
        assert (
            customers["unit"].isin(demo.units.loc[demo.units["kind"] == "location", "code"]).all()
        )
        rate = len(demo.employee_responses[wave]) / 1200
        assert 0.65 <= rate <= 0.90
    assert demo.outcomes.groupby(["period", "metric"]).size().eq(80).all()


def test_columns_are_the_instrument_items(demo) -> None:
    employee = get_instrument("employee")
    customer = get_instrument("customer")
    frame = demo.employee_responses["2025-H1"]
    assert list(frame.columns) == [
        "respondent_id",
        "unit",
        "role_group",
        "wave",
        *employee.item_ids,
    ]
    assert list(demo.customer_responses["2025-H1"].columns) == [
        "respondent_id",
        "unit",
        "wave",
        *customer.item_ids,
    ]
    assert set(frame["role_group"]) == set(ROLE_GROUPS)
    for instrument, data in ((employee, frame), (customer, demo.customer_responses["2025-H1"])):
        for item in instrument.items:
            valid = instrument.valid_values(item.id)
            values = data[item.id].dropna()
            if valid is None:
                assert values.map(type).eq(str).all()
            else:
                assert values.isin(valid).all(), item.id
                assert len(values) > 0.05 * len(data), item.id


def test_scores_look_like_survey_data(demo) -> None:
    employee = get_instrument("employee")
    scores = score_scales(demo.employee_responses["2025-H1"], employee)
    means = scores.mean()
    assert 3.3 < means["vigor"] < 4.1
    assert 2.3 < means["exhaustion"] < 3.0
    customers = demo.customer_responses["2025-H1"]
    assert 7.2 < customers["overall_grade"].mean() < 8.0
    assert customers["comment"].notna().mean() < 0.2
    assert customers["comment"].nunique() >= 20


def test_burnout_locations_drift_into_risk(demo) -> None:
    employee = get_instrument("employee")
    units = demo.units.set_index("code")
    location_of = {
        c: (c if k == "location" else units.at[c, "parent"])
        for c, k in units["kind"].items()
        if k in ("location", "team")
    }
    burn = list(demo.truth.burnout_locations)
    assert len(burn) >= 1
    first, last = demo.wave_names[0], demo.wave_names[-1]
    levels = {}
    for wave in (first, last):
        frame = demo.employee_responses[wave]
        scores = score_scales(frame, employee)
        scores["unit"] = frame["unit"].map(location_of)
        means = scores.groupby("unit")[["emotional_dissonance", "exhaustion", "recovery"]].mean()
        means = means.rename(columns={"emotional_dissonance": "dissonance"}).reset_index()
        levels[wave] = risk_flags(means).set_index("unit")["risk_level"]
    assert (levels[last].loc[burn] != "none").all()
    assert (levels[last].loc[burn] == "high").sum() >= 1
    assert (levels[first].drop(burn) == "high").mean() < 0.1
    absent = demo.outcomes[demo.outcomes["metric"] == "absenteeism"].pivot(
        index="unit", columns="period", values="value"
    )
    rise = absent[last] - absent[first]
    assert rise.loc[burn].mean() > rise.drop(burn).mean() + 2.0


def test_planted_blind_spots_are_found(demo) -> None:
    employee = get_instrument("employee")
    wave = demo.wave_names[-1]
    customers, staff = demo.customer_responses[wave], demo.employee_responses[wave]
    units = demo.units.set_index("code")
    location_of = {
        c: (c if k == "location" else units.at[c, "parent"])
        for c, k in units["kind"].items()
        if k in ("location", "team")
    }
    staff = staff.assign(location=staff["unit"].map(location_of)).dropna(subset=["location"])
    pairs = [(p.customer_item, p.employee_item) for p in employee.mirror_pairs]
    cust = pd.concat(
        [
            pd.DataFrame({"unit": customers["unit"], "aspect": c, "value": customers[c]})
            for c, _ in pairs
        ]
    )
    pred = pd.concat(
        [
            pd.DataFrame({"unit": staff["location"], "aspect": c, "value": staff[e]})
            for c, e in pairs
        ]
    )
    gaps = mirror_gaps(cust, pred, unit="unit")
    if "unit" not in gaps.columns:
        gaps = gaps.reset_index()
    planted = demo.truth.mirror.merge(
        gaps,
        left_on=["unit", "customer_item"],
        right_on=["unit", "aspect"],
        suffixes=("_true", ""),
    )
    blind = planted[planted["kind"] == "blind_spot"]
    assert len(blind) >= 4
    assert (blind["label"] == "blind spot").mean() >= 0.75
    keys = set(zip(planted["unit"], planted["aspect"], strict=True))
    others = gaps[[(u, a) not in keys for u, a in zip(gaps["unit"], gaps["aspect"], strict=True)]]
    assert (others["label"] == "blind spot").mean() < 0.15


def test_some_units_are_too_small_to_report(demo) -> None:
    small = demo.truth.small_units
    assert (small["respondents"] < PRIVACY_MINIMUM).all()
    teams = small[small["kind"] == "team"]
    assert teams["wave"].nunique() >= 2
    per_wave = teams.groupby("wave").size()
    assert per_wave.max() <= 0.15 * (demo.units["kind"] == "team").sum()
    locations = small[small["kind"] == "location"].groupby("wave").size()
    assert locations.max() <= 8  # most locations can be reported


def test_truth_is_consistent_with_parameters(demo) -> None:
    truth = demo.truth
    assert truth.params == Truth()
    assert truth.params.top_drivers == ("trust", "feedback", "autonomy")
    assert truth.params.role_order == ("senior_management", "front_line", "manager", "back_office")
    loc = truth.locations
    assert len(loc) == 80 * 4
    # the observed grade scatters around the expected grade, without bias
    diff = loc["mean_grade"] - loc["expected_grade"]
    assert abs(diff.mean()) < 0.05
    # latent engagement persists from wave to wave
    wide = loc.pivot(index="unit", columns="wave", values="climate_engagement")
    assert np.corrcoef(wide.iloc[:, 0], wide.iloc[:, 1])[0, 1] > 0.4


def test_rejects_impossible_sizes() -> None:
    with pytest.raises(ValueError, match="too few"):
        generate(employees=100, locations=80)
    with pytest.raises(ValueError, match="waves"):
        generate(waves=1, **SMALL)
    with pytest.raises(ValueError, match="first_wave"):
        generate(first_wave="2025Q1", **SMALL)


def test_write_files_and_import_them(tmp_path) -> None:
    data = generate(seed=11, **SMALL)
    paths = write_files(data, tmp_path, population=False)
    expected = {"units", "employees", "waves", "outcomes", "ground_truth"}
    expected |= {
        f"{k}:{w}" for w in data.wave_names for k in ("employee_responses", "customer_responses")
    }
    assert set(paths) == expected
    assert all(p.is_file() for p in paths.values())

    back = pd.read_csv(paths["customer_responses:2025-H1"], sep=";")
    assert len(back) == len(data.customer_responses["2025-H1"])
    assert back["overall_grade"].dtype.kind == "i"
    first_line = paths["employee_responses:2025-H1"].read_text("utf-8").splitlines()[0]
    assert first_line.count(";") == len(data.employee_items) + 2
    truth = json.loads(paths["ground_truth"].read_text("utf-8"))
    assert truth["linkage"]["role_order"][0] == "senior_management"
    assert truth["drivers"]["top_three"] == ["trust", "feedback", "autonomy"]

    # The files go in through the same import path as a user's files.
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        assert import_units(engine, paths["units"]).counts["created"] == len(data.units)
        assert import_employees(engine, paths["employees"]).counts["created"] == 300
        assert import_outcomes(engine, paths["outcomes"]).counts["created"] == len(data.outcomes)
        wave = data.wave_names[0]
        done = import_responses(
            engine,
            paths[f"employee_responses:{wave}"],
            survey="mw",
            wave=wave,
            instrument="employee",
        )
        assert done.counts["imported"] == len(data.employee_responses[wave])
        done = import_responses(
            engine,
            paths[f"customer_responses:{wave}"],
            survey="klant",
            wave=wave,
            instrument="customer",
        )
        assert done.counts["imported"] == len(data.customer_responses[wave])
    finally:
        engine.dispose()


@settings(max_examples=12, deadline=None)
@given(
    locations=st.integers(3, 30),
    extra=st.integers(0, 300),
    customers=st.integers(0, 3000),
    regions=st.integers(1, 3),
    waves=st.integers(2, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_size_is_consistent(locations, extra, customers, regions, waves, seed) -> None:
    """Whatever the size: exact head counts, one manager per location, valid units."""
    employees = 12 * locations + extra
    data = generate(
        seed,
        employees=employees,
        locations=locations,
        customers_per_wave=customers,
        regions=regions,
        waves=waves,
    )
    assert len(data.employees) == employees
    assert (data.units["kind"] == "location").sum() == locations
    assert (data.units["kind"] == "region").sum() == regions
    managers = data.employees[data.employees["role_group"] == "manager"]
    assert managers["unit"].is_unique and len(managers) == locations
    codes = set(data.units["code"])
    assert set(data.employees["unit"]) <= codes
    assert len(data.wave_names) == waves
    for wave in data.wave_names:
        assert len(data.customer_responses[wave]) == customers
        assert set(data.employee_responses[wave]["unit"]) <= codes
        assert data.employee_responses[wave]["respondent_id"].is_unique
