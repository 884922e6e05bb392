"""A file with a dozen kinds of mistakes: every one reported precisely, nothing imported.

``files/responses_errors.csv`` answers the ``team_pulse`` instrument
(``files/instruments/team_pulse.yaml``) with ``files/mapping_errors.yaml``; each data row
holds one mistake (see ``files/make_files.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from spiegel.ingest.problems import ImportErrors, Problem
from spiegel.services.importing import import_responses

from .conftest import FILES, INSTRUMENTS, table_counts

CHOICES = "the codes 1 (Vast contract), 2 (Tijdelijk contract), 3 (Uitzendkracht)"
EXPECTED = [
    Problem(
        None,
        "Werkdruk",
        None,
        "the mapping file names column 'Werkdruk' (as workload), but the file has no such "
        "column; its columns are: respondent, Team, Functie, energie, vitaal, zinvol, "
        "contract, opmerking, q99",
    ),
    Problem(
        None,
        "q99",
        None,
        "unknown column: not an item of the instrument and not mapped; map it in the "
        "mapping file (columns: {q99: ITEM_ID} or {q99: ignore}), or set "
        "'unknown_columns: ignore'",
    ),
    Problem(
        3,
        "Team",
        "AMS-99",
        "unknown unit; use a unit code from the units file, or map this label under "
        "'units:' in the mapping file",
    ),
    Problem(4, "Team", None, "empty unit; every row needs a unit code"),
    Problem(5, "energie", "7", "7 is out of range; item energy takes whole numbers 1–5"),
    Problem(
        6,
        "vitaal",
        "veel",
        "not a number; item vital takes whole numbers 1–5 (map other answers under "
        "'values: vitaal:' in the mapping file)",
    ),
    Problem(7, "zinvol", "3,5", "3,5 is not a whole number; item meaning takes whole numbers 1–5"),
    Problem(8, "contract", "9", f"unknown choice code 9; item contract takes {CHOICES}"),
    Problem(9, "respondent", "P02", "duplicate respondent id (first in row 3)"),
    Problem(
        10,
        "Functie",
        "stagiair",
        "not a role group; use senior_management, manager, front_line, back_office, or map "
        "'stagiair' under 'values: Functie:' in the mapping file",
    ),
    Problem(11, "Functie", None, "empty role group; employee responses need one"),
    Problem(
        12, "opmerking", "x" * 61, "text longer than 60 characters, the most item remark takes"
    ),
    Problem(
        13,
        None,
        "P12;AMS-01-T2;Uitvoerend;4;4;5;1;;;extra",
        "this row has 10 cells where the header has 9",
    ),
    Problem(
        14,
        None,
        "P13;AMS-01-T2;Uitvoerend;4;4;5;1;Zoë;",
        "this row is not UTF-8 like the rest of the file (was it pasted from a file in "
        "another encoding?); retype the accented letters or save the whole file as "
        "'CSV UTF-8'",
    ),
    Problem(
        15,
        "contract",
        "Weet niet",
        f"the mapping file maps 'Weet niet' to 7, which item contract does not take; it "
        f"takes {CHOICES}",
    ),
]


def test_every_mistake_reported_and_nothing_imported(staffed_engine: Engine) -> None:
    before = table_counts(staffed_engine)
    with pytest.raises(ImportErrors) as info:
        import_responses(
            staffed_engine,
            FILES / "responses_errors.csv",
            survey="pulse",
            wave="2026-Q2",
            mapping=FILES / "mapping_errors.yaml",
            instrument_dirs=[INSTRUMENTS],
        )
    assert info.value.problems == EXPECTED
    assert "15 problems found, nothing imported" in str(info.value)
    assert table_counts(staffed_engine) == before


def test_missing_required_columns(staffed_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "nounit.csv"
    path.write_text("respondent;vig_energy\nA;4\n", encoding="utf-8")
    before = table_counts(staffed_engine)
    with pytest.raises(ImportErrors) as info:
        import_responses(staffed_engine, path, survey="mw", wave="2026-Q1", instrument="employee")
    assert [(p.column, p.reason) for p in info.value.problems] == [
        (
            "role_group",
            "required column 'role_group' is missing; name a column 'role_group' "
            "or map one to it in the mapping file (columns: {YOUR_COLUMN: role_group})",
        ),
        (
            "unit",
            "required column 'unit' is missing; name a column 'unit' or map one to it "
            "in the mapping file (columns: {YOUR_COLUMN: unit})",
        ),
    ]
    assert table_counts(staffed_engine) == before


def test_problems_as_a_table(staffed_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportErrors) as info:
        import_responses(
            staffed_engine,
            FILES / "responses_errors.csv",
            survey="pulse",
            wave="2026-Q2",
            mapping=FILES / "mapping_errors.yaml",
            instrument_dirs=[INSTRUMENTS],
        )
    frame = info.value.to_frame()
    assert list(frame.columns) == ["row", "column", "value", "reason"]
    assert len(frame) == len(EXPECTED)
    assert frame["row"].isna().sum() == 2  # the two column-level problems
    assert frame.loc[2, ["row", "column", "value"]].tolist() == [3, "Team", "AMS-99"]
