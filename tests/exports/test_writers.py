"""Writing tables to CSV, Excel, SPSS and Parquet; neutralising spreadsheet formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from spiegel.exports.writers import format_of, neutralise, write_frame

RISKY = ("=", "+", "-", "@", "\t", "\r")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": pd.Series(
                ['=HYPERLINK("http://x")', "+31 6 1234", "-2", "@SUM(A1)", "\tcmd", "Zoë"],
                dtype="str",
            ),
            "score": [-3.5, 4.0, np.nan, 5.0, 1.0, 2.0],
            "n": np.array([-1, 2, 3, 4, 5, 6], dtype=np.int64),
        }
    )


def test_neutralise_text_not_numbers() -> None:
    out = neutralise(_frame())
    assert out["respondent"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "'+31 6 1234",
        "'-2",
        "'@SUM(A1)",
        "'\tcmd",
        "Zoë",
    ]
    assert out["score"].iloc[0] == -3.5  # a negative number stored as a number stays
    assert out["n"].iloc[0] == -1


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=1, max_size=20))
def test_neutralised_cells_never_start_a_formula(cells: list[str | None]) -> None:
    out = neutralise(pd.DataFrame({"c": pd.Series(cells, dtype="str")}))["c"].tolist()
    for before, after in zip(cells, out, strict=True):
        if before is None:
            assert pd.isna(after)
        elif before.startswith(RISKY):
            assert after == "'" + before
        else:
            assert after == before
        assert after is None or pd.isna(after) or not after.startswith(RISKY)


def test_csv(tmp_path: Path) -> None:
    path = write_frame(_frame(), tmp_path / "out.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["respondent", "score", "n"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+31 6 1234",
        "'-2",
        "'@SUM(A1)",
        "'\tcmd",
        "Zoë",
    ]
    assert rows[1][1:] == ["-3.5", "-1"]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents


def test_xlsx(tmp_path: Path) -> None:
    path = write_frame(_frame(), tmp_path / "out.xlsx")
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("respondent", "score", "n")
    assert rows[1] == ('\'=HYPERLINK("http://x")', -3.5, -1)
    assert rows[3] == ("'-2", None, 3)
    assert rows[6][0] == "Zoë"


def test_sav_with_labels(tmp_path: Path) -> None:
    frame = pd.DataFrame({"resp": pd.Series(["a", "b"], dtype="str"), "q1": [1.0, 5.0]})
    path = write_frame(
        frame,
        tmp_path / "out.sav",
        value_labels={"q1": {1: "Helemaal oneens", 5: "Helemaal eens"}},
        variable_labels={"q1": "Ik zit vol energie"},
    )
    back, meta = pyreadstat.read_sav(str(path))
    assert back["q1"].tolist() == [1.0, 5.0]
    assert back["resp"].tolist() == ["a", "b"]
    assert meta.variable_value_labels["q1"] == {1.0: "Helemaal oneens", 5.0: "Helemaal eens"}
    assert meta.column_names_to_labels["q1"] == "Ik zit vol energie"


def test_parquet_keeps_values(tmp_path: Path) -> None:
    path = write_frame(_frame(), tmp_path / "out.parquet")
    back = pd.read_parquet(path)
    assert back["respondent"].iloc[0] == '=HYPERLINK("http://x")'  # data, not a sheet
    assert back["score"].iloc[0] == -3.5


def test_unknown_extension() -> None:
    with pytest.raises(ValueError, match=r"unknown export format '\.json'; use \.csv"):
        format_of("out.json")
