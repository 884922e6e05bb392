"""Every analysis step on any valid questionnaire and any data: ok, or "not available" with
a reason in plain words — never an exception, never a failed step."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from spiegel.instruments import Instrument, get_instrument
from spiegel.results import Results
from spiegel.services.analyze import analyse_frames
from spiegel.services.analyze.runner import UNSUITABLE
from tests.services.synthetic import Shape, organisation, with_agreement_points

EMPLOYEE = get_instrument("employee")
CUSTOMER = get_instrument("customer")
PAIRS = EMPLOYEE.mirror_pairs_for(CUSTOMER) or CUSTOMER.mirror_pairs_for(EMPLOYEE)
MIRROR_ITEMS = frozenset(p.employee_item for p in PAIRS)


def _analyse(shape: Shape) -> Results:
    results, _job = analyse_frames(organisation(shape), n_boot=10)
    return results


def _status(results: Results) -> dict[str, str]:
    return {s.name: s.status for s in results.steps}


def _reasons(results: Results) -> dict[str, str]:
    return {s.name: s.reason.en for s in results.steps if s.reason is not None}


def _no_failures(results: Results) -> None:
    """No step failed, and every step that could not run says specifically why (not the
    catch-all for statistics that refused the data)."""
    failed = [s.name for s in results.steps if s.status == "failed"]
    assert failed == [], failed
    vague = [s.name for s in results.steps if s.reason == UNSUITABLE]
    assert vague == [], vague
    for step in results.steps:
        if step.status == "not_available":
            assert step.reason is not None and step.reason.en and step.reason.nl
            assert "Error" not in step.reason.en and "'" not in step.reason.en


def test_a_seven_point_questionnaire_runs_every_step() -> None:
    results = _analyse(Shape(employee=with_agreement_points(EMPLOYEE, 7), seed=1))
    _no_failures(results)
    assert set(_status(results).values()) == {"ok"}, _reasons(results)
    scales = {s.name: (s.min, s.max) for s in results.scales}
    assert scales["exhaustion"] == (1, 7)
    assert results.risk is not None and results.risk.units


def test_risk_thresholds_follow_the_scale() -> None:
    """On a 0–10 agreement scale a unit mean of 5.5 exhaustion is not "high"
    (the 1–5 rule would flag anything above 3.5)."""
    results = _analyse(Shape(employee=with_agreement_points(EMPLOYEE, 11, start=0), seed=2))
    _no_failures(results)
    assert results.risk is not None
    for unit in results.risk.units:
        if unit.exhaustion is not None and unit.exhaustion < 6.25:
            assert not unit.exhaustion_high


def test_unasked_moments_of_truth_leave_the_rest_intact() -> None:
    unasked = frozenset({"mot_complaint", "mot_intake"})
    results = _analyse(Shape(unasked=unasked, seed=3))
    _no_failures(results)
    assert _status(results)["drivers"] == "ok"
    assert results.drivers is not None
    assert results.drivers.engagement, "the employee drivers must not be lost"
    assert {d.predictor for d in results.drivers.grade}.isdisjoint(unasked)
    assert {m.aspect for m in results.moments_of_truth}.isdisjoint(unasked)
    notes = [n.en for s in results.steps for n in s.notes]
    assert any("mot_complaint" in n for n in notes), notes


def test_mirror_questions_nobody_answered() -> None:
    results = _analyse(Shape(unasked=MIRROR_ITEMS, seed=4))
    _no_failures(results)
    status = _status(results)
    assert status["reliability"] == status["aggregation"] == "ok"
    assert status["mirror"] == "ok"
    assert results.mirror is not None
    assert results.mirror.units == [] and results.mirror.overall == []


def test_only_customers_so_far() -> None:
    results = _analyse(Shape(employee=None, seed=5))
    _no_failures(results)
    status, reasons = _status(results), _reasons(results)
    assert status["customer"] == status["drivers"] == status["comments"] == "ok"
    assert status["factor_model"] == "not_available"
    assert reasons["factor_model"] == "no employee survey responses yet"
    assert results.drivers is not None and results.drivers.grade


def test_only_employees_so_far() -> None:
    results = _analyse(Shape(customer=None, seed=6))
    _no_failures(results)
    status = _status(results)
    assert status["risk"] == status["drivers"] == status["factor_model"] == "ok"
    assert status["linkage"] == "not_available"


def test_one_wave_and_no_outcomes() -> None:
    results = _analyse(Shape(waves=1, outcomes=False, seed=7))
    _no_failures(results)
    reasons = _reasons(results)
    assert reasons["lagged"] == "the lagged effect needs two waves or more"
    assert results.risk is not None and results.risk.absenteeism_link is None


# --- any questionnaire, any gaps ----------------------------------------------------------------


def _agreement(points: int, start: int) -> dict[str, object]:
    labels = [{"nl": f"p{i}", "en": f"p{i}"} for i in range(points)]
    return {"kind": "agreement", "points": labels, "start": start}


@st.composite
def employee_questionnaires(draw: st.DrawFn) -> Instrument:
    """The built-in employee questionnaire with a random response format per scale
    (agreement of 2–11 points from 0 or 1, or 0–10, or 1–10), random scales left out."""
    doc = EMPLOYEE.model_dump()
    keep = draw(
        st.lists(st.sampled_from([s["name"] for s in doc["scales"]]), min_size=1, unique=True)
    )
    doc["scales"] = [s for s in doc["scales"] if s["name"] in keep]
    for scale in doc["scales"]:
        kind = draw(st.sampled_from(["agreement", "likelihood", "grade"]))
        name = f"fmt_{scale['name']}"
        if kind == "agreement":
            points = draw(st.integers(2, 11))
            doc["formats"][name] = _agreement(points, draw(st.sampled_from([0, 1])))
        else:
            doc["formats"][name] = {"kind": kind}
        scale["format"] = name
        scale["items"] = [{**item, "format": name} for item in scale["items"]]
    doc["mirror_pairs"] = ()
    return Instrument.model_validate(doc)


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    items = [i.id for i in EMPLOYEE.items] + [i.id for i in CUSTOMER.items]
    return Shape(
        employee=draw(st.none() | employee_questionnaires() | st.just(EMPLOYEE)),
        customer=draw(st.none() | st.just(CUSTOMER)),
        waves=draw(st.integers(1, 3)),
        regions=draw(st.integers(1, 2)),
        locations_per_region=draw(st.integers(1, 5)),
        teams_per_location=draw(st.integers(0, 2)),
        people_per_team=draw(st.integers(1, 8)),
        customers_per_location=draw(st.integers(0, 30)),
        unasked=frozenset(draw(st.lists(st.sampled_from(items), max_size=12))),
        outcomes=draw(st.booleans()),
        skip_rate=draw(st.sampled_from([0.0, 0.05, 0.3])),
        seed=draw(st.integers(0, 1000)),
    )


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=shapes())
def test_any_questionnaire_and_any_gaps_never_fail(shape: Shape) -> None:
    data = organisation(shape)
    if not data.waves:
        return
    results, _job = analyse_frames(data, n_boot=5)
    _no_failures(results)
    Results.model_validate(results.to_json())  # what the store keeps reads back
