"""Writing a table to CSV, Excel, SPSS or Parquet, chosen by the file's extension.

Cells a spreadsheet would execute as a formula are neutralised in CSV and Excel (see
:func:`neutralise`). SPSS files get value labels and variable labels; the other formats
carry the plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from openpyxl import Workbook

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".sav": "sav", ".parquet": "parquet"}
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
_FORMULA_START = r"^[=+\-@\t\r]"


def format_of(path: Path | str) -> str:
    """The export format of ``path`` by extension; ``ValueError`` for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"{Path(path).name}: unknown export format {suffix or '(no extension)'!r}; use "
            ".csv, .xlsx, .sav or .parquet"
        )
    return FORMATS[suffix]


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells starting with ``=``, ``+``, ``-``, ``@``, tab or CR.

    Only text columns are touched: numbers stored as numbers (``-3.5``) stay numbers. A
    number stored as text (``"-3"``) is prefixed like any other text, as OWASP advises
    for CSV injection.
    """
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype.kind in "biufcmM":
            continue
        text = column.astype("str")
        risky = text.str.contains(_FORMULA_START, regex=True, na=False)
        if risky.any():
            out[name] = text.where(~risky, "'" + text).where(column.notna(), None)
    return out


def write_frame(
    frame: pd.DataFrame,
    path: Path | str,
    value_labels: Mapping[str, Mapping[float | int | str, str]] | None = None,
    variable_labels: Mapping[str, str] | None = None,
    delimiter: str = ",",
) -> Path:
    """Write ``frame`` to ``path`` in the format its extension names.

    Parameters
    ----------
    frame
        The table; numeric columns are written as numbers, NaN as an empty cell.
    path
        Target file: ``.csv`` (UTF-8 with BOM so Excel reads accents), ``.xlsx``, ``.sav``
        or ``.parquet``.
    value_labels
        SPSS only: per column, value to label.
    variable_labels
        SPSS only: per column, a descriptive label (e.g. the question text).
    delimiter
        CSV only.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    kind = format_of(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        neutralise(frame).to_csv(
            path, index=False, sep=delimiter, encoding="utf-8-sig", lineterminator="\r\n"
        )
    elif kind == "xlsx":
        _write_xlsx(neutralise(frame), path)
    elif kind == "sav":
        _write_sav(frame, path, value_labels or {}, variable_labels or {})
    else:
        frame.to_parquet(path, index=False)
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    if len(frame) > EXCEL_MAX_ROWS:
        raise ValueError(
            f"{path.name}: {len(frame):,} rows do not fit in an Excel sheet (at most "
            f"{EXCEL_MAX_ROWS:,}); export to .csv or .parquet instead"
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append([str(c) for c in frame.columns])
    columns = [_cells(frame[c]) for c in frame.columns]
    for row in zip(*columns, strict=True):
        sheet.append(row)
    workbook.save(path)


def _cells(column: pd.Series) -> list[object]:
    if column.dtype.kind == "f":
        values = column.to_numpy(dtype=float)
        return [None if np.isnan(v) else float(v) for v in values]
    if column.dtype.kind in "iu":
        return [None if pd.isna(v) else int(v) for v in column.tolist()]
    if column.dtype.kind == "b":
        return [None if pd.isna(v) else bool(v) for v in column.tolist()]
    if column.dtype.kind == "M":
        return [None if pd.isna(v) else v.to_pydatetime().replace(tzinfo=None) for v in column]
    return [None if pd.isna(v) else str(v) for v in column.tolist()]


def _write_sav(
    frame: pd.DataFrame,
    path: Path,
    value_labels: Mapping[str, Mapping[float | int | str, str]],
    variable_labels: Mapping[str, str],
) -> None:
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind == "M":
            out[name] = out[name].dt.tz_localize(None) if out[name].dt.tz is not None else out[name]
        elif out[name].dtype.kind not in "biuf":
            out[name] = out[name].astype(object).where(out[name].notna(), None)
    labels: dict[str, dict[int | float, str]] = {
        str(col): {float(k): v for k, v in m.items() if isinstance(k, int | float)}
        for col, m in value_labels.items()
        if col in out.columns
    }
    pyreadstat.write_sav(
        out,
        str(path),
        column_labels=[variable_labels.get(str(c), "") for c in out.columns],
        variable_value_labels=labels,
    )
