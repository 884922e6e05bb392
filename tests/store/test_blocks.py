"""Imported responses stored as blocks: encoding, one numbering with submitted responses,
immutability, and the SQLite migration that makes response ids never reused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError

from spiegel.store.answers import pack_row
from spiegel.store.blocks import (
    BLOCK_ROWS,
    decode_block,
    encode_block,
    reserve_response_ids,
    write_blocks,
)
from spiegel.store.db import make_engine, transaction, upgrade
from spiegel.store.models import ImportBatch, Response, ResponseBlock, RoleGroup, Survey
from spiegel.store.organisation import get_organisation
from spiegel.store.response_frames import load_responses, load_text_answers
from spiegel.store.surveys import count_responses

from .test_store import _survey_with_responses, _tree


def test_a_block_keeps_every_value() -> None:
    matrix = np.array([[1.0, np.nan], [7.5, 0.0], [np.nan, np.nan]])
    data = encode_block(
        np.array([10, 11, 12]),
        np.array([3, 3, 4]),
        pa.array(["manager", None, "front_line"]),
        pa.array(["a", "é", "c"]),
        matrix,
        {"comment": pa.array([None, "fijn", ""])},
    )
    table = decode_block(data)
    assert table.column("response_id").to_pylist() == [10, 11, 12]
    assert table.column("unit_id").to_pylist() == [3, 3, 4]
    assert table.column("role_group").to_pylist() == ["manager", None, "front_line"]
    assert table.column("external_id").to_pylist() == ["a", "é", "c"]
    assert table.column("text:comment").to_pylist() == [None, "fijn", ""]
    stored = np.asarray(table.column("answers").combine_chunks().flatten()).reshape(3, 2)
    np.testing.assert_array_equal(stored, matrix)


def test_columns_of_unequal_length_are_refused() -> None:
    with pytest.raises(ValueError, match="'external_id' has 1 values, expected 2"):
        encode_block(np.array([1, 2]), np.array([1, 1]), None, pa.array(["a"]), np.ones((2, 1)))


def _batch(session: object, survey_id: int) -> int:
    org = get_organisation(session)  # type: ignore[arg-type]
    batch = ImportBatch(
        organisation_id=org.id,
        kind="responses",
        target=str(survey_id),
        filename="f.csv",
        sha256="0" * 64,
        rows=3,
    )
    session.add(batch)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return batch.id


def _submit(engine: Engine, survey_id: int, unit_id: int, external_id: str) -> int:
    """A submitted response (a manager's nines); its id."""
    with transaction(engine) as s:
        response = Response(
            survey_id=survey_id,
            unit_id=unit_id,
            role_group=RoleGroup.MANAGER,
            external_id=external_id,
            numeric_answers=pack_row([9.0, 9.0, 9.0]),
        )
        s.add(response)
        s.flush()
        return response.id


def test_imported_and_submitted_responses_are_numbered_alike(engine: Engine) -> None:
    ids = _tree(engine)
    survey_id = _survey_with_responses(engine, ids)  # two submitted responses, items a b c
    with transaction(engine) as s:
        # an import from when the instrument had two items
        written = write_blocks(
            s,
            survey_id,
            _batch(s, survey_id),
            np.array([ids["N1A"], ids["N1"], ids["N1A"]]),
            pa.array(["manager", "front_line", None]),
            pa.array(["x1", "x2", "x3"]),
            np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, 5.0]]),
            {"comment": pa.array(["goed", None, "slecht"])},
        )
        assert written == 3
    _submit(engine, survey_id, ids["N1"], "later")
    with transaction(engine) as s:
        survey = s.get(Survey, survey_id)
        assert survey is not None
        frame = load_responses(s, survey)
        texts = load_text_answers(s, survey)
        assert count_responses(s, [survey_id]) == {survey_id: 6}
    meta = frame.meta
    assert list(meta["external_id"]) == ["r0", "r1", "x1", "x2", "x3", "later"]
    numbers = meta["response_id"].to_numpy()
    assert (np.diff(numbers) > 0).all()  # unique, and the later submission comes last
    assert list(meta["unit_code"]) == ["N1A", "N1A", "N1A", "N1", "N1A", "N1"]
    assert list(meta["role_group"]) == [
        "front_line",
        "front_line",
        "manager",
        "front_line",
        None,
        "manager",
    ]
    np.testing.assert_array_equal(
        frame.matrix[2:5], [[1.0, 2.0, np.nan], [np.nan, 3.0, np.nan], [4.0, 5.0, np.nan]]
    )
    by_id = dict(zip(meta["response_id"], meta["external_id"], strict=True))
    assert {(by_id[r], t) for r, t in zip(texts["response_id"], texts["text"], strict=True)} == {
        ("x1", "goed"),
        ("x3", "slecht"),
    }


def test_reserved_ids_are_never_handed_out_again(engine: Engine) -> None:
    ids = _tree(engine)
    survey_id = _survey_with_responses(engine, ids)
    with transaction(engine) as s:
        first = reserve_response_ids(s, 1000)
        second = reserve_response_ids(s, 5)
    assert second >= first + 1000
    assert _submit(engine, survey_id, ids["N1A"], "next") >= second + 5


def test_blocks_are_split_and_cannot_be_updated(engine: Engine) -> None:
    ids = _tree(engine)
    survey_id = _survey_with_responses(engine, ids)
    n = BLOCK_ROWS + 3
    with transaction(engine) as s:
        write_blocks(
            s,
            survey_id,
            _batch(s, survey_id),
            np.full(n, ids["N1A"]),
            None,
            pa.array([f"id{i}" for i in range(n)]),
            np.ones((n, 3)),
        )
    with transaction(engine) as s:
        assert sorted(s.scalars(select(ResponseBlock.n_rows))) == [3, BLOCK_ROWS]
        assert count_responses(s, [survey_id]) == {survey_id: n + 2}
    with pytest.raises(DBAPIError, match="immutable"), transaction(engine) as s:
        s.execute(update(ResponseBlock).values(n_rows=1))


def test_sqlite_migration_keeps_responses_and_their_guard(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0006")
    engine = make_engine(url)
    ids = _tree(engine)
    _survey_with_responses(engine, ids)
    with transaction(engine) as s:
        before = s.execute(select(Response.id, Response.external_id)).all()
    engine.dispose()
    upgrade(url)
    raw = sqlite3.connect(tmp_path / "old.db")
    try:
        schema = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'response'").fetchone()
        assert "AUTOINCREMENT" in schema[0]
        assert raw.execute("SELECT id, external_id FROM response ORDER BY id").fetchall() == [
            tuple(r) for r in before
        ]
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            raw.execute("UPDATE response SET external_id = 'x'")
    finally:
        raw.close()
