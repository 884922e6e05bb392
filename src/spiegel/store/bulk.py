"""Fast bulk inserts inside the caller's transaction.

PostgreSQL gets ``COPY ... FROM STDIN (FORMAT binary)`` through psycopg's ``cursor.copy``
on the session's own connection. The binary payload is built column-wise with numpy and
pyarrow (fixed-width fields as one structured array, text fields joined by arrow), so a
million rows cost no per-row Python. SQLite gets ``executemany`` on the session's
connection. Either way the rows belong to the session's transaction: a rollback removes
them.

Foreign keys on PostgreSQL are checked per row by triggers, which costs more than the
COPY itself. :func:`insert_rows` therefore checks every foreign key of the new rows once,
set-wise, and locks the referenced rows ``FOR KEY SHARE`` (the lock the per-row check
takes). When the database role may set ``session_replication_role`` (a superuser, or on
PostgreSQL 15+ after ``GRANT SET ON PARAMETER session_replication_role TO <role>``) the
per-row triggers are then skipped for the COPY; otherwise they run as usual. The
guarantee is the same either way: no row refers to a missing parent.

Column data may be

* a numpy array (integers, floats with NaN for null, booleans),
* a pandas Series or pyarrow array of strings (nulls allowed),
* :class:`PackedFloats`, a (rows x items) float matrix stored as one packed ``float64``
  blob per row (see :mod:`spiegel.store.answers`),
* a plain Python value (``str``, ``int``, ``float``, ``bool``, ``None``, ``datetime``),
  repeated on every row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, Table, select, text
from sqlalchemy.orm import Session

from spiegel.store.answers import DTYPE, ITEM_BYTES, pack_matrix

Progress = Callable[[int], None]

_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_NULL_FIELD = struct.pack(">i", -1)
SQLITE_CACHE_KIB = -262_144  # negative: KiB, i.e. up to 256 MiB of page cache


@dataclass(frozen=True)
class PackedFloats:
    """A float matrix whose rows go into a binary column, one packed vector per row."""

    matrix: np.ndarray

    def __len__(self) -> int:
        return int(self.matrix.shape[0])


Scalar: TypeAlias = str | int | float | bool | dt.datetime | dt.date | None
ColumnData: TypeAlias = np.ndarray | pd.Series | pa.Array | pa.ChunkedArray | PackedFloats | Scalar


def insert_rows(
    session: Session,
    table: Table,
    columns: Mapping[str, ColumnData],
    n_rows: int,
    progress: Progress | None = None,
    chunk_rows: int = 100_000,
) -> int:
    """Insert ``n_rows`` rows into ``table`` within the session's current transaction.

    Parameters
    ----------
    session
        The session whose transaction the rows join (nothing is committed here).
    table
        The SQLAlchemy table (``Model.__table__``).
    columns
        Column name to its data (see the module docstring for accepted kinds). Columns
        left out get their database default (``NULL`` unless the schema says otherwise;
        Python-side defaults of the models do not apply).
    n_rows
        Number of rows; every array must have this length.
    progress
        Called with the number of rows written after each chunk.
    chunk_rows
        Rows per COPY chunk or ``executemany`` call.

    Returns
    -------
    int
        The number of rows inserted.

    Raises
    ------
    ValueError
        An array has the wrong length, a column is unknown, or a foreign key refers to a
        row that does not exist.
    """
    for name, data in columns.items():
        if name not in table.c:
            raise ValueError(f"table {table.name!r} has no column {name!r}")
        if _is_vector(data) and len(data) != n_rows:  # type: ignore[arg-type]
            raise ValueError(f"column {name!r} has {len(data)} values, expected {n_rows}")  # type: ignore[arg-type]
    if n_rows == 0:
        return 0
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        skip_triggers = _check_references(session, table, columns)
        if skip_triggers:
            session.execute(text("SET LOCAL session_replication_role = replica"))
        _copy_binary(raw, table, columns, n_rows, progress, chunk_rows)
        if skip_triggers:  # after a failure the rollback undoes the SET LOCAL itself
            session.execute(text("SET LOCAL session_replication_role = DEFAULT"))
    elif connection.dialect.name == "sqlite":
        _check_references(session, table, columns)
        # A bigger page cache for this connection while the rows go in: index pages stay
        # in memory (about twice as fast for a million rows); restored afterwards.
        previous = session.execute(text("PRAGMA cache_size")).scalar()
        session.execute(text(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}"))
        try:
            _executemany(raw, table, columns, n_rows, progress, chunk_rows, "?")
        finally:
            session.execute(text(f"PRAGMA cache_size = {int(previous or -2000)}"))
    else:
        _executemany(raw, table, columns, n_rows, progress, chunk_rows, "%s")
    return n_rows


def _is_vector(data: object) -> bool:
    return isinstance(data, np.ndarray | pd.Series | pa.Array | pa.ChunkedArray | PackedFloats)


# --- foreign keys, checked once per insert -----------------------------------------------


def _check_references(session: Session, table: Table, columns: Mapping[str, ColumnData]) -> bool:
    """Verify every referenced row exists (locking it on PostgreSQL); True when per-row
    foreign-key triggers may be skipped."""
    postgres = session.connection().dialect.name == "postgresql"
    for fk in table.foreign_keys:
        name = fk.parent.name
        if name not in columns:
            continue
        wanted = _distinct_values(columns[name])
        if not wanted:
            continue
        target = fk.column
        found: set[int] = set()
        if postgres:
            found.update(
                session.execute(
                    text(
                        f"SELECT {target.name} FROM {target.table.name} "
                        f"WHERE {target.name} = ANY(:ids) FOR KEY SHARE"
                    ),
                    {"ids": wanted},
                ).scalars()
            )
        else:
            for start in range(0, len(wanted), 10_000):
                found.update(
                    session.execute(
                        select(target).where(target.in_(wanted[start : start + 10_000]))
                    ).scalars()
                )
        missing = set(wanted) - found
        if missing:
            sample = ", ".join(str(v) for v in sorted(missing)[:5])
            raise ValueError(
                f"{table.name}.{name} refers to {target.table.name} rows that do not exist: "
                f"{sample}"
            )
    if not postgres:
        return False
    return bool(
        session.execute(
            text(
                "SELECT current_setting('is_superuser') = 'on' OR "
                "(current_setting('server_version_num')::int >= 150000 AND "
                "has_parameter_privilege('session_replication_role', 'SET'))"
            )
        ).scalar()
    )


def _distinct_values(data: ColumnData) -> list[int]:
    if data is None:
        return []
    if isinstance(data, np.ndarray):
        values = np.unique(data[~np.isnan(data)] if data.dtype.kind == "f" else data)
        return [int(v) for v in values]
    if isinstance(data, pd.Series):
        return [int(v) for v in data.dropna().unique()]
    if isinstance(data, pa.Array | pa.ChunkedArray):
        return [int(v) for v in pc.unique(data.drop_null()).to_pylist()]
    if isinstance(data, int | float):
        return [int(data)]
    raise ValueError(f"unsupported data for a foreign key column: {type(data).__name__}")


# --- PostgreSQL: COPY binary format, built column-wise -----------------------------------


def _copy_binary(
    raw: object,
    table: Table,
    columns: Mapping[str, ColumnData],
    n_rows: int,
    progress: Progress | None,
    chunk_rows: int,
) -> None:
    # Fixed-width fields first (one numpy record per row), text fields after them.
    fixed = [n for n, d in columns.items() if _fixed_width(table, n, d)]
    varying = [n for n in columns if n not in fixed]
    names = ", ".join(fixed + varying)
    sql = f"COPY {table.name} ({names}) FROM STDIN (FORMAT binary)"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        copy.write(_COPY_HEADER)
        for start in range(0, n_rows, chunk_rows):
            stop = min(start + chunk_rows, n_rows)
            rows = _binary_rows(table, columns, fixed, varying, start, stop)
            copy.write(_payload(rows))
            if progress is not None:
                progress(stop - start)
        copy.write(_COPY_TRAILER)


def _fixed_width(table: Table, name: str, data: ColumnData) -> bool:
    if isinstance(data, PackedFloats):
        return True
    if isinstance(data, np.ndarray):
        return not (data.dtype.kind == "f" and bool(np.isnan(data).any()))
    # text columns vary in width; constants (None included) do not
    return not isinstance(data, pd.Series | pa.Array | pa.ChunkedArray)


def _binary_rows(
    table: Table,
    columns: Mapping[str, ColumnData],
    fixed: list[str],
    varying: list[str],
    start: int,
    stop: int,
) -> pa.Array:
    n = stop - start
    fields: list[tuple[str, str]] = [("nfields", ">i2")]
    values: dict[str, object] = {"nfields": len(columns)}
    for i, name in enumerate(fixed):
        encoded = _fixed_field(table.c[name].type, columns[name], start, stop)
        if encoded is None:  # constant NULL: a length of -1 and no data
            fields.append((f"l{i}", ">i4"))
            values[f"l{i}"] = -1
            continue
        fmt, value, length = encoded
        fields.append((f"l{i}", ">i4"))
        values[f"l{i}"] = length
        if length:
            fields.append((f"v{i}", fmt))
            values[f"v{i}"] = value
    record = np.empty(n, dtype=np.dtype(fields))
    for key, value in values.items():
        record[key] = value
    width = record.dtype.itemsize
    head = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), n, [None, pa.py_buffer(record.view(np.uint8))]
    )
    parts: list[pa.Array] = [pc.cast(head, pa.large_binary())]
    parts += [_varying_field(table.c[name].type, columns[name], start, stop) for name in varying]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(
        *parts, pa.scalar(b"", pa.large_binary()), null_handling="skip"
    )


def _fixed_field(
    sqltype: object, data: ColumnData, start: int, stop: int
) -> tuple[str, object, int] | None:
    """numpy format, value(s) and byte length of a fixed-width field; None for NULL."""
    if data is None:
        return None
    if isinstance(data, PackedFloats):
        matrix = np.ascontiguousarray(data.matrix[start:stop], dtype=DTYPE)
        width = matrix.shape[1] * ITEM_BYTES
        return f"V{width}", matrix.view(f"V{width}").ravel(), width
    value: object = data[start:stop] if isinstance(data, np.ndarray) else data
    if isinstance(sqltype, Boolean):
        return "u1", np.asarray(value).astype("u1"), 1
    if isinstance(sqltype, BigInteger):
        return ">i8", value, 8
    if isinstance(sqltype, Integer):
        return ">i4", value, 4
    if isinstance(sqltype, Float):
        return ">f8", value, 8
    if isinstance(sqltype, DateTime):
        if not isinstance(value, dt.datetime):
            raise ValueError("DateTime columns take one datetime value per insert")
        stamp = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        micros = (stamp - _PG_EPOCH) // dt.timedelta(microseconds=1)
        return ">i8", micros, 8
    if isinstance(sqltype, Date):
        if not isinstance(value, dt.date):
            raise ValueError("Date columns take one date value per insert")
        return ">i4", (value - _PG_EPOCH.date()).days, 4
    encoded = str(value).encode()
    return f"S{len(encoded)}", encoded, len(encoded)


def _varying_field(sqltype: object, data: ColumnData, start: int, stop: int) -> pa.Array:
    """A column chunk as binary COPY fields (length prefix + bytes, or -1 for NULL)."""
    if isinstance(data, np.ndarray):  # floats with NaN
        chunk = data[start:stop]
        record = np.empty(len(chunk), dtype=[("l", ">i4"), ("v", ">f8")])
        record["l"] = 8
        record["v"] = np.nan_to_num(chunk)
        body = pc.cast(
            pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(12), len(chunk), [None, pa.py_buffer(record.view(np.uint8))]
            ),
            pa.large_binary(),
        )
        null = pa.scalar(_NULL_FIELD, pa.large_binary())
        return pc.if_else(pa.array(np.isnan(chunk)), null, body)
    if isinstance(data, pd.Series):
        arr = pa.array(data.iloc[start:stop], from_pandas=True)
    elif isinstance(data, pa.Array | pa.ChunkedArray):
        arr = data.slice(start, stop - start)
    else:
        raise ValueError(f"unsupported column data: {type(data).__name__}")
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string())
    body = pc.cast(arr, pa.large_binary())
    lengths = pc.fill_null(pc.binary_length(body), -1).to_numpy().astype(">i4")
    prefix = pc.cast(
        pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(4), len(lengths), [None, pa.py_buffer(lengths.view(np.uint8))]
        ),
        pa.large_binary(),
    )
    return pc.binary_join_element_wise(
        prefix, body, pa.scalar(b"", pa.large_binary()), null_handling="skip"
    )


def _payload(rows: pa.Array | pa.ChunkedArray) -> memoryview:
    """The bytes of a (large) binary array's values, back to back."""
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)
    begin = int(offsets[rows.offset])
    end = int(offsets[rows.offset + len(rows)])
    return memoryview(rows.buffers()[2])[begin:end]


# --- SQLite (and other DB-API drivers): executemany ---------------------------------------


def _executemany(
    raw: object,
    table: Table,
    columns: Mapping[str, ColumnData],
    n_rows: int,
    progress: Progress | None,
    chunk_rows: int,
    placeholder: str,
) -> None:
    names = ", ".join(columns)
    marks = ", ".join([placeholder] * len(columns))
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    cursor = raw.cursor()  # type: ignore[attr-defined]
    try:
        for start in range(0, n_rows, chunk_rows):
            stop = min(start + chunk_rows, n_rows)
            values = [_python_values(data, start, stop) for data in columns.values()]
            cursor.executemany(sql, zip(*values, strict=False))
            if progress is not None:
                progress(stop - start)
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
