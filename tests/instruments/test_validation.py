"""A broken instrument file yields every problem at once, each naming its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiegel.instruments import InstrumentError, Problem, load_instrument, validate_file

BROKEN = """\
name: broken_one
version: 1
audience: employee
title: {nl: Kapot, en: Broken}
description: {nl: Kapot, en: Broken}
colour: blue
response_formats:
  tiny: {kind: agreement, points: [{nl: ja, en: "yes"}]}
  huge:
    kind: agreement
    points: [{nl: a, en: a}, {nl: b, en: b}, {nl: c, en: c}, {nl: d, en: d}, {nl: e, en: e},
             {nl: f, en: f}, {nl: g, en: g}, {nl: h, en: h}, {nl: i, en: i}, {nl: j, en: j},
             {nl: k, en: k}, {nl: l, en: l}]
  likert7: {kind: likert}
  open: {kind: text}
  pick:
    kind: choice
    options:
      - {code: a, nl: A, en: A}
      - {code: a, nl: B, en: B}
scales:
  - name: morale
    title: {nl: Moraal}
    format: agree5
    items:
      - id: m_one
        text: {nl: Een, en: One}
      - id: m_one
        text: {nl: Twee, en: Two}
      - id: m_three
        format: agree7
        text: {nl: Drie, en: Three}
      - id: m_four
        format: grade
        text: {nl: Vier, en: Four}
      - id: Bad-Id
        text: {nl: Vijf, en: Five}
        self_text: {nl: Ik, en: I}
  - name: chatter
    title: {nl: Praat, en: Talk}
    format: open
    items:
      - id: c_one
        text: {nl: Een, en: One}
items:
  - id: remark
    format: open
    reverse: true
    text: {nl: Opmerking, en: Remark}
  - id: choose
    format: pick
    text: {nl: Kies}
  - id: nothing
    text: {nl: Niets, en: Nothing}
mirror:
  customer_instrument: customer
  pairs:
    - {customer: asp_friendliness, employee: m_nope}
    - {customer: asp_nope, employee: m_four}
"""

# (line, location, a phrase the message must contain): one per kind of error
EXPECTED = [
    (6, "colour", "unknown key 'colour'"),
    (8, "response_formats.tiny.points", "needs 2 to 11 points; this one has 1"),
    (11, "response_formats.huge.points", "needs 2 to 11 points; this one has 12"),
    (14, "response_formats.likert7", "unknown kind 'likert'"),
    (18, "response_formats.pick.options", "option code(s) used more than once: 'a'"),
    (23, "scales[0].title.en", "missing English text ('en')"),
    (
        28,
        "scales[0].items[1].id",
        "duplicate item id 'm_one' (first used at scales[0].items[0].id, line 26)",
    ),
    (31, "scales[0].items[2].format", "unknown response format 'agree7' (did you mean 'agree5'?)"),
    (34, "scales[0].items[3].format", "'grade' runs 1–10 but the scale uses 1–5"),
    (36, "scales[0].items[4].id", "'Bad-Id' is not a valid item id"),
    (38, "scales[0].items[4].self_text", "only used in 360° instruments"),
    (41, "scales[1].format", "needs an ordinal response format"),
    (48, "items[0].reverse", "reverse keying needs an ordinal response format; 'open' is a text"),
    (52, "items[1].text.en", "missing English text ('en')"),
    (53, "items[2].format", "missing key 'format'"),
    (58, "mirror.pairs[0].employee", "unknown item 'm_nope'"),
    (59, "mirror.pairs[1].customer", "'customer' has no item 'asp_nope'"),
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_place(broken: Path) -> None:
    problems = validate_file(broken)
    assert all(p.file == str(broken) for p in problems)
    found = {(p.line, p.location): p.message for p in problems}
    for line, location, phrase in EXPECTED:
        assert (line, location) in found, f"no problem at {location} (line {line}): {problems}"
        assert phrase in found[(line, location)], found[(line, location)]
    assert len(problems) == len(EXPECTED), "\n".join(map(str, problems))


def test_problems_are_in_file_order_and_print_with_place(broken: Path) -> None:
    problems = validate_file(broken)
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)
    text = str(problems[0])
    assert text.startswith(f"{broken}:6: colour: unknown key")


def test_load_raises_instrument_error_carrying_all_problems(broken: Path) -> None:
    with pytest.raises(InstrumentError) as info:
        load_instrument(broken)
    assert isinstance(info.value, ValueError)
    assert info.value.problems == tuple(validate_file(broken))
    assert f"{len(EXPECTED)} problems in instrument definition" in str(info.value)
    assert "scales[0].items[1].id: duplicate item id 'm_one'" in str(info.value)


def _problems(tmp_path: Path, text: str, name: str = "x.yaml") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return validate_file(path)


MINIMAL = """\
name: tiny
version: 1
audience: customer
title: {nl: Klein, en: Small}
description: {nl: Klein, en: Small}
items:
  - {id: q, format: grade, text: {nl: Cijfer?, en: Grade?}}
