"""Reading SPSS ``.sav`` files (pyreadstat), keeping value and variable labels."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from spiegel.ingest.export_formats import column_roles, detect_tool
from spiegel.ingest.table import RawTable, canonical, drop_empty_rows


def read_sav(path: Path, data: bytes, sha256: str) -> RawTable:
    """Numeric variables stay ``float64`` (codes, not labels); string variables become
    text. Value labels are kept per column as ``{code: label}`` with codes as text
    (``"1"``), so the import can match labels to an instrument's answer labels, units and
    periods; variable labels are the columns' question texts. The row of a problem is the
    SPSS case number."""
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises its own error types
        raise ValueError(f"{path.name}: cannot be read as an SPSS .sav file ({exc})") from None
    _ = data  # the bytes were hashed by the caller; pyreadstat reads from the path
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        col = frame[name]
        if col.dtype.kind in "fiu":
            columns[str(name)] = col.astype("float64")
        elif col.dtype.kind == "M":
            columns[str(name)] = col.dt.strftime("%Y-%m-%d").astype("str")
        else:
            text = col.astype("str").str.strip()
            columns[str(name)] = text.where(text != "", None).astype("str")
    out = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
    labels = {
        str(var): {canonical(code) or "": str(label) for code, label in mapping.items()}
        for var, mapping in (meta.variable_value_labels or {}).items()
    }
    var_labels = {str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v}
    out, rows = drop_empty_rows(out, np.arange(1, len(out) + 1, dtype=np.int64))
    table = RawTable(
        out, rows, path.name, sha256, "sav", value_labels=labels, variable_labels=var_labels
    )
    tool = detect_tool(table.columns)
    table.tool = tool.key if tool else None
    table.texts = dict(var_labels)
    table.roles = column_roles(tool, table.columns)
    table.notes = [f"{tool.title} export (SPSS)"] if tool else []
    return table


def read_sav_bytes(data: bytes, name: str, sha256: str) -> RawTable:
    """Read a ``.sav`` file given as bytes (uploads): pyreadstat needs a path."""
    fd, tmp = tempfile.mkstemp(suffix=".sav")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        table = read_sav(Path(tmp), data, sha256)
    finally:
        Path(tmp).unlink(missing_ok=True)
    table.filename = name
    return table
