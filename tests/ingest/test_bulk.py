"""Bulk inserts (COPY on PostgreSQL, executemany on SQLite) inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from sqlalchemy import Engine, func, select

from spiegel.store.answers import unpack_rows
from spiegel.store.bulk import PackedFloats, insert_rows
from spiegel.store.db import transaction
from spiegel.store.models import (
    Audience,
    ImportBatch,
    Outcome,
    Response,
    Unit,
    UnitKind,
    Wave,
)
from spiegel.store.organisation import add_unit, ensure_organisation
from spiegel.store.surveys import ensure_survey, register_instrument


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    with transaction(engine) as s:
        org = ensure_organisation(s, "o", "O")
        unit = add_unit(s, org, "U", "Unit", UnitKind.TEAM)
        wave = Wave(
            organisation_id=org.id,
            name="w",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 3, 31),
        )
        s.add(wave)
        s.flush()
        inst = register_instrument(s, "i", "1", Audience.CUSTOMER, {}, ["a", "b", "c"])
        survey = ensure_survey(s, org.id, wave, inst, "s", Audience.CUSTOMER)
        batch = ImportBatch(
            organisation_id=org.id, kind="k", target="", filename="f", sha256="x", rows=0
        )
        s.add(batch)
        s.flush()
        return {"org": org.id, "unit": unit.id, "survey": survey.id, "batch": batch.id}


def test_responses_with_awkward_text(engine: Engine, ids: dict[str, int]) -> None:
    matrix = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan], [np.nan] * 3])
    external = pa.array(["tab\there", "new\nline \\ back", "Zoë ’t €"])
    stamp = dt.datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=dt.UTC)
    with transaction(engine) as s:
        n = insert_rows(
            s,
            Response.__table__,
            {  # type: ignore[arg-type]
                "survey_id": ids["survey"],
                "unit_id": np.full(3, ids["unit"]),
                "role_group": pd.Series(["front_line", None, "manager"], dtype="str"),
                "external_id": external,
                "submitted_at": stamp,
                "batch_id": ids["batch"],
                "numeric_answers": PackedFloats(matrix),
            },
            3,
        )
        assert n == 3
    with transaction(engine) as s:
        rows = s.execute(select(Response).order_by(Response.id)).scalars().all()
        assert [r.external_id for r in rows] == external.to_pylist()
        assert [r.role_group and r.role_group.value for r in rows] == [
            "front_line",
            None,
            "manager",
        ]
        got = unpack_rows([r.numeric_answers for r in rows], 3)
        np.testing.assert_array_equal(got, matrix)
        assert rows[0].submitted_at.replace(tzinfo=dt.UTC) == stamp
        assert {r.batch_id for r in rows} == {ids["batch"]}


def test_floats_nulls_and_constants(engine: Engine, ids: dict[str, int]) -> None:
    with transaction(engine) as s:
        insert_rows(
            s,
            Outcome.__table__,
            {  # type: ignore[arg-type]
                "unit_id": ids["unit"],
                "metric": pa.array(["a", "b", "c"]),
                "period": "2026-Q1",
                "value": np.array([1.5, -2.25, 0.0]),
                "batch_id": None,
            },
            3,
        )
    with transaction(engine) as s:
        rows = s.execute(
            select(Outcome.metric, Outcome.value, Outcome.batch_id).order_by(Outcome.metric)
        ).all()
    assert [tuple(r) for r in rows] == [("a", 1.5, None), ("b", -2.25, None), ("c", 0.0, None)]


def test_rollback_removes_rows(engine: Engine, ids: dict[str, int]) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as s:
        insert_rows(
            s,
            Outcome.__table__,
            {  # type: ignore[arg-type]
                "unit_id": ids["unit"],
                "metric": "m",
                "period": pa.array(["1", "2"]),
                "value": np.array([1.0, 2.0]),
            },
            2,
        )
        raise RuntimeError("the import failed later on")
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Outcome)) == 0


def test_missing_parent_is_refused(engine: Engine, ids: dict[str, int]) -> None:
    columns = {
        "unit_id": np.array([ids["unit"], 999_999]),
        "metric": "m",
        "period": pa.array(["1", "2"]),
        "value": np.array([1.0, 2.0]),
    }
    with (
        pytest.raises(
            ValueError,
            match=r"outcome.unit_id refers to unit rows that do not "
            r"exist: 999999",
        ),
        transaction(engine) as s,
    ):
        insert_rows(s, Outcome.__table__, columns, 2)  # type: ignore[arg-type]
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Outcome)) == 0


def test_wrong_length_and_unknown_column(engine: Engine, ids: dict[str, int]) -> None:
    with transaction(engine) as s:
        with pytest.raises(ValueError, match="column 'value' has 1 values, expected 2"):
            insert_rows(s, Outcome.__table__, {"value": np.array([1.0])}, 2)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="table 'outcome' has no column 'nope'"):
            insert_rows(s, Outcome.__table__, {"nope": 1}, 1)  # type: ignore[arg-type]


def test_many_rows_in_chunks(engine: Engine, ids: dict[str, int]) -> None:
    n = 25_000
    seen: list[int] = []
    with transaction(engine) as s:
        insert_rows(
            s,
            Unit.__table__,
            {  # type: ignore[arg-type]
                "organisation_id": ids["org"],
                "code": pa.array([f"T{i}" for i in range(n)]),
                "name": "team",
                "kind": "team",
                "path": "",
                "active": np.ones(n, dtype=bool),
                "parent_id": np.full(n, ids["unit"]),
            },
            n,
            progress=seen.append,
            chunk_rows=10_000,
        )
    assert seen == [10_000, 10_000, 5_000]
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == n + 1
        assert s.scalar(select(Unit.active).where(Unit.code == "T7")) is True
