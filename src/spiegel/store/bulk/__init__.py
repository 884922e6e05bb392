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

from collections.abc import Mapping

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from spiegel.store.bulk.columns import ColumnData, PackedFloats, Progress, Scalar, is_vector
from spiegel.store.bulk.executemany import executemany
from spiegel.store.bulk.foreign_keys import check_references
from spiegel.store.bulk.pg_copy import copy_binary

__all__ = ["ColumnData", "PackedFloats", "Progress", "Scalar", "insert_rows"]

SQLITE_CACHE_KIB = -262_144  # negative: KiB, i.e. up to 256 MiB of page cache


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
        if is_vector(data) and len(data) != n_rows:  # type: ignore[arg-type]
            raise ValueError(f"column {name!r} has {len(data)} values, expected {n_rows}")  # type: ignore[arg-type]
    if n_rows == 0:
        return 0
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        skip_triggers = check_references(session, table, columns)
        if skip_triggers:
            session.execute(text("SET LOCAL session_replication_role = replica"))
        copy_binary(raw, table, columns, n_rows, progress, chunk_rows)
        if skip_triggers:  # after a failure the rollback undoes the SET LOCAL itself
            session.execute(text("SET LOCAL session_replication_role = DEFAULT"))
    elif connection.dialect.name == "sqlite":
        check_references(session, table, columns)
        # A bigger page cache for this connection while the rows go in: index pages stay
        # in memory (about twice as fast for a million rows); restored afterwards.
        previous = session.execute(text("PRAGMA cache_size")).scalar()
        session.execute(text(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}"))
        try:
            executemany(raw, table, columns, n_rows, progress, chunk_rows, "?")
        finally:
            session.execute(text(f"PRAGMA cache_size = {int(previous or -2000)}"))
    else:
        executemany(raw, table, columns, n_rows, progress, chunk_rows, "%s")
    return n_rows
