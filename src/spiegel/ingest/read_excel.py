"""Reading Excel ``.xlsx`` workbooks (openpyxl, read-only, row by row).

A workbook is a zip archive, and a small one can unpack to a very large sheet. Before
opening it, the sizes the archive declares for its parts are added up and the workbook is
refused when they exceed ``max_unpacked_bytes`` (a part cannot unpack to more than it
declares: the zip reader stops there). Rows are then read one at a time and reading stops
with a message at ``max_rows`` data rows.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from spiegel.config import XLSX_MAX_ROWS, XLSX_MAX_UNPACKED_MB
from spiegel.ingest.export_formats import Header, column_roles, column_texts, detect_header
from spiegel.ingest.problems import Problem
from spiegel.ingest.table import RawTable, canonical, drop_empty_rows, unique_names

_HEAD_ROWS = 12  # rows read to find the header


@dataclass(frozen=True)
class Limits:
    """How much of a workbook an import reads (settings ``SPIEGEL_XLSX_MAX_ROWS`` and
    ``SPIEGEL_XLSX_MAX_UNPACKED_MB``)."""

    max_rows: int = XLSX_MAX_ROWS
    max_unpacked_mb: int = XLSX_MAX_UNPACKED_MB


def read_xlsx(
    path: Path,
    data: bytes,
    sha256: str,
    sheet: str | None = None,
    title_rows: int | None = None,
    header_rows: int | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """The first sheet (or ``sheet``) of a workbook, its header found as in CSV files.

    A column whose filled cells are all numbers becomes ``float64``; any other column
    becomes text (numbers written without a trailing ``.0``, dates as ISO dates).
    """
    limits = limits or Limits()
    check_unpacked_size(path.name, data, limits.max_unpacked_mb)
    problems: list[Problem] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(f"{path.name}: cannot be read as an Excel workbook ({exc})") from None
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise ValueError(
                    f"{path.name}: no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}"
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        # Rows as long as their last cell, not as the <dimension> the file claims.
        worksheet.reset_dimensions()
        head: list[tuple[object, ...]] = []
        cells: list[tuple[object, ...]] = []
        rows: list[int] = []
        header: Header | None = None
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if header is None:
                head.append(tuple(row))
                if len(head) < _HEAD_ROWS:
                    continue
                header, cells, rows = _split_head(head, title_rows, header_rows)
                continue
            cells.append(tuple(row))
            rows.append(number)
            if len(cells) > limits.max_rows:
                raise ValueError(
                    f"{path.name}: the sheet has more than {limits.max_rows:,} rows, the most "
                    "an Excel import reads (setting SPIEGEL_XLSX_MAX_ROWS); save the sheet "
                    "as CSV and import that"
                )
        if header is None:
            header, cells, rows = _split_head(head, title_rows, header_rows)
    finally:
        workbook.close()
    names = unique_names(header.names, problems, row=header.title_rows + 1) if header.names else []
    if not names:
        problems.append(Problem(None, None, None, "the sheet is empty (no header row)"))
    width = len(names)
    columns: dict[str, pd.Series] = {}
    for j, name in enumerate(names):
        values = [r[j] if j < len(r) else None for r in cells]
        columns[name] = _column(values)
    for r, number in zip(cells, rows, strict=True):
        extra = [v for v in r[width:] if v not in (None, "")]
        if extra:
            problems.append(
                Problem(
                    number,
                    None,
                    canonical(extra[0]),
                    "a cell right of the last named "
                    f"column holds data; give that column a name in row {header.title_rows + 1}",
                )
            )
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(cells)))
    frame, row_numbers = drop_empty_rows(frame, np.asarray(rows, dtype=np.int64))
    table = RawTable(frame, row_numbers, path.name, sha256, "xlsx", problems=problems)
    table.tool = header.tool.key if header.tool else None
    table.texts = column_texts(header, names)
    table.roles = column_roles(header.tool, names)
    table.notes = header.notes
    table.hints = header.hints
    return table


def check_unpacked_size(name: str, data: bytes, max_mb: int) -> None:
    """Refuse a workbook whose parts declare more than ``max_mb`` MB unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
            if "xl/workbook.xml" not in archive.namelist():
                raise ValueError(
                    f"{name} is not an Excel workbook: it is a zip archive without a workbook "
                    "in it. Save the sheet from Excel as .xlsx or CSV and import that."
                )
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{name}: cannot be read as an Excel workbook ({exc})") from None
    if size > max_mb * 1_000_000:
        raise ValueError(
            f"{name}: the workbook unpacks to {size / 1e6:,.0f} MB, more than the "
            f"{max_mb:,} MB an Excel import reads (setting SPIEGEL_XLSX_MAX_UNPACKED_MB); "
            "save the sheet as CSV and import that"
        )


def _split_head(
    head: list[tuple[object, ...]], title_rows: int | None, header_rows: int | None
) -> tuple[Header, list[tuple[object, ...]], list[int]]:
    """The header found in the first rows, and the data rows among them."""
    records = [[_text(v) or "" for v in _trimmed(row)] for row in head]
    header = detect_header(records, title_rows, header_rows)
    data = head[header.skip :]
    return header, data, list(range(header.skip + 1, len(head) + 1))


def _trimmed(row: tuple[object, ...]) -> list[object]:
    values = list(row)
    while values and values[-1] in (None, ""):
        values.pop()
    return values


def _column(values: list[object]) -> pd.Series:
    filled = [v for v in values if v is not None and v != ""]
    if filled and all(isinstance(v, int | float) and not isinstance(v, bool) for v in filled):
        numbers = [float(v) if isinstance(v, int | float) else np.nan for v in values]
        return pd.Series(numbers, dtype="float64")
    return pd.Series([_text(v) for v in values], dtype="str")


def _text(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return canonical(value)
