"""Imported responses stored column-wise, many to a table row.

An import writes its respondents as :class:`~spiegel.store.models.ResponseBlock` rows of
up to :data:`BLOCK_ROWS` responses each. A block's ``data`` is one Arrow record batch in
the IPC stream format, compressed with zstd:

===================  ==============================================================
``response_id``      int64, reserved from the response id sequence
``unit_id``          int32
``role_group``       string (null for customers)
``external_id``      string, the respondent id from the file
``answers``          fixed-size list of float64 in the survey's ``item_order``, NaN
                     for no answer
``text:<item id>``   string per open-text item, null for no answer
===================  ==============================================================

A million imported responses are then a few dozen rows (about 15 MB) instead of a million
rows with two index entries each, which is what made an import five times slower than a
plain ``COPY`` of its file. Readers (:func:`read_blocks`) decode a survey's blocks into one
Arrow table, the columnar form analyses work on anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from spiegel.store.models import Response, ResponseBlock

BLOCK_ROWS = 65_536
"""Responses per block: large enough that a million cost a few dozen rows, small enough
that one block stays a few MB."""
TEXT_PREFIX = "text:"
_CODEC = pa.Codec("zstd", compression_level=1)
_LOCK_TIMEOUT = "10s"


def encode_block(
    response_ids: np.ndarray,
    unit_ids: np.ndarray,
    role_groups: pa.Array | pa.ChunkedArray | None,
    external_ids: pa.Array | pa.ChunkedArray,
    matrix: np.ndarray,
    texts: Mapping[str, pa.Array | pa.ChunkedArray] | None = None,
) -> bytes:
    """One block's bytes: the columns in the module docstring, as a compressed IPC stream.

    Every argument has one entry per response; ``matrix`` is (responses x items).
    """
    n = len(response_ids)
    n_items = matrix.shape[1] if matrix.ndim == 2 else 0
    flat = np.ascontiguousarray(matrix, dtype=np.float64).reshape(-1)
    columns: dict[str, pa.Array] = {
        "response_id": pa.array(np.asarray(response_ids, dtype=np.int64)),
        "unit_id": pa.array(np.asarray(unit_ids, dtype=np.int32)),
        "role_group": (pa.nulls(n, pa.string()) if role_groups is None else _strings(role_groups)),
        "external_id": _strings(external_ids),
        "answers": pa.FixedSizeListArray.from_arrays(pa.array(flat), n_items),
    }
    for item_id, values in (texts or {}).items():
        columns[TEXT_PREFIX + item_id] = _strings(values)
    for name, column in columns.items():
        if len(column) != n:
            raise ValueError(f"block column {name!r} has {len(column)} values, expected {n}")
    batch = pa.RecordBatch.from_pydict(columns)
    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression=_CODEC)
    with ipc.new_stream(sink, batch.schema, options=options) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.string())


def decode_block(data: bytes) -> pa.Table:
    """A block's columns (see :func:`encode_block`)."""
    return ipc.open_stream(pa.py_buffer(data)).read_all()


