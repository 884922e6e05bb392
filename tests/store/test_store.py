"""The store on SQLite and PostgreSQL: migrations, the unit tree, immutable responses."""

from __future__ import annotations

import numpy as np
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError

from spiegel.store.answers import pack_matrix, unpack_rows
from spiegel.store.db import alembic_config, current_revision, transaction
from spiegel.store.models import (
    Audience,
    Employee,
    Response,
    RoleGroup,
    Survey,
    Unit,
    UnitKind,
)
from spiegel.store.organisation import (
    NotFound,
    add_unit,
    ensure_organisation,
    ensure_wave,
    get_organisation,
    get_wave,
    refresh_paths,
    subtree_ids,
)
from spiegel.store.response_frames import load_responses
from spiegel.store.surveys import ensure_survey, register_instrument


def _tree(engine: Engine) -> dict[str, int]:
    with transaction(engine) as s:
        org = ensure_organisation(s, "kinderopvang", "Kinderopvang De Spiegel")
        root = add_unit(s, org, "ORG", "De Spiegel", UnitKind.ORGANISATION)
        north = add_unit(s, org, "N", "Noord", UnitKind.REGION, parent=root)
        south = add_unit(s, org, "S", "Zuid", UnitKind.REGION, parent=root)
        loc = add_unit(s, org, "N1", "Locatie Zoë", UnitKind.LOCATION, parent=north)
        team = add_unit(s, org, "N1A", "Team Peuters", UnitKind.TEAM, parent=loc)
        return {u.code: u.id for u in (root, north, south, loc, team)}


def test_migrations_reach_head(engine: Engine) -> None:
    assert (
        current_revision(engine)
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )


def test_subtree_follows_the_tree(engine: Engine) -> None:
    ids = _tree(engine)
    with transaction(engine) as s:
        assert sorted(subtree_ids(s, ids["N"])) == sorted([ids["N"], ids["N1"], ids["N1A"]])
        assert subtree_ids(s, ids["S"]) == [ids["S"]]
        assert len(subtree_ids(s, ids["ORG"])) == 5


def test_refresh_paths_after_moving_a_unit(engine: Engine) -> None:
    ids = _tree(engine)
    with transaction(engine) as s:
        org = get_organisation(s)
        loc = s.get(Unit, ids["N1"])
        assert loc is not None
        loc.parent_id = ids["S"]
        refresh_paths(s, org.id)
        assert sorted(subtree_ids(s, ids["S"])) == sorted([ids["S"], ids["N1"], ids["N1A"]])
        assert subtree_ids(s, ids["N"]) == [ids["N"]]


def test_unknown_wave_names_the_known_ones(engine: Engine) -> None:
    _tree(engine)
    with transaction(engine) as s:
        org = get_organisation(s)
        ensure_wave(s, org.id, "2026-H1")
        with pytest.raises(NotFound, match="known waves: 2026-H1"):
            get_wave(s, org.id, "2025-H2")


def _survey_with_responses(engine: Engine, ids: dict[str, int]) -> int:
    matrix = np.array([[1.0, 5.0, np.nan], [3.0, 2.0, 4.0]])
    with transaction(engine) as s:
        org = get_organisation(s)
        wave = ensure_wave(s, org.id, "2026-H1")
        inst = register_instrument(s, "t", "1", Audience.EMPLOYEE, {"name": "t"}, ["a", "b", "c"])
        survey = ensure_survey(s, org.id, wave, inst, "medewerkers-2026-h1", Audience.EMPLOYEE)
        for i, blob in enumerate(pack_matrix(matrix)):
            s.add(
                Response(
                    survey_id=survey.id,
                    unit_id=ids["N1A"],
                    role_group=RoleGroup.FRONT_LINE,
                    external_id=f"r{i}",
                    numeric_answers=blob,
                )
            )
        return survey.id


def test_responses_round_trip_through_packed_answers(engine: Engine) -> None:
    ids = _tree(engine)
    survey_id = _survey_with_responses(engine, ids)
    with transaction(engine) as s:
        survey = s.get(Survey, survey_id)
        assert survey is not None
        frame = load_responses(s, survey)
    assert frame.items == ["a", "b", "c"]
    np.testing.assert_array_equal(frame.matrix, [[1.0, 5.0, np.nan], [3.0, 2.0, 4.0]])
    assert list(frame.meta["unit_code"]) == ["N1A", "N1A"]
    assert list(frame.meta["role_group"]) == ["front_line", "front_line"]


def test_submitted_responses_cannot_be_updated(engine: Engine) -> None:
    ids = _tree(engine)
    _survey_with_responses(engine, ids)
    with pytest.raises(DBAPIError, match="immutable"), transaction(engine) as s:
        s.execute(update(Response).values(unit_id=ids["N"]))
    with transaction(engine) as s:
        assert set(s.scalars(select(Response.unit_id))) == {ids["N1A"]}


def test_same_instrument_version_with_other_content_is_refused(engine: Engine) -> None:
    with transaction(engine) as s:
        register_instrument(s, "x", "1", Audience.CUSTOMER, {"a": 1}, ["a"])
        assert register_instrument(s, "x", "1", Audience.CUSTOMER, {"a": 1}, ["a"]).name == "x"
        with pytest.raises(ValueError, match="new version"):
            register_instrument(s, "x", "1", Audience.CUSTOMER, {"a": 2}, ["a"])


def test_unpack_pads_rows_of_an_older_shorter_item_order() -> None:
    blobs = pack_matrix(np.array([[1.0, 2.0]])) + pack_matrix(np.array([[3.0, 4.0, 5.0]]))
    out = unpack_rows(blobs, 3)
    np.testing.assert_array_equal(out, [[1.0, 2.0, np.nan], [3.0, 4.0, 5.0]])


def test_employee_role_group_is_checked(engine: Engine) -> None:
    ids = _tree(engine)
    with pytest.raises(Exception), transaction(engine) as s:  # noqa: B017
        org = get_organisation(s)
        s.add(Employee(organisation_id=org.id, key="e1", unit_id=ids["N1A"], role_group="chef"))


def test_migrations_match_the_models(db_url: str) -> None:
    """Alembic finds nothing to autogenerate: the migrations build exactly the models."""
    command.check(alembic_config(db_url))
