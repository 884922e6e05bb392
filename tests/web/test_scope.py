"""Unit scope: each role sees (and acts on) exactly its part of the tree, checked on the
server for every request."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.store.db import session_factory
from spiegel.store.models import StaffRole, Unit
from spiegel.store.organisation import refresh_paths
from spiegel.web.app import create_app
from spiegel.web.auth import ApiUser, CurrentUser, Principal, require_role, require_unit
from spiegel.web.csrf import csrf_valid
from spiegel.web.deps import BodyDep
from spiegel.web.errors import CsrfFailed
from tests.web.conftest import World
from tests.web.helpers import csrf_of, login_as

ALL = {"ORG", "N", "N1", "N1A", "N2"}
EXPECTED = {
    "admin": ALL,
    "analyst": ALL,
    "manager": {"N1", "N1A"},
    "member": {"N1A"},
    "manager2": {"N2"},
}

probe = APIRouter()
ManagerOrAdmin = require_role(StaffRole.ADMIN, StaffRole.MANAGER)


@probe.get("/probe/units/{unit_id}")
def read_unit(unit_id: int, user: CurrentUser) -> dict[str, object]:
    require_unit(user, unit_id)
    return {"unit_id": unit_id}


@probe.post("/probe/units/{unit_id}/ambition")
def act_on_unit(
    request: Request, unit_id: int, user: CurrentUser, body: BodyDep
) -> dict[str, object]:
    # What a dashboard route that changes something does: role, scope, CSRF.
    ManagerOrAdmin(user)
    require_unit(user, unit_id)
    token = body.get("csrf_token")
    if not csrf_valid(request, token if isinstance(token, str) else None):
        raise CsrfFailed()
    return {"changed": unit_id}


@probe.get("/api/probe/units/{unit_id}")
def api_unit(unit_id: int, user: ApiUser) -> dict[str, object]:
    require_unit(user, unit_id)
    return {"unit_id": unit_id}


@pytest.fixture
def probe_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine)
    app.include_router(probe)
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def test_principal_can_see() -> None:
    everyone = Principal(1, "a@example.org", StaffRole.ADMIN, 1, None, None)
    manager = Principal(2, "m@example.org", StaffRole.MANAGER, 1, 7, frozenset({7, 8}))
    nobody = Principal(3, "x@example.org", StaffRole.MEMBER, 1, None, frozenset())
    assert everyone.can_see(12345)
    assert manager.can_see(7) and manager.can_see(8) and not manager.can_see(9)
    assert not nobody.can_see(7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        manager.units = None  # type: ignore[misc]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_role_sees_its_units_only(
    probe_client: TestClient, world: World, staff: dict[str, str], role: str
) -> None:
    client = probe_client
    login_as(client, staff[role])
    me = client.get("/api/me").json()
    if role in ("admin", "analyst"):
        assert me["units"] is None
    else:
        assert {c for c, i in world.units.items() if i in me["units"]} == EXPECTED[role]
    # Which of them are listed by name depends on the results (test_scope_matrix.py).
    mine, listed = client.get("/api/me/units"), client.get("/api/v1/units")
    assert mine.status_code == listed.status_code == 404
    assert mine.json()["error"]["code"] == listed.json()["error"]["code"] == "no_results"
    token = csrf_of(client, "/logout")
    for code, unit_id in world.units.items():
        inside = code in EXPECTED[role]
        r = client.get(f"/probe/units/{unit_id}", params={"format": "json"})
        assert r.status_code == (200 if inside else 403), (role, code)
        acted = client.post(f"/probe/units/{unit_id}/ambition", data={"csrf_token": token})
        may_act = inside and role in ("admin", "manager", "manager2")
        assert acted.status_code == (200 if may_act else 403), (role, code)
        forged = client.post(f"/probe/units/{unit_id}/ambition", data={"csrf_token": "x"})
        assert forged.status_code == 403


def test_scope_with_an_api_token(
    probe_client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    from spiegel.services.users import create_token, find_user

    with session_factory(engine)() as s:
        token = create_token(s, find_user(s, staff["member"]))
    auth = {"authorization": f"Bearer {token}"}
    assert (
        probe_client.get(f"/api/probe/units/{world.units['N1A']}", headers=auth).status_code == 200
    )
    for code in ("N1", "N2", "ORG"):
        r = probe_client.get(f"/api/probe/units/{world.units[code]}", headers=auth)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert probe_client.get(f"/api/probe/units/{world.units['N1A']}").status_code == 401


def test_scope_follows_the_tree_on_every_request(
    probe_client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    client = probe_client
    login_as(client, staff["manager"])
    n2 = world.units["N2"]
    assert client.get(f"/probe/units/{n2}").status_code == 403
    with session_factory(engine)() as s:  # N2 moves under N1: the manager of N1 sees it
        unit = s.get(Unit, n2)
        assert unit is not None
        unit.parent_id = world.units["N1"]
        refresh_paths(s, world.organisation_id)
        s.commit()
    assert client.get(f"/probe/units/{n2}").status_code == 200
    assert n2 in client.get("/api/me").json()["units"]


def test_a_token_from_another_browser_is_refused(
    probe_client: TestClient, staff: dict[str, str]
) -> None:
    # The form token is tied to the browser's CSRF cookie: a token from another browser
    # is refused.
    other = TestClient(probe_client.app)
    foreign = csrf_of(other)
    login_as(probe_client, staff["admin"])
    r = probe_client.post("/logout", data={"csrf_token": foreign})
    assert r.status_code == 403
    assert probe_client.get("/api/me").status_code == 200  # still logged in
