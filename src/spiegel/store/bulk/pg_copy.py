"""PostgreSQL: rows as ``COPY ... FROM STDIN (FORMAT binary)``, built column-wise."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, Table

from spiegel.store.answers import DTYPE, ITEM_BYTES
from spiegel.store.bulk.columns import ColumnData, PackedFloats, Progress, chunks

_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_NULL_FIELD = struct.pack(">i", -1)


def copy_binary(
    raw: object,
    table: Table,
    columns: Mapping[str, ColumnData],
    n_rows: int,
    progress: Progress | None,
    chunk_rows: int,
) -> None:
    """Write the rows through ``COPY`` on the psycopg connection ``raw``, in chunks."""
    # Fixed-width fields first (one numpy record per row), text fields after them.
    fixed = [n for n, d in columns.items() if _fixed_width(table, n, d)]
    varying = [n for n in columns if n not in fixed]
    names = ", ".join(fixed + varying)
    sql = f"COPY {table.name} ({names}) FROM STDIN (FORMAT binary)"
    with raw.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        copy.write(_COPY_HEADER)
        for start, stop in chunks(n_rows, chunk_rows, progress):
            rows = _binary_rows(table, columns, fixed, varying, start, stop)
            copy.write(_payload(rows))
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
