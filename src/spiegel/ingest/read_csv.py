"""Reading CSV the way Dutch Excel users produce it.

* Encoding: UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode text"), else
  Windows-1252 (cp1252, what Excel's plain "CSV" saves on a Dutch Windows). A file that is
  mostly UTF-8 with some rows in another encoding is reported row by row.
* Delimiter: ``;`` (Dutch Excel), ``,``, tab or ``|``, sniffed from the first lines.
* Parsing by pyarrow (multi-threaded); every cell is read as text, so codes such as
  ``007`` keep their zeros. Rows with too few or too many cells are reported with their row
  number.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from spiegel.ingest.problems import Problem
from spiegel.ingest.table import RawTable, clean_strings, drop_empty_rows

DELIMITERS = (";", ",", "\t", "|")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SAMPLE = 64 * 1024


def read_csv(
    path: Path, data: bytes, sha256: str, encoding: str | None = None, delimiter: str | None = None
) -> RawTable:
    """Read a CSV file's bytes into a :class:`RawTable` (see the module docstring)."""
    problems: list[Problem] = []
    utf8, used_encoding = decode(data, encoding, problems)
    if not utf8.strip():
        problems.append(Problem(None, None, None, "the file is empty"))
        return RawTable(
            pd.DataFrame(),
            np.empty(0, dtype=np.int64),
            path.name,
            sha256,
            "csv",
            encoding=used_encoding,
            problems=problems,
        )
    sample = utf8[:_SAMPLE].decode("utf-8", errors="replace")
    delim = delimiter or sniff_delimiter(sample)
    header = next(csv.reader(io.StringIO(sample), delimiter=delim))
    names = _column_names(header, problems)

    invalid: list[str] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.text)
        return "skip"

    frame: pd.DataFrame | None = None
    if not _has_blank_lines(utf8):
        try:
            table = pacsv.read_csv(
                pa.BufferReader(utf8),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                parse_options=pacsv.ParseOptions(
                    delimiter=delim, newlines_in_values=True, invalid_row_handler=on_invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.large_string() for n in names},
                    strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid:
            invalid.append("")
        else:
            if not invalid:
                cleaned = pa.table([clean_strings(c) for c in table.columns], names=names)
                frame = cleaned.to_pandas()
                rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    if frame is None:
        frame, rows = _slow_read(utf8, delim, names, problems)
    frame, rows = drop_empty_rows(frame, rows)
    frame = _drop_unnamed_empty(frame)
    return RawTable(
        frame,
        rows,
        path.name,
        sha256,
        "csv",
        encoding=used_encoding,
        delimiter=delim,
        problems=problems,
    )


def decode(data: bytes, encoding: str | None, problems: list[Problem]) -> tuple[bytes, str]:
    """The file's text as UTF-8 bytes (no BOM), and the encoding it was read with."""
    if encoding:
        try:
            return data.decode(encoding).encode("utf-8").removeprefix(b"\xef\xbb\xbf"), encoding
        except UnicodeDecodeError as exc:
            problems.append(_decode_problem(data, exc, encoding))
            text = data.decode(encoding, errors="replace")
            return text.encode("utf-8"), encoding
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        label = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    else:
        label = "utf-8"
    try:
        data.decode("utf-8")
        return data, label
    except UnicodeDecodeError:
        pass
    if label == "utf-8-sig" or _has_utf8_line(data):
        return _mixed(data, problems), "utf-8"
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                _line_of(data, exc.start),
                None,
                _snippet(data, exc.start),
                "the file is neither UTF-8 nor Windows-1252 text; save it from Excel as "
                "'CSV UTF-8' and import that",
            )
        )
        return data.decode("latin-1").encode("utf-8"), "latin-1"


def _has_utf8_line(data: bytes, limit: int = 1000) -> bool:
    """Whether some line is valid UTF-8 with accented letters (so the file was meant as
    UTF-8 and only some lines are not): Windows-1252 text rarely forms UTF-8 sequences,
    and when it does the line around them is not valid UTF-8 as a whole."""
    for count, match in enumerate(_UTF8_MULTIBYTE.finditer(data)):
        if count >= limit:
            break
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        try:
            data[start : end if end >= 0 else len(data)].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _mixed(data: bytes, problems: list[Problem]) -> bytes:
    """A UTF-8 file with some lines in another encoding: report each such line."""
    out = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
            out.append(line)
        except UnicodeDecodeError as exc:
            text = line.decode("cp1252", errors="replace")
            problems.append(
                Problem(
                    number,
                    None,
                    _snippet(line, exc.start),
                    "this row is not UTF-8 like the rest of the file (was it pasted from a "
                    "file in another encoding?); retype the accented letters or save the "
                    "whole file as 'CSV UTF-8'",
                )
            )
            out.append(text.encode("utf-8"))
    return b"\n".join(out)


def _decode_problem(data: bytes, exc: UnicodeDecodeError, encoding: str) -> Problem:
    return Problem(
        _line_of(data, exc.start),
        None,
        _snippet(data, exc.start),
        f"the file is not valid {encoding} text here",
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _snippet(data: bytes, offset: int) -> str:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    line = data[start : end if end >= 0 else len(data)]
    return line[:80].decode("cp1252", errors="replace").rstrip("\r")


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate found equally often on the first lines."""
    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    if len(lines) > 1 and not sample.endswith("\n"):
        lines = lines[:-1]  # the last line may be cut off
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        pass
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _column_names(header: list[str], problems: list[Problem]) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip() or f"(column {position})"
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


def _drop_unnamed_empty(frame: pd.DataFrame) -> pd.DataFrame:
    # Excel adds a nameless, empty column when rows end with the delimiter.
    drop = [c for c in frame.columns if str(c).startswith("(column ") and frame[c].isna().all()]
    return frame.drop(columns=drop) if drop else frame


def _has_blank_lines(utf8: bytes) -> bool:
    end = len(utf8)
    while end and utf8[end - 1] in b"\r\n":
        end -= 1
    return utf8.find(b"\n\n", 0, end) >= 0 or utf8.find(b"\n\r\n", 0, end) >= 0


def _slow_read(
    utf8: bytes, delim: str, names: list[str], problems: list[Problem]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Python's csv module, record by record: taken only for files with blank lines or
    rows of the wrong width, so that row numbers match what a spreadsheet shows and each
    malformed row is reported."""
    width = len(names)
    reader = csv.reader(io.StringIO(utf8.decode("utf-8", errors="replace")), delimiter=delim)
    good: list[int] = []
    records: list[list[str]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if number == 1 or not record:
                continue
            if len(record) > width and not any(c.strip() for c in record[width:]):
                record = record[:width]  # trailing empty cells: harmless
            if len(record) != width:
                problems.append(
                    Problem(
                        number,
                        None,
                        delim.join(record)[:80],
                        f"this row has {len(record)} cells where the header has {width}",
                    )
                )
                continue
            good.append(number)
            records.append(record)
    except csv.Error as exc:
        problems.append(Problem(None, None, None, f"the file cannot be read as CSV: {exc}"))
    columns = list(zip(*records, strict=True)) if records else [() for _ in names]
    table = pa.table(
        [clean_strings(pa.array(list(col), type=pa.large_string())) for col in columns],
        names=names,
    )
    return table.to_pandas(), np.asarray(good, dtype=np.int64)
