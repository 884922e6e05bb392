"""Every built-in instrument validates, is complete in Dutch and English, and has the
content the product promises."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import BaseModel

from spiegel.analysis.scoring import ScaleSpec, score_scales
from spiegel.instruments import (
    BUILTIN_DIR,
    Instrument,
    Text,
    get_instrument,
    list_instruments,
    validate_file,
)

BUILTINS = sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def _texts(obj: object) -> list[Text]:
    """Every Text anywhere inside a model (formats, scales, items, ...)."""
    if isinstance(obj, Text):
        return [obj]
    if isinstance(obj, BaseModel):
        return [t for name in type(obj).model_fields for t in _texts(getattr(obj, name))]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _texts(v)]
    if isinstance(obj, list | tuple):
        return [t for v in obj for t in _texts(v)]
    return []


def test_the_library_holds_the_promised_instruments() -> None:
    assert BUILTINS == [
        "customer",
        "drivers",
        "employee",
        "engagement",
        "feedback360",
        "mirror",
        "strain",
    ]
    entries = list_instruments()
    assert [e.name for e in entries] == BUILTINS
    assert all(e.builtin and e.ok for e in entries), [p for e in entries for p in e.problems]


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_file_validates(name: str) -> None:
    assert validate_file(BUILTIN_DIR / f"{name}.yaml") == []


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_is_complete_in_both_languages(name: str) -> None:
    inst = get_instrument(name)
    texts = _texts(inst)
    assert len(texts) >= 3 + len(inst.items)
    for t in texts:
        assert t.nl.strip() and t.en.strip()
    # item texts are really translated, not copied across
    for item in inst.items:
        assert item.text.nl != item.text.en, item.id
        assert item.text.get("nl") == item.text.nl and item.text.get("en") == item.text.en


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_scale_specs_score_every_scale(name: str) -> None:
    inst = get_instrument(name)
    specs = inst.scale_specs()
    assert list(specs) == [s.name for s in inst.scales]
    for scale in inst.scales:
        spec = specs[scale.name]
        assert isinstance(spec, ScaleSpec)
        assert spec.items == scale.item_ids
        assert spec.reverse == {i.id for i in scale.items if i.reverse}
        fmt = inst.format_of(scale.items[0].id)
        assert (spec.min, spec.max) == (fmt.min, fmt.max)  # type: ignore[union-attr]


def _scale_sizes(inst: Instrument) -> dict[str, int]:
    return {s.name: len(s.items) for s in inst.scales}


def test_engagement_has_three_dimensions_of_at_least_three_items() -> None:
    inst = get_instrument("engagement")
    assert inst.audience == "employee"
    sizes = _scale_sizes(inst)
    assert set(sizes) == {"vigor", "dedication", "absorption"}
    assert min(sizes.values()) >= 3
    assert {inst.format_of(i).kind for i in inst.item_ids} == {"agreement"}


def test_drivers_cover_every_driver_with_workload_keyed_both_ways() -> None:
    inst = get_instrument("drivers")
    sizes = _scale_sizes(inst)
    assert set(sizes) == {
        "trust",
        "feedback",
        "autonomy",
        "workload",
        "leadership_support",
        "recovery",
        "strengths_use",
        "goal_clarity",
    }
    assert min(sizes.values()) >= 3
    workload = inst.scale("workload")
    assert {i.reverse for i in workload.items} == {True, False}
    assert workload.description is not None  # explains that the middle is best


def test_strain_has_dissonance_and_exhaustion() -> None:
    sizes = _scale_sizes(get_instrument("strain"))
    assert set(sizes) == {"emotional_dissonance", "exhaustion"}
    assert min(sizes.values()) >= 3


def test_customer_instrument() -> None:
    inst = get_instrument("customer")
    assert inst.audience == "customer"
    assert inst.item_ids[:2] == ("overall_grade", "recommend")
    assert inst.item_ids[-1] == "comment"
    assert inst.valid_values("overall_grade") == tuple(range(1, 11))
    assert inst.valid_values("recommend") == tuple(range(11))
    assert inst.valid_values("comment") is None
    mot = inst.scale("moments_of_truth").item_ids
    assert len(mot) == 6
    assert {"mot_first_contact", "mot_intake", "mot_drop_off", "mot_pick_up"} <= set(mot)
    assert len(inst.scale("aspects").items) >= 6


def test_every_customer_aspect_has_a_mirror_item() -> None:
    customer = get_instrument("customer")
    mirror = get_instrument("mirror")
    pairs = mirror.mirror_pairs_for(customer)
    paired = {p.customer_item for p in pairs}
    assert set(customer.scale("aspects").item_ids) <= paired
    assert "overall_grade" in paired
    for p in pairs:
        assert mirror.has_item(p.employee_item)
        assert mirror.valid_values(p.employee_item) == customer.valid_values(p.customer_item)


def test_employee_survey_is_the_union_of_its_parts() -> None:
    employee = get_instrument("employee")
    parts = ["engagement", "drivers", "strain", "mirror"]
    assert employee.lineage == ("employee", *parts)
    expected = [i for name in parts for i in get_instrument(name).item_ids]
    assert [i for i in employee.item_ids if i != "employee_comment"] == expected
    assert employee.item_ids[-1] == "employee_comment"
    assert len(set(employee.item_ids)) == len(employee.item_ids)
    # the mirror pairs came along, now naming the employee instrument
    pairs = employee.mirror_pairs_for(get_instrument("customer"))
    assert len(pairs) == len(get_instrument("mirror").mirror_pairs) == 7
    assert {p.employee_instrument for p in pairs} == {"employee"}


def test_feedback360_competencies_with_self_wording() -> None:
    inst = get_instrument("feedback360")
    assert inst.audience == "360"
    sizes = _scale_sizes(inst)
    assert 6 <= len(sizes) <= 8
    assert all(2 <= n <= 3 for n in sizes.values())
    for item in inst.items:
        assert item.self_text is not None
        assert item.self_text.nl != item.text.nl and item.self_text.en != item.text.en
    assert inst.format_of("col_helps").kind == "agreement"
    assert inst.format_of("col_helps").value_labels("en")[5] == "(Almost) always"  # type: ignore[union-attr]


def test_no_other_instrument_uses_self_text() -> None:
    for name in BUILTINS:
        inst = get_instrument(name)
        if inst.audience != "360":
            assert all(i.self_text is None for i in inst.items), name


def test_instrument_round_trips_through_json() -> None:
    for name in BUILTINS:
        inst = get_instrument(name)
        again = Instrument.model_validate_json(inst.model_dump_json())
        assert again == inst
        assert again.item_ids == inst.item_ids


def test_instrument_scores_with_the_analysis_module() -> None:
    inst = get_instrument("drivers")
    ids = inst.scale("workload").item_ids  # wl_too_much, wl_rush, wl_too_little (R), ...
    answers = pd.DataFrame([[5, 5, 1, 1], [1, 1, 5, 5]], columns=list(ids))
    others = [i for i in inst.item_ids if i not in ids]
    answers = answers.assign(**dict.fromkeys(others, 3))
    scores = score_scales(answers, inst)
    assert list(scores.columns) == [s.name for s in inst.scales]
    assert scores["workload"].tolist() == [5.0, 1.0]  # too much work, too little work
    assert scores["trust"].tolist() == [3.0, 3.0]
