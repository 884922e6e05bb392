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
    ``rows`` holds, per frame row, the row number a person sees: header = row 1 in CSV
    and Excel, the case number in SPSS.
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

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)


def clean_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Trim whitespace; empty strings become null (vectorised)."""
    if not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.large_string())
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, trimmed.type), trimmed)


def drop_empty_rows(frame: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Leave out rows in which every cell is empty (spreadsheets save them as ``;;;``)."""
    if frame.empty or frame.shape[1] == 0:
        return frame, rows
    empty = frame.isna().all(axis=1).to_numpy()
    if not empty.any():
        return frame, rows
    keep = ~empty
    return frame.loc[keep].reset_index(drop=True), rows[keep]


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
