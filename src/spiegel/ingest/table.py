"""The table every reader produces, whatever the file format."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from spiegel.ingest.problems import Problem


@dataclass
class RawTable:
    """A file's cells as read, before any mapping or validation.

    ``frame`` holds one column per file column: strings (stripped; empty cells are null)
    or, where the file stores numbers (Excel, SPSS), ``float64`` with NaN for empty.
    ``rows`` holds, per frame row, the row number a person sees: the header's last row
    + 1 for the first data row in CSV and Excel, the case number in SPSS.

    What the reader found out about the file: ``tool``, the survey tool that wrote it
    (see :mod:`spiegel.ingest.export_formats`); ``texts``, the question text of a column
    where the header or an SPSS variable label holds one; ``roles``, columns the tool
    uses for its own data (``ignore``) or for the respondent id (``respondent``);
    ``notes``, what was detected, in words.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    filename: str
    sha256: str
    kind: str  # csv, xlsx, sav
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[Problem] = field(default_factory=list)
    tool: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # said only when the file is refused

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)


# Bytes that may begin or end a string with whitespace to trim: ASCII whitespace and
# every non-ASCII byte (Unicode spaces such as U+00A0 are multi-byte in UTF-8).
_MAY_BE_SPACE = np.zeros(256, dtype=bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[0x80:] = True


def clean_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Trim whitespace; empty strings become null (vectorised).

    Trimming every cell is the slow part of reading a large file, and nearly all cells
    need none: a column is trimmed only when one of its cells begins or ends with a byte
    that may be whitespace.
    """
    if not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.large_string())
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([_clean(c) for c in values.chunks], type=pa.large_string())
    return _clean(values)


def _clean(values: pa.Array) -> pa.Array:
    offsets, data = _string_buffers(values)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    edges = np.concatenate([data[starts[filled]], data[ends[filled] - 1]])
    if _MAY_BE_SPACE[edges].any():
        values = pc.utf8_trim_whitespace(values)
        return pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)
    valid = filled
    if values.null_count:
        valid = valid & values.is_valid().to_numpy(zero_copy_only=False)
    if valid.all():
        return values
    # the validity bitmap counts from the array's offset, like its other buffers
    padded = np.concatenate([np.zeros(values.offset, dtype=bool), valid])
    bitmap = pa.py_buffer(np.packbits(padded, bitorder="little"))
    buffers = values.buffers()
    return pa.Array.from_buffers(
        pa.large_string(), len(values), [bitmap, buffers[1], buffers[2]], offset=values.offset
    )


def _string_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (one more than values) and bytes of a large-string array."""
    _, offset_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[
        values.offset : values.offset + len(values) + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.empty(0, np.uint8)
    )
    return offsets, data


def drop_empty_rows(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Leave out rows in which every cell is empty (spreadsheets save them as ``;;;``)."""
    if frame.empty or frame.shape[1] == 0:
        return frame, rows
    empty = frame.isna().all(axis=1).to_numpy()
    if not empty.any():
        return frame, rows
    keep = ~empty
    return frame.loc[keep].reset_index(drop=True), rows[keep]


def unique_names(header: list[str], problems: list[Problem], row: int = 1) -> list[str]:
    """Column names from a header row: an empty one becomes ``(column N)``; a name used
    twice is reported (``row`` is the header's row) and the second gets its position."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(header, start=1):
        name = raw.strip() or f"(column {position})"
        if name in seen:
            problems.append(
                Problem(
                    row,
                    name,
                    None,
                    f"two columns have this name (columns {seen[name]} and {position}); rename one",
                )
            )
            name = f"{name} ({position})"
        seen.setdefault(name, position)
        names.append(name)
    return names


def canonical(value: object) -> str | None:
    """A cell as text for matching codes: ``5``, ``5.0`` and ``"5"`` all give ``"5"``."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, np.floating):
        return canonical(float(value))
    text = str(value).strip()
    return text or None


def as_text(series: pd.Series) -> pd.Series:
    """A column as stripped strings (numbers without a trailing ``.0``), null for empty."""
    if series.dtype.kind in "fiub":
        codes, uniques = pd.factorize(series)
        texts = np.array([canonical(v) for v in uniques.tolist()] + [None], dtype=object)
        return pd.Series(texts[codes], index=series.index, dtype="str")
    return series.astype("str")
