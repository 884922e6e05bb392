"""SQLite (and other DB-API drivers): rows through ``executemany``."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Table

from spiegel.store.answers import pack_matrix
from spiegel.store.bulk.columns import ColumnData, PackedFloats, Progress, chunks


def executemany(
    raw: object,
    table: Table,
    columns: Mapping[str, ColumnData],
    n_rows: int,
    progress: Progress | None,
    chunk_rows: int,
    placeholder: str,
) -> None:
    """Insert the rows with ``executemany`` on the DB-API connection ``raw``, in chunks;
    ``placeholder`` is the driver's parameter mark (``?`` or ``%s``)."""
    names = ", ".join(columns)
    marks = ", ".join([placeholder] * len(columns))
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    cursor = raw.cursor()  # type: ignore[attr-defined]
    try:
        for start, stop in chunks(n_rows, chunk_rows, progress):
            values = [_python_values(data, start, stop) for data in columns.values()]
            cursor.executemany(sql, zip(*values, strict=False))
    finally:
        cursor.close()


def _python_values(data: ColumnData, start: int, stop: int) -> Iterable[object]:
    if isinstance(data, PackedFloats):
        return pack_matrix(data.matrix[start:stop])
    if isinstance(data, np.ndarray):
        chunk = data[start:stop]
        if chunk.dtype.kind == "f":
            return [None if v != v else v for v in chunk.tolist()]
        return chunk.tolist()
    if isinstance(data, pd.Series):
        return [
            None if v is None or v is pd.NA or v != v else v for v in data.iloc[start:stop].tolist()
        ]
    if isinstance(data, pa.Array | pa.ChunkedArray):
        return data.slice(start, stop - start).to_pylist()
    if isinstance(data, dt.datetime):
        # The text form SQLAlchemy's DateTime type writes on SQLite (UTC, no offset).
        stamp = data.astimezone(dt.UTC) if data.tzinfo else data
        value: object = stamp.strftime("%Y-%m-%d %H:%M:%S.%f")
        return itertools.repeat(value, stop - start)
    if isinstance(data, dt.date):
        return itertools.repeat(data.isoformat(), stop - start)
    return itertools.repeat(data, stop - start)
