"""Files that cannot be read as they are: one clear message for a file that is not what
its extension says, the row and file line of every CSV parsing error (a quote never
closed included), and limits that keep a small workbook from taking the server's
memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.ingest import read_excel
from spiegel.ingest.problems import ImportErrors
from spiegel.ingest.readers import Limits, read_table
from spiegel.services.importing import ReadOptions, import_responses

from .conftest import FILES, table_counts

HEADER = "respondent;unit;overall_grade;comment"


def _rows(n: int) -> list[str]:
    units = ["AMS-01", "AMS-02", "UTR-01", "EIN-01"]
    return [f"R{i};{units[i % 4]};{6 + i % 5};" for i in range(n)]


def _workbook(rows: int = 3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["respondent", "unit", "overall_grade"])
    for i in range(rows):
        ws.append([f"R{i}", "AMS-01", 8])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- not what the extension says -----------------------------------------------------------


def test_binary_data_named_csv_gets_one_message(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(np.random.default_rng(1).bytes(200_000))
    with pytest.raises(ValueError, match=r"^export.csv is not a CSV file: it holds binary data"):
        read_table(path)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("export.csv", "xlsx", "zip archive (an Excel workbook is one). If it is your data, "
         "rename it to export.xlsx"),
        ("export.csv", "sav", "an SPSS data file. If it is your data, rename it to export.sav"),
        ("export.xlsx", "csv", "a text file. If it is your data, rename it to export.csv"),
        ("export.xlsx", "sav", "an SPSS data file"),
        ("export.xlsx", "ole", "an old Excel .xls workbook, or a workbook protected with a "
         "password. Open it in Excel"),
        ("export.sav", "csv", "is not an SPSS .sav file: it holds a text file"),
    ],
)  # fmt: skip
def test_a_file_that_is_another_kind(tmp_path: Path, name: str, content: str, says: str) -> None:
    data = {
        "xlsx": _workbook(),
        "sav": (FILES / "responses_employee.sav").read_bytes(),
        "csv": (FILES / "units.csv").read_bytes(),
        "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
    }[content]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ValueError) as refused:
        read_table(path)
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.csv", "a;b\n1;2\n")
    with pytest.raises(ValueError, match="a zip archive without a workbook in it"):
        read_table(path)


# --- CSV parsing errors name their row and line -------------------------------------------


def test_unclosed_quote_names_the_line_it_opens_on(org_engine: Engine, tmp_path: Path) -> None:
    """The quote opens in the last column, so the rest of the file became one cell of
    the right width: pyarrow accepted it silently."""
    lines = [HEADER, *_rows(2_000)]
    lines[1_500] = 'R1499;UTR-01;7;"Prima, maar'
    path = tmp_path / "klanten.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = table_counts(org_engine)
    with pytest.raises(ImportErrors) as refused:
        import_responses(org_engine, path, survey="k", wave="w", instrument="customer")
    assert len(refused.value.problems) == 1
    problem = refused.value.problems[0]
    assert problem.row == 1_501
    assert 'a quote (") opens a cell on line 1501 of the file and is never closed' in problem.reason
    assert problem.value == '"Prima, maar'
    assert table_counts(org_engine) == before


def test_unclosed_quote_far_from_the_end(tmp_path: Path) -> None:
    """The issue's file: 200,000 rows, a quote opened on row 150,000 and never closed
    (more than the csv module's 131,072 characters follow)."""
    lines = [HEADER, *_rows(200_000)]
    lines[149_999] = 'R149998;"AMS-01;7;'
    path = tmp_path / "groot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path)
    assert len(table.problems) == 1
    problem = table.problems[0]
    assert problem.row == 150_000
    assert "line 150000 of the file and is never closed" in problem.reason
    assert "field larger than field limit" not in problem.reason
    assert len(table) == 149_998  # the rows before it were read


def test_row_numbers_and_file_lines_after_a_cell_with_line_breaks(tmp_path: Path) -> None:
    lines = [HEADER, 'R1;AMS-01;8;"twee\nregels"', "R2;AMS-01;8;;te veel", 'R3;AMS-01;"7']
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = read_table(path).problems
    assert [p.row for p in problems] == [3, 4]
    assert "this row has 5 cells where the header has 4 (line 4 of the file)" in problems[0].reason
    assert "opens a cell on line 5 of the file" in problems[1].reason


def test_unclosed_quote_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text('respondent;"unit;overall_grade\nR1;AMS-01;8\n', encoding="utf-8")
    problems = read_table(path).problems
    assert len(problems) == 1 and "line 1 of the file and is never closed" in problems[0].reason


# --- limits on Excel workbooks ------------------------------------------------------------


def _bomb(path: Path, megabytes: int) -> None:
    """A small workbook whose sheet unpacks to ``megabytes`` MB of cells."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    row = "<row>" + '<c t="n"><v>5</v></c>' * 50 + "</row>"
    rows = row * (megabytes * 1_000_000 // len(row))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start, end = text.index("<sheetData>") + 11, text.index("</sheetData>")
                data = (text[:start] + rows + text[end:]).encode()
            out.writestr(info.filename, data)


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "klein.xlsx"
    _bomb(path, 30)
    assert path.stat().st_size < 1_000_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(read_excel, "load_workbook", never)
    with pytest.raises(ValueError) as refused:
        read_table(path, limits=Limits(max_unpacked_mb=20))
    message = str(refused.value)
    assert "unpacks to 30 MB, more than the 20 MB an Excel import reads" in message
    assert "SPIEGEL_XLSX_MAX_UNPACKED_MB" in message


def test_rows_beyond_the_cap_are_not_read(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "veel.xlsx"
    path.write_bytes(_workbook(rows=30))
    assert len(read_table(path, limits=Limits(max_rows=30))) == 30
    options = ReadOptions.from_settings(Settings(xlsx_max_rows=29))
    with pytest.raises(ValueError, match="more than 29 rows, the most an Excel import reads"):
        import_responses(
            org_engine, path, survey="k", wave="w", instrument="customer", read_options=options
        )


def test_a_sheet_claiming_a_huge_size_is_read_by_its_cells(tmp_path: Path) -> None:
    """A workbook whose <dimension> claims A1:XFD1048576 is read as the cells it has."""
    path = tmp_path / "dim.xlsx"
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    with zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if "<dimension" in text:
                    start = text.index("<dimension")
                    text = (
                        text[:start]
                        + '<dimension ref="A1:XFD1048576"/>'
                        + text[text.index(">", start) + 1 :]
                    )
                data = text.encode()
            out.writestr(info.filename, data)
    table = read_table(path)
    assert table.columns == ["respondent", "unit", "overall_grade"] and len(table) == 3
