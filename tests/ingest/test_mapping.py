"""The mapping file: parsing, its error messages, and how columns are matched."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiegel.ingest.columns import plan_columns
from spiegel.ingest.mapping import Mapping, load_mapping
from spiegel.ingest.problems import Problems

from .conftest import FILES

FIELDS = {"unit": ("unit_code",), "respondent": ("respondent_id",)}


def test_example_mapping() -> None:
    mapping = load_mapping(FILES / "mapping_employee.yaml")
    assert mapping.instrument == "employee"
    assert mapping.target_of("team") == "unit"  # case-insensitive
    assert mapping.codes_for("role_group") == {"mt": "senior_management"}
    assert mapping.codes_for("ded_pride") == {"weet niet": None}
    assert mapping.unit_code("BRUG") == "AMS-01"
    assert load_mapping(None) == Mapping()


def test_numeric_codes_become_text(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "values:\n  q1: {1: 5, 2.0: 4, x: null}\ncolumns:\n  101: q1\n", encoding="utf-8"
    )
    mapping = load_mapping(path)
    assert mapping.codes_for("q1") == {"1": 5, "2": 4, "x": None}
    assert mapping.target_of("101") == "q1"


def test_mapping_errors_name_the_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("layout: diagonal\ncolumns:\n  A: unit\n  B:\nvalus: {}\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_mapping(path)
    message = str(info.value)
    assert message.startswith("bad.yaml: the mapping file has problems:")
    assert "layout: Input should be 'wide' or 'long'" in message
    assert "columns: 'B' maps to nothing; write 'ignore' to skip a column" in message
    assert "valus: unknown section" in message


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("columns: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.yaml: not valid YAML"):
        load_mapping(path)
    with pytest.raises(FileNotFoundError, match="no mapping file"):
        load_mapping(tmp_path / "none.yaml")


def test_columns_match_by_mapping_name_and_item() -> None:
    mapping = Mapping(
        columns={"Vestiging": "unit", "Q1": "q_one", "Oud": "ignore", "Weg": "ignore"}
    )
    problems = Problems()
    plan = plan_columns(
        ["Vestiging", "respondent_id", "q_one ", "Q1", "Oud", "Q_TWO"],
        mapping,
        FIELDS,
        problems,
        item_ids=["q_one", "q_two"],
    )
    assert plan.fields == {"unit": "Vestiging", "respondent": "respondent_id"}
    assert plan.items == {"q_one": "q_one ", "q_two": "Q_TWO"}
    assert plan.ignored == ["Oud"]  # 'Weg' is not in the file: fine for an ignored column
    assert [(p.column, p.reason.split(";")[0]) for p in problems] == [
        ("Q1", "columns 'q_one ' and 'Q1' both hold 'q_one'")
    ]


def test_unknown_columns_error_or_ignore() -> None:
    problems = Problems()
    plan_columns(["unit", "extra"], Mapping(), FIELDS, problems, item_ids=["q"])
    assert [p.column for p in problems] == ["extra"]
    problems = Problems()
    plan = plan_columns(
        ["unit", "extra"], Mapping(unknown_columns="ignore"), FIELDS, problems, item_ids=["q"]
    )
    assert not problems and plan.ignored == ["extra"]