def reserve_response_ids(session: Session, n: int) -> int:
    """The first of ``n`` consecutive response ids that no other response will take.

    PostgreSQL: the response id sequence is moved past the range in a short transaction
    of its own that holds ``EXCLUSIVE`` on ``response`` for the moment it takes, so no
    insert draws an id in between (``nextval`` is not transactional: a rolled-back import
    leaves a gap, as any rolled-back insert does). SQLite: the ``AUTOINCREMENT`` counter
    moves within the session's transaction, which holds SQLite's single write lock.
    """
    if n <= 0:
        raise ValueError("reserve at least one id")
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        engine = session.get_bind()
        with engine.connect() as own:  # type: ignore[union-attr]
            own.execute(text(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'"))
            own.execute(text("LOCK TABLE response IN EXCLUSIVE MODE"))
            first = own.execute(
                text("SELECT nextval(pg_get_serial_sequence('response', 'id'))")
            ).scalar_one()
            own.execute(
                text("SELECT setval(pg_get_serial_sequence('response', 'id'), :last)"),
                {"last": int(first) + n - 1},
            )
            own.commit()
        return int(first)
    counter = connection.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = 'response'")
    ).scalar()
    highest = connection.execute(select(Response.id).order_by(Response.id.desc()).limit(1)).scalar()
    first = max(int(counter or 0), int(highest or 0)) + 1
    if counter is None:
        connection.execute(
            text("INSERT INTO sqlite_sequence (name, seq) VALUES ('response', :last)"),
            {"last": first + n - 1},
        )
    else:
        connection.execute(
            text("UPDATE sqlite_sequence SET seq = :last WHERE name = 'response'"),
            {"last": first + n - 1},
        )
    return first


def write_blocks(
    session: Session,
    survey_id: int,
    batch_id: int,
    unit_ids: np.ndarray,
    role_groups: pa.Array | pa.ChunkedArray | None,
    external_ids: pa.Array | pa.ChunkedArray,
    matrix: np.ndarray,
    texts: Mapping[str, pa.Array | pa.ChunkedArray] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Store responses as blocks in the session's transaction; returns how many.

    Response ids are reserved here (:func:`reserve_response_ids`), in the order given.
    """
    n = len(unit_ids)
    if n == 0:
        return 0
    first = reserve_response_ids(session, n)

    def encode(start: int) -> bytes:
        stop = min(start + BLOCK_ROWS, n)
        return encode_block(
            np.arange(first + start, first + stop, dtype=np.int64),
            unit_ids[start:stop],
            role_groups.slice(start, stop - start) if role_groups is not None else None,
            external_ids.slice(start, stop - start),
            matrix[start:stop],
            {k: v.slice(start, stop - start) for k, v in (texts or {}).items()},
        )

    # Blocks are compressed on two threads (zstd lets go of the GIL) while the database
    # takes the ones already done.
    with ThreadPoolExecutor(max_workers=2) as pool:
        starts = range(0, n, BLOCK_ROWS)
        for start, blob in zip(starts, pool.map(encode, starts), strict=True):
            size = min(BLOCK_ROWS, n - start)
            session.execute(
                insert(ResponseBlock),
                {
                    "survey_id": survey_id,
                    "batch_id": batch_id,
                    "n_rows": size,
                    "first_response_id": first + start,
                    "data": blob,
                },
            )
            if progress is not None:
                progress(size)
    return n


def read_blocks(session: Session, survey_id: int) -> pa.Table | None:
    """Every imported response of a survey as one table (None when there are none).

    Blocks written for a shorter item order get NaN for the items added since; text
    columns missing from a block are null there.
    """
    blobs = session.execute(
        select(ResponseBlock.data)
        .where(ResponseBlock.survey_id == survey_id)
        .order_by(ResponseBlock.first_response_id)
    ).scalars()
    tables = [decode_block(blob) for blob in blobs]
    if not tables:
        return None
    width = max(t.schema.field("answers").type.list_size for t in tables)
    tables = [_widen(t, width) for t in tables]
    return pa.concat_tables(tables, promote_options="default")


def block_external_ids(session: Session, survey_id: int) -> pa.ChunkedArray | None:
    """The respondent ids of a survey's imported responses."""
    table = read_blocks(session, survey_id)
    return None if table is None else table.column("external_id")


def answer_matrix(table: pa.Table, n_items: int) -> np.ndarray:
    """The ``answers`` column as a (responses x ``n_items``) float matrix, NaN-padded."""
    column = table.column("answers")
    width = column.type.list_size
    if width > n_items:
        raise ValueError(f"stored responses have {width} answers, expected at most {n_items}")
    flat = np.concatenate(
        [np.asarray(chunk.flatten(), dtype=np.float64) for chunk in column.chunks] or [np.empty(0)]
    )
    matrix = flat.reshape(len(table), width)
    if width == n_items:
        return matrix
    out = np.full((len(table), n_items), np.nan)
    out[:, :width] = matrix
    return out


def _widen(table: pa.Table, width: int) -> pa.Table:
    column = table.column("answers")
    have = column.type.list_size
    if have == width:
        return table
    matrix = answer_matrix(table, width)
    wider = pa.FixedSizeListArray.from_arrays(pa.array(matrix.reshape(-1)), width)
    return table.set_column(table.schema.get_field_index("answers"), "answers", wider)
