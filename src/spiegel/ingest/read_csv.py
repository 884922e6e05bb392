"""Reading CSV the way Dutch Excel users and survey tools produce it.

* Encoding: see :mod:`spiegel.ingest.encoding` (UTF-8, UTF-16, Windows-1252).
* Delimiter: ``;`` (Dutch Excel), ``,``, tab or ``|``, sniffed from the first lines.
* Header: the first records tell where the data begins (:func:`detect_header`): a
  Qualtrics export has three header rows, SurveyMonkey two, a report a title above its
  header.
* Parsing by pyarrow (multi-threaded); every cell is read as text, so codes such as
  ``007`` keep their zeros. Files with blank lines, rows of the wrong width or an odd
  number of quotes are read record by record instead, so that every such row is reported
  with its row and file line, and a quote that is never closed with the line it opens on.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from spiegel.ingest.encoding import decode
from spiegel.ingest.export_formats import column_roles, column_texts, detect_header
from spiegel.ingest.problems import Problem
from spiegel.ingest.table import RawTable, clean_strings, drop_empty_rows, unique_names

DELIMITERS = (";", ",", "\t", "|")
_SAMPLE = 64 * 1024
_HEAD_RECORDS = 12  # records read to find the header
_END = "\ufdd0spiegel: end of file\ufdd0"  # a noncharacter no file holds
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')


def read_csv(
    path: Path,
    data: bytes,
    sha256: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    title_rows: int | None = None,
    header_rows: int | None = None,
) -> RawTable:
    """Read a CSV file's bytes into a :class:`RawTable` (see the module docstring)."""
    problems: list[Problem] = []
    utf8, used_encoding = decode(data, encoding, problems)

    def table(frame: pd.DataFrame, rows: np.ndarray, delim: str | None = None) -> RawTable:
        return RawTable(
            frame, rows, path.name, sha256, "csv", encoding=used_encoding, delimiter=delim,
            problems=problems,
        )  # fmt: skip

    if not utf8.strip():
        problems.append(Problem(None, None, None, "the file is empty"))
        return table(pd.DataFrame(), np.empty(0, dtype=np.int64))
    sample = utf8[:_SAMPLE].decode("utf-8", errors="replace")
    delim = delimiter or sniff_delimiter(sample)
    head, ends, unclosed = _first_records(utf8, delim, _HEAD_RECORDS)
    header = detect_header(head, title_rows, header_rows)
    names = unique_names(header.names, problems, row=header.title_rows + 1)
    start = ends[header.skip - 1] if 0 < header.skip <= len(ends) else len(utf8)
    first_row = header.skip + 1

    if unclosed and len(head) < header.skip:  # a quote opened in the header
        opened = ends[-1] if ends else 0
        rest = utf8[opened:].decode("utf-8", errors="replace")
        line = utf8.count(b"\n", 0, opened) + 1
        problems.append(_unclosed_quote(rest, 0, len(head) + 1, line, delim))
    frame: pd.DataFrame | None = None
    if not _has_blank_lines(utf8, start) and utf8.count(b'"', start) % 2 == 0:
        frame = _fast_read(utf8, start, delim, names)
    if frame is not None:
        rows = np.arange(first_row, first_row + len(frame))
    else:
        text = utf8[start:].decode("utf-8", errors="replace")
        first_line = utf8.count(b"\n", 0, start) + 1
        frame, rows = _slow_read(text, delim, names, problems, first_row, first_line)
    frame, rows = drop_empty_rows(frame, np.asarray(rows, dtype=np.int64))
    frame = _drop_unnamed_empty(frame)
    out = table(frame, rows, delim)
    out.tool = header.tool.key if header.tool else None
    out.texts = column_texts(header, names)
    out.roles = column_roles(header.tool, out.columns)
    out.notes = header.notes
    out.hints = header.hints
    return out


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: the candidate found equally often on the first lines."""
    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    if len(lines) > 1 and not sample.endswith("\n"):
        lines = lines[:-1]  # the last line may be cut off
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        pass
    # a title line above the header has none: count on the line that has the most
    counts = {d: max((ln.count(d) for ln in lines), default=0) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _first_records(utf8: bytes, delim: str, n: int) -> tuple[list[list[str]], list[int], bool]:
    """The first ``n`` records (stripped cells), the byte offset where each ends, and
    whether the record after them opens a quote that is never closed."""
    ends: list[int] = []
    consumed = 0
    line_ends: list[int] = []

    def lines() -> Iterator[str]:
        nonlocal consumed
        while consumed < len(utf8):
            cut = utf8.find(b"\n", consumed)
            stop = len(utf8) if cut < 0 else cut + 1
            line = utf8[consumed:stop].decode("utf-8", errors="replace")
            consumed = stop
            line_ends.append(stop)
            yield line
        line_ends.extend([len(utf8)] * 2)
        if not utf8.endswith((b"\n", b"\r")):
            yield "\n"
        yield _END + "\n"

    records: list[list[str]] = []
    reader = csv.reader(lines(), delimiter=delim)
    try:
        for record in reader:
            if record == [_END]:
                break
            if any(_END in cell for cell in record):
                return records, ends, True
            records.append([c.strip() for c in record])
            ends.append(line_ends[reader.line_num - 1])
            if len(records) >= n:
                break
    except csv.Error:
        return records, ends, True  # a cell larger than the csv module takes
    return records, ends, False


def _fast_read(utf8: bytes, start: int, delim: str, names: list[str]) -> pd.DataFrame | None:
    """pyarrow's parser, or ``None`` when a row does not fit (the slow path reports it)."""
    invalid: list[str] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.text)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(utf8).slice(start)),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if invalid:
        return None
    cleaned = pa.table([clean_strings(c) for c in table.columns], names=names)
    return cleaned.to_pandas()


