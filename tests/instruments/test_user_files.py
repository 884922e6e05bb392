"""A user's own instrument file behaves exactly like a built-in one."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiegel.analysis.scoring import ScaleSpec
from spiegel.instruments import (
    Instrument,
    InstrumentError,
    Library,
    get_instrument,
    list_instruments,
    load_instrument,
    validate_file,
)

# Made-up text standing in for a licensed nine-item instrument on a 0–6 frequency scale.
UWES9_LIKE = """\
name: uwes9_like
version: "2.0.0"
audience: employee
title: {nl: Bevlogenheid (licentie), en: Engagement (licensed)}
description: {nl: Eigen licentieversie., en: Our own licensed copy.}
response_formats:
  often7:
    kind: agreement
    start: 0
    points:
      - {nl: Nooit, en: Never}
      - {nl: Bijna nooit, en: Almost never}
      - {nl: Af en toe, en: Now and then}
      - {nl: Regelmatig, en: Regularly}
      - {nl: Dikwijls, en: Frequently}
      - {nl: Zeer dikwijls, en: Very frequently}
      - {nl: Altijd, en: Always}
scales:
  - name: u_vigor
    title: {nl: Vitaliteit, en: Vigor}
    format: often7
    items:
      - {id: u_v1, text: {nl: Bloemkool een, en: Cauliflower one}}
      - {id: u_v2, text: {nl: Bloemkool twee, en: Cauliflower two}}
      - {id: u_v3, reverse: true, text: {nl: Bloemkool drie, en: Cauliflower three}}
  - name: u_dedication
    title: {nl: Toewijding, en: Dedication}
    format: often7
    items:
      - {id: u_d1, text: {nl: Prei een, en: Leek one}}
      - {id: u_d2, text: {nl: Prei twee, en: Leek two}}
      - {id: u_d3, text: {nl: Prei drie, en: Leek three}}
  - name: u_absorption
    title: {nl: Absorptie, en: Absorption}
    format: often7
    items:
      - {id: u_a1, text: {nl: Raap een, en: Turnip one}}
      - {id: u_a2, text: {nl: Raap twee, en: Turnip two}}
      - {id: u_a3, text: {nl: Raap drie, en: Turnip three}}
"""

MY_SURVEY = """\
name: my_employee_survey
version: 3
audience: employee
title: {nl: Ons onderzoek, en: Our survey}
description: {nl: Licentieversie plus onze drijfveren., en: Licensed version plus our drivers.}
include: [uwes9_like, drivers, mirror]
"""

MUNICIPALITY = """\
name: customer_municipality
version: 1
extends: customer
title: {nl: Klantonderzoek gemeente, en: Municipality customer survey}
remove: [comment]
scales:
  - name: moments_of_truth
    title: {nl: Momenten van de waarheid, en: Moments of truth}
    format: grade
    items:
      - id: mot_first_contact
        text: {nl: Cijfer voor het eerste contact?, en: Grade for the first contact?}
      - id: mot_counter
        text: {nl: Cijfer voor het bezoek aan de balie?, en: Grade for your visit to the desk?}
      - id: mot_permit
        text:
          nl: Cijfer voor de afhandeling van uw aanvraag?
          en: Grade for handling your application?
items:
  - id: recommend
    format: likelihood
    position: first
    text: {nl: Zou u onze dienstverlening aanraden?, en: Would you recommend our services?}
