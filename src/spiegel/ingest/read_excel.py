"""Reading Excel ``.xlsx`` workbooks (openpyxl, read-only)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from spiegel.ingest.problems import Problem
from spiegel.ingest.table import RawTable, canonical, drop_empty_rows


def read_xlsx(path: Path, data: bytes, sha256: str, sheet: str | None = None) -> RawTable:
    """The first sheet (or ``sheet``) of a workbook; row 1 is the header.

    A column whose filled cells are all numbers becomes ``float64``; any other column
    becomes text (numbers written without a trailing ``.0``, dates as ISO dates).
    """
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
        header: list[str] = []
        cells: list[tuple[object, ...]] = []
        rows: list[int] = []
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number == 1:
                header = _header(row, problems)
                continue
            cells.append(tuple(row))
            rows.append(number)
    finally:
        workbook.close()
    if not header:
        problems.append(Problem(None, None, None, "the sheet is empty (no header in row 1)"))
    width = len(header)
    columns: dict[str, pd.Series] = {}
    for j, name in enumerate(header):
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
                    "column holds data; give that column a name in row 1",
                )
            )
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(cells)))
    frame, row_numbers = drop_empty_rows(frame, np.asarray(rows, dtype=np.int64))
    return RawTable(frame, row_numbers, path.name, sha256, "xlsx", problems=problems)


def _header(row: tuple[object, ...], problems: list[Problem]) -> list[str]:
    values = list(row)
    while values and values[-1] in (None, ""):
        values.pop()
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, value in enumerate(values, start=1):
        name = canonical(value) or f"(column {position})"
        if name in seen:
            problems.append(
                Problem(
                    1,
                    name,
                    None,
                    f"two columns have this name (columns {seen[name]} and {position}); rename one",
                )
            )
            name = f"{name} ({position})"
        seen.setdefault(name, position)
        names.append(name)
    return names


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