"""


def test_minimal_file_is_valid(tmp_path: Path) -> None:
    assert _problems(tmp_path, MINIMAL) == []
    inst = load_instrument(tmp_path / "x.yaml")
    assert inst.item_ids == ("q",)
    assert inst.scale_specs() == {}


@pytest.mark.parametrize(
    ("change", "location", "phrase"),
    [
        (("version: 1", "version: 1.5"), "version", "version must be a whole number"),
        (("version: 1", "version: '1.2'"), "version", "semantic version"),
        (("audience: customer", "audience: patients"), "audience", "'patients' is not allowed"),
        (("name: tiny", "name: Tiny-One"), "name", "not a valid instrument name"),
        (("title: {nl: Klein, en: Small}\n", ""), "title", "missing key 'title'"),
        (
            ("title: {nl: Klein, en: Small}", "titel: {nl: Klein, en: Small}"),
            "titel",
            "did you mean 'title'",
        ),
        (("{nl: Klein, en: Small}", "{nl: '', en: Small}"), "title.nl", "must not be empty"),
        (("format: grade", "format: colour"), "items[0].format", "unknown response format"),
        (
            ("format: grade,", "format: grade, position: middle,"),
            "items[0].position",
            "'middle' is not allowed",
        ),
        (
            ("format: grade,", "format: grade, reverse: yes please,"),
            "items[0].reverse",
            "must be true or false",
        ),
        (("name: tiny", "name: tiny\nname: tiny"), "name", "key appears twice"),
    ],
)
def test_single_problems(
    tmp_path: Path, change: tuple[str, str], location: str, phrase: str
) -> None:
    text = MINIMAL.replace(*change)
    assert text != MINIMAL
    problems = _problems(tmp_path, text)
    assert any(p.location == location and phrase in p.message for p in problems), problems


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "name: x\nversion: 1: 2\nscales: []\n")
    assert len(problems) == 1
    assert problems[0].message.startswith("not valid YAML: mapping values are not allowed")
    assert problems[0].line == 2


def test_empty_missing_and_non_mapping_files(tmp_path: Path) -> None:
    assert _problems(tmp_path, "")[0].message == "the file is empty"
    assert "must be a mapping" in _problems(tmp_path, "- a\n- b\n")[0].message
    assert validate_file(tmp_path / "nope.yaml")[0].message == "no such file"


def test_anchors_outside_range(tmp_path: Path) -> None:
    text = MINIMAL + (
        "response_formats:\n"
        "  nps:\n"
        "    kind: likelihood\n"
        "    anchors: {0: {nl: nooit, en: never}, 11: {nl: zeker, en: surely}}\n"
    )
    problems = _problems(tmp_path, text)
    assert [(p.location, p.message) for p in problems] == [
        ("response_formats.nps.anchors", "anchor point(s) 11 outside the range 0–10")
    ]


def test_360_items_need_self_text(tmp_path: Path) -> None:
    text = MINIMAL.replace("audience: customer", "audience: 360")
    problems = _problems(tmp_path, text)
    assert [(p.location, p.line) for p in problems] == [("items[0]", 7)]
    assert "missing key 'self_text'" in problems[0].message


def test_mirror_rules(tmp_path: Path) -> None:
    text = MINIMAL + (
        "mirror:\n"
        "  customer_instrument: mirror\n"
        "  pairs:\n"
        "    - {customer: q, employee: mir_care}\n"
    )
    problems = _problems(tmp_path, text)
    messages = {p.location: p.message for p in problems}
    assert (
        "name the employee instrument with 'employee_instrument'"
        in messages["mirror.customer_instrument"]
    )
    assert "missing key 'employee_instrument'" in messages["mirror"]

    text = MINIMAL + (
        "scales:\n"
        "  - name: agreeable\n"
        "    title: {nl: Eens, en: Agree}\n"
        "    format: agree5\n"
        "    items: [{id: a1, text: {nl: Een, en: One}}]\n"
        "mirror:\n"
        "  employee_instrument: employee\n"
        "  pairs:\n"
        "    - {customer: q, employee: mir_care}\n"
        "    - {customer: a1, employee: mir_expertise}\n"
        "    - {customer: q, employee: nope}\n"
    )
    problems = _problems(tmp_path, text)
    got = [(p.location, p.message) for p in problems]
    assert got == [
        (
            "mirror.pairs[1]",
            "'a1' is answered 1–5 but 'mir_expertise' 1–10; a mirror pair needs the same range",
        ),
        ("mirror.pairs[2].customer", "item 'q' is already paired (in mirror.pairs[0], line 16)"),
        ("mirror.pairs[2].employee", "'employee' has no item 'nope'"),
    ], got


def test_mirror_partner_must_exist_and_face_the_other_way(tmp_path: Path) -> None:
    base = (
        MINIMAL + "mirror:\n  employee_instrument: OTHER\n  pairs: [{customer: q, employee: x}]\n"
    )
    problems = _problems(tmp_path, base.replace("OTHER", "ghost"))
    assert problems[0].location == "mirror.employee_instrument"
    assert "unknown instrument 'ghost'" in problems[0].message
    problems = _problems(tmp_path, base.replace("OTHER", "customer"))
    assert [(p.location, p.message) for p in problems] == [
        ("mirror.employee_instrument", "'customer' is a customer instrument, not an employee one")
    ]
