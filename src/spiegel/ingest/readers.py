"""One entry point for every file kind: :func:`read_table`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spiegel.ingest.read_csv import read_csv
from spiegel.ingest.read_excel import Limits, read_xlsx
from spiegel.ingest.read_spss import read_sav
from spiegel.ingest.sniff import HEAD, check_kind
from spiegel.ingest.table import RawTable

__all__ = ["SUFFIXES", "Limits", "read_table"]

SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
}


def read_table(
    path: Path | str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    *,
    title_rows: int | None = None,
    header_rows: int | None = None,
    limits: Limits | None = None,
) -> RawTable:
    """Read a CSV, Excel or SPSS file, chosen by its extension.

    Parameters
    ----------
    path
        The file. ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm`` or ``.sav``/``.zsav``.
    encoding, delimiter
        CSV only: override the sniffed encoding or delimiter.
    sheet
        Excel only: the sheet to read (default: the first).
    title_rows, header_rows
        CSV and Excel: rows above the header, and rows the header takes (default:
        detected, see :mod:`spiegel.ingest.export_formats`).
    limits
        Excel only: the most rows and unpacked megabytes read.

    Returns
    -------
    RawTable
        The cells, the spreadsheet row numbers, the file's SHA-256, what was detected
        (tool, question texts, notes) and any problems met while reading (bad encoding,
        rows of the wrong width, a quote never closed).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        The extension is not supported, the file is not what its extension says, it is
        larger than the limits, or it cannot be opened at all.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file {str(path)!r}")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        if path.suffix.lower() == ".xls":
            raise ValueError(
                f"{path.name}: the old Excel .xls format is not supported; save it as .xlsx"
            )
        raise ValueError(
            f"{path.name}: unsupported file type {path.suffix!r}; use .csv, .xlsx or .sav"
        )
    data = path.read_bytes()
    if data:
        check_kind(path.name, kind, data[:HEAD])
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "csv":
        return read_csv(
            path,
            data,
            sha256,
            encoding=encoding,
            delimiter=delimiter,
            title_rows=title_rows,
            header_rows=header_rows,
        )
    if kind == "xlsx":
        return read_xlsx(
            path,
            data,
            sha256,
            sheet=sheet,
            title_rows=title_rows,
            header_rows=header_rows,
            limits=limits,
        )
    return read_sav(path, data, sha256)
