"""Reading CSV (encodings, delimiters, odd rows), Excel and SPSS files."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spiegel.ingest.read_csv import sniff_delimiter
from spiegel.ingest.readers import read_table

from .conftest import FILES


def test_semicolon_csv_with_bom() -> None:
    table = read_table(FILES / "units.csv")
    assert table.encoding == "utf-8-sig"
    assert table.delimiter == ";"
    assert table.columns == ["code", "name", "kind", "parent", "unit_type"]  # BOM gone
    assert table.frame.loc[3, "name"] == "Café De Brug"
    assert table.frame.loc[4, "name"] == "’t Kabouterhuis"
    assert pd.isna(table.frame.loc[0, "parent"])  # empty cell -> missing
    assert table.rows.tolist() == list(range(2, 12))
    assert not table.problems


def test_cp1252_csv() -> None:
    table = read_table(FILES / "employees_cp1252.csv")
    assert table.encoding == "cp1252"
    assert table.frame["Naam"].tolist()[:4] == [
        "Zoë de Vries",
        "Anaïs Bakker",
        "Jeroen Müller",
        "Fenna Ünal",
    ]
    assert table.frame.loc[1, "unit"] == "Café De Brug"


def test_tab_delimited_cp1252_with_decimal_commas() -> None:
    table = read_table(FILES / "outcomes_wide.txt")
    assert (table.delimiter, table.encoding) == ("\t", "cp1252")
    assert table.frame.loc[3, "unit"] == "Ééndracht"
    assert table.frame.loc[0, "Verzuim %"] == "4,2%"  # text kept as written


def test_quoted_newline_keeps_row_numbers() -> None:
    table = read_table(FILES / "responses_customer.csv")
    assert len(table) == 20
    assert table.rows.tolist() == list(range(2, 22))
    assert table.frame["comment"].str.contains("\n").sum() == 4  # rows 5, 10, 15, 20


def test_codes_keep_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("unit;value\n007;1\n0042;2\n", encoding="utf-8")
    assert read_table(path).frame["unit"].tolist() == ["007", "0042"]


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a;b;c\n1;2;3\n", ";"),
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ('name;note\n"Smit, J.";"a, b"\n', ";"),
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("a;b\n1;2\n\n3;4\n;\n5;6\n\n", encoding="utf-8")
    table = read_table(path)
    assert table.frame["a"].tolist() == ["1", "3", "5"]
    assert table.rows.tolist() == [2, 4, 6]  # row 3 blank, row 5 only delimiters


def test_rows_of_the_wrong_width_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "width.csv"
    path.write_text("a;b;c\n1;2;3\n4;5\n6;7;8;9\n10;11;12;\n", encoding="utf-8")
    table = read_table(path)
    assert [(p.row, p.reason) for p in table.problems] == [
        (3, "this row has 2 cells where the header has 3"),
        (4, "this row has 4 cells where the header has 3"),
    ]
    assert table.frame["a"].tolist() == ["1", "10"]  # a trailing empty cell is harmless
    assert table.rows.tolist() == [2, 5]


def test_mixed_encoding_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("naam;plaats\nZoë;Café\n".encode() + b"Ren\xe9e;Utrecht\n")
    table = read_table(path)
    assert [(p.row, p.value) for p in table.problems] == [(3, "Renée;Utrecht")]
    assert "not UTF-8 like the rest of the file" in table.problems[0].reason


def test_neither_utf8_nor_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a;b\n1;2\nx\x81y;3\n")  # 0x81 is undefined in Windows-1252
    table = read_table(path)
    assert len(table.problems) == 1
    assert table.problems[0].row == 3
    assert "neither UTF-8 nor Windows-1252" in table.problems[0].reason


def test_utf16_from_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("code\tname\nA\tZoë\n".encode("utf-16"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.frame.loc[0, "name"] == "Zoë"


def test_duplicate_column_names(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("a;b;a\n1;2;3\n", encoding="utf-8")
    table = read_table(path)
    assert table.problems[0].column == "a"
    assert "two columns have this name (columns 1 and 3)" in table.problems[0].reason


def test_unsupported_extensions(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"x")
    with pytest.raises(ValueError, match=r"\.xls format is not supported; save it as \.xlsx"):
        read_table(old)
    with pytest.raises(FileNotFoundError, match="no file"):
        read_table(tmp_path / "missing.csv")


def test_xlsx_numbers_text_and_dates() -> None:
    table = read_table(FILES / "responses_employee.xlsx")
    frame = table.frame
    assert frame["vig_energy"].dtype == np.float64
    assert frame["vig_persist"].isna().tolist() == [False, True, False, False, False]
    assert frame["Trots"].tolist()[:2] == ["Helemaal eens", "Eens"]
    assert frame["Startdatum"].iloc[0] == "2026-03-02T09:30:00"
    assert table.rows.tolist() == [2, 3, 4, 5, 6]


def test_sav_keeps_value_and_variable_labels() -> None:
    table = read_table(FILES / "responses_employee.sav")
    assert table.rows.tolist() == [1, 2, 3, 4, 5, 6]  # SPSS case numbers
    assert table.frame["locatie"].dtype == np.float64
    assert table.value_labels["locatie"]["1"] == "Café De Brug"
    assert table.value_labels["abs_focus0"]["0"] == "Helemaal oneens"
    assert table.variable_labels["vig_energy"] == "Ik zit vol energie"


_cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp", "Zs"))
    | st.sampled_from(['"', ";", ",", "\n", "é", "’", " "]),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_cell, _cell), min_size=1, max_size=8),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_csv_round_trip(rows: list[tuple[str, str]], delimiter: str, encoding: str) -> None:
    """Whatever a spreadsheet writes (quotes, delimiters and newlines inside cells), the
    reader gives back the same cells, stripped, with empty cells missing."""
    rows = [tuple(c.replace("\r", "") for c in r) for r in rows]
    if encoding == "cp1252":
        rows = [tuple(c.encode("cp1252", "ignore").decode("cp1252") for c in r) for r in rows]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["first", "second"])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if encoding == "cp1252":
        # Windows-1252 letters that together form UTF-8 ("Â¡" is the bytes of "¡") cannot
        # be told apart from UTF-8; such text does not occur in Dutch files.
        assume(not re.search(rb"[\xc2-\xf4][\x80-\xbf]", data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "round.csv"
        path.write_bytes(data)
        table = read_table(path, delimiter=delimiter)
    assert not table.problems
    got = [
        tuple(None if pd.isna(v) else v for v in r)
        for r in table.frame[["first", "second"]].itertuples(index=False)
    ]
    assert got == [tuple(c.strip() or None for c in r) for r in rows]