def _drop_unnamed_empty(frame: pd.DataFrame) -> pd.DataFrame:
    # Excel adds a nameless, empty column when rows end with the delimiter.
    drop = [c for c in frame.columns if str(c).startswith("(column ") and frame[c].isna().all()]
    return frame.drop(columns=drop) if drop else frame


def _has_blank_lines(utf8: bytes, start: int) -> bool:
    end = len(utf8)
    while end > start and utf8[end - 1] in b"\r\n":
        end -= 1
    return utf8.find(b"\n\n", start, end) >= 0 or utf8.find(b"\n\r\n", start, end) >= 0


def _slow_read(
    text: str,
    delim: str,
    names: list[str],
    problems: list[Problem],
    first_row: int,
    first_line: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Python's csv module, record by record, from the first data record: row numbers
    match what a spreadsheet shows, each malformed row is reported with its row and file
    line, and a quoted field that is never closed with the line its quote opens on.

    ``first_row`` is the record number and ``first_line`` the file line of ``text``'s
    start.
    """
    width = len(names)
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line
        if text and not text.endswith(("\n", "\r")):
            yield "\n"
        # Ends up inside the last record's cell when a quote is still open at the end.
        yield _END + "\n"

    reader = csv.reader(lines(), delimiter=delim)
    good: list[int] = []
    records: list[list[str]] = []
    number = first_row - 1
    while True:
        start, line = consumed, first_line + reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(_unclosed_quote(text, start, number + 1, line, delim))
            break
        number += 1
        if record == [_END]:
            break
        if any(_END in cell for cell in record):
            problems.append(_unclosed_quote(text, start, number, line, delim))
            break
        if not record:
            continue
        if len(record) > width and not any(c.strip() for c in record[width:]):
            record = record[:width]  # trailing empty cells: harmless
        if len(record) != width:
            where = f" (line {line} of the file)" if line != number else ""
            problems.append(
                Problem(
                    number,
                    None,
                    delim.join(record)[:80],
                    f"this row has {len(record)} cells where the header has {width}{where}",
                )
            )
            continue
        good.append(number)
        records.append(record)
    columns = list(zip(*records, strict=True)) if records else [() for _ in names]
    table = pa.table(
        [clean_strings(pa.array(list(col), type=pa.large_string())) for col in columns],
        names=names,
    )
    return table.to_pandas(), np.asarray(good, dtype=np.int64)


def _unclosed_quote(text: str, start: int, row: int, line: int, delim: str) -> Problem:
    """The record from ``text[start:]`` (row ``row``, file line ``line``) never ends: a
    quote opens a cell and is not closed, so the rest of the file became that cell."""
    at = _open_quote(text, start, delim)
    if at is None:
        return Problem(
            row,
            None,
            None,
            f"the row starting on line {line} of the file cannot be read: a cell is longer "
            f'than {csv.field_size_limit():,} characters; is a closing quote (") missing?',
        )
    opens = line + text.count("\n", start, at)
    snippet = text[at : at + 40].split("\n")[0]
    return Problem(
        row,
        None,
        snippet,
        f'a quote (") opens a cell on line {opens} of the file and is never closed, so '
        "everything after it would be read as one cell; nothing after that line was read. "
        'Close the quote or remove it (a quote inside a cell is written "")',
    )


def _open_quote(text: str, pos: int, delim: str) -> int | None:
    """Where, from the start of a record at ``pos``, a quoted cell opens and never closes."""
    end = len(text)
    while pos < end:
        if text[pos] == '"':
            match = _QUOTED.match(text, pos)
            if match is None:
                return pos
            pos = match.end()
        cut = [i for i in (text.find(delim, pos), text.find("\n", pos)) if i >= 0]
        if not cut or text[min(cut)] == "\n":
            return None
        pos = min(cut) + 1
    return None