"""


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    (tmp_path / "uwes9_like.yaml").write_text(UWES9_LIKE, encoding="utf-8")
    (tmp_path / "my_survey.yml").write_text(MY_SURVEY, encoding="utf-8")
    (tmp_path / "municipality.yaml").write_text(MUNICIPALITY, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an instrument", encoding="utf-8")
    return tmp_path


def test_user_file_loads_like_a_builtin(user_dir: Path) -> None:
    inst = get_instrument("uwes9_like", extra_dirs=[user_dir])
    assert isinstance(inst, Instrument)
    assert inst == load_instrument(user_dir / "uwes9_like.yaml")
    assert validate_file(user_dir / "uwes9_like.yaml") == []
    assert inst.version == "2.0.0"
    assert inst.audience == "employee"
    assert len(inst.items) == 9
    assert inst.valid_values("u_v1") == (0, 1, 2, 3, 4, 5, 6)
    assert inst.format_of("u_v1").value_labels("en")[0] == "Never"  # type: ignore[union-attr]
    assert inst.scale_specs() == {
        "u_vigor": ScaleSpec(("u_v1", "u_v2", "u_v3"), frozenset({"u_v3"}), 0.0, 6.0),
        "u_dedication": ScaleSpec(("u_d1", "u_d2", "u_d3"), frozenset(), 0.0, 6.0),
        "u_absorption": ScaleSpec(("u_a1", "u_a2", "u_a3"), frozenset(), 0.0, 6.0),
    }
    # the same interface, answer for answer, as the built-in engagement instrument
    builtin = get_instrument("engagement")
    assert type(builtin) is type(inst)
    assert [len(s.items) for s in builtin.scales] == [len(s.items) for s in inst.scales]


def test_user_files_are_listed_beside_builtins(user_dir: Path) -> None:
    entries = {e.name: e for e in list_instruments(extra_dirs=[user_dir])}
    assert {"uwes9_like", "my_employee_survey", "customer_municipality", "engagement"} <= set(
        entries
    )
    assert not entries["uwes9_like"].builtin and entries["engagement"].builtin
    assert all(e.ok for e in entries.values()), [p for e in entries.values() for p in e.problems]


def test_user_file_composes_with_builtins(user_dir: Path) -> None:
    survey = get_instrument("my_employee_survey", extra_dirs=[user_dir])
    assert survey.lineage == ("my_employee_survey", "uwes9_like", "drivers", "mirror")
    assert survey.item_ids[:9] == get_instrument("uwes9_like", [user_dir]).item_ids
    assert set(survey.scale_specs()) >= {"u_vigor", "trust", "workload", "mirror_aspects"}
    assert survey.scale_specs()["u_vigor"].max == 6.0
    assert survey.scale_specs()["trust"].max == 5.0
    assert len(survey.mirror_pairs_for(get_instrument("customer"))) == 7
    # a file in the same directory is found when loading one file on its own
    assert load_instrument(user_dir / "my_survey.yml") == survey


def test_extends_replaces_moments_of_truth_in_place(user_dir: Path) -> None:
    base = get_instrument("customer")
    mine = get_instrument("customer_municipality", extra_dirs=[user_dir])
    assert mine.audience == "customer" and mine.description == base.description
    assert mine.title.en == "Municipality customer survey"
    assert [s.name for s in mine.scales] == [s.name for s in base.scales]
    assert mine.scale("moments_of_truth").item_ids == (
        "mot_first_contact",
        "mot_counter",
        "mot_permit",
    )
    assert mine.scale("aspects") == base.scale("aspects")
    # comment removed; recommend replaced in place (still second)
    assert mine.item_ids[:2] == ("overall_grade", "recommend")
    assert mine.item("recommend").text.nl.startswith("Zou u")
    assert "comment" not in mine.item_ids
    assert mine.lineage == ("customer_municipality", "customer")
    # the built-in mirror pairs apply to the extended customer instrument
    pairs = get_instrument("mirror").mirror_pairs_for(mine)
    assert {p.customer_item for p in pairs} == set(base.scale("aspects").item_ids) | {
        "overall_grade"
    }


def test_extends_problems(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "name: x\nversion: 1\nextends: customer\naudience: employee\nremove: [nothing_here]\n"
        "scales:\n  - name: aspects\n    title: {nl: A, en: A}\n    format: grade\n"
        "    items: [{id: overall_grade, text: {nl: a, en: a}}]\n",
        encoding="utf-8",
    )
    got = {p.location: p.message for p in validate_file(path)}
    assert "must be 'customer' like 'customer'" in got["audience"]
    assert (
        "'customer' has no scale or item outside scales called 'nothing_here'" in got["remove[0]"]
    )
    assert (
        "duplicate item id 'overall_grade': already in 'customer'" in got["scales[0].items[0].id"]
    )


def test_include_problems(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "name: x\nversion: 1\naudience: employee\ntitle: {nl: x, en: x}\n"
        "description: {nl: x, en: x}\ninclude: [engagement, customer, ghost, engagement]\n"
        "items: [{id: vig_fit, format: text, text: {nl: a, en: a}}]\n",
        encoding="utf-8",
    )
    got = {p.location: p.message for p in validate_file(path)}
    assert "'customer' is a customer instrument" in got["include[1]"]
    assert got["include[2]"].startswith("unknown instrument 'ghost'; known instruments: customer")
    assert "'engagement' is included twice" in got["include[3]"]
    assert (
        "duplicate item id 'vig_fit': already in included instrument 'engagement'"
        in got["items[0].id"]
    )


def test_name_clash_with_builtin_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "customer.yaml"
    path.write_text(
        (Path(__file__).parents[2] / "src/spiegel/instruments/builtin/customer.yaml").read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    problems = validate_file(path)
    assert [p.location for p in problems] == ["name"]
    assert "already the name of a built-in instrument" in problems[0].message
    assert "extends: customer" in problems[0].message
    # the built-in still wins by name, and the library lists the clash
    assert get_instrument("customer", extra_dirs=[tmp_path]).source.endswith(
        "builtin/customer.yaml"
    )
    clashing = [e for e in list_instruments([tmp_path]) if not e.builtin]
    assert len(clashing) == 1 and not clashing[0].ok


def test_cycles_are_reported(tmp_path: Path) -> None:
    head = "version: 1\naudience: employee\ntitle: {nl: x, en: x}\ndescription: {nl: x, en: x}\n"
    (tmp_path / "a.yaml").write_text(f"name: a\n{head}include: [b]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(f"name: b\n{head}include: [a]\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("name: c\nversion: 1\nextends: c\n", encoding="utf-8")
    problems = validate_file(tmp_path / "a.yaml")
    assert [p.location for p in problems] == ["include[0]"]
    assert "instrument 'b'" in problems[0].message
    assert "'a' extends or includes itself: a → b → a" in problems[0].message
    library = Library([tmp_path])
    with pytest.raises(InstrumentError, match="'b' extends or includes itself: b → a → b"):
        library.get("b")
    with pytest.raises(InstrumentError, match="'c' extends or includes itself: c → c"):
        library.get("c")


def test_broken_user_file_does_not_hide_the_others(user_dir: Path) -> None:
    (user_dir / "broken.yaml").write_text("name: broken\nversion: 0\n", encoding="utf-8")
    (user_dir / "garbage.yaml").write_text("[unclosed\n", encoding="utf-8")
    entries = {e.name: e for e in list_instruments([user_dir])}
    assert entries["uwes9_like"].ok
    assert not entries["broken"].ok and entries["broken"].instrument is None
    assert any(p.location == "version" for p in entries["broken"].problems)
    assert not entries["garbage"].ok  # named after the file when it has no name
    with pytest.raises(InstrumentError, match="version must be a whole number"):
        get_instrument("broken", [user_dir])


def test_unknown_instrument_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="unknown instrument 'nope'; known instruments: "):
        get_instrument("nope")
    with pytest.raises(InstrumentError, match="no such directory"):
        list_instruments([tmp_path / "missing"])
    assert validate_file(tmp_path / "x.yaml", extra_dirs=[tmp_path / "missing"])[0].message == (
        "no such directory"
    )
