"""Foreign keys of a bulk insert, checked once per insert rather than per row."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from spiegel.store.bulk.columns import ColumnData


def check_references(session: Session, table: Table, columns: Mapping[str, ColumnData]) -> bool:
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
