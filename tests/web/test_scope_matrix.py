"""Role × route × unit: no staff user can read anything outside their scope.

On an analysed demo organisation (16 locations, teams below them) every dashboard page,
its JSON twin and every API route is requested by every kind of user for every unit. A
unit outside the user's scope must be refused (403) and must never appear in any answer:
not by id (in JSON fields or links), not by code, not by name.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.dash_helpers import (
    Account,
    Demo,
    as_user,
    bearer,
    client_for,
    demo,
    forbidden_words,
    json_text,
    leaks,
    unit_ids_in_html,
    unit_ids_in_json,
)

PAGES = ("/dash", "/dash/linkage", "/dash/drivers", "/dash/mirror", "/dash/risk", "/dash/ambition")
API = (
    "/api/v1/results",
    "/api/v1/units",
    "/api/v1/overview",
    "/api/v1/linkage",
    "/api/v1/drivers",
    "/api/v1/mirror",
    "/api/v1/risk",
    "/api/v1/ambition",
    "/api/me/units",
)
UNIT_PAGES = ("/dash/units/{u}", "/dash?parent={u}")
UNIT_API = ("/api/v1/units/{u}", "/api/v1/overview?parent={u}")
ORGANISATION_ONLY = ("/dash/drivers", "/api/v1/drivers")
ACCOUNTS = ("admin", "analyst", "region_manager", "location_manager", "member", "hidden_member")


@pytest.fixture(scope="module")
def world() -> Demo:
    return demo()


@pytest.fixture(scope="module")
def client(world: Demo) -> Iterator[TestClient]:
    yield from client_for(world.url)


def _allowed(world: Demo, account: Account) -> frozenset[int] | None:
    """What the user may see: everything, or their subtree; members only visible cells."""
    if account.units is None:
        return None
    if account.role == "member":
        return frozenset(u for u in account.units if world.visible(u))
    return account.units


def _text(body: str) -> str:
    return html.unescape(body).replace("\\u0027", "'").replace("\\u0026", "&")


def _check(
    problems: list[str],
    label: str,
    status: int,
    expected: int,
    body: str,
    ids: set[int],
    allowed: frozenset[int] | None,
    words: dict[str, int],
) -> None:
    if status != expected:
        problems.append(f"{label}: status {status}, expected {expected}")
    if allowed is not None and not ids <= allowed:
        problems.append(f"{label}: refers to units outside scope {sorted(ids - allowed)}")
    found = leaks(_text(body), words)
    if found:
        problems.append(f"{label}: names units outside scope {found[:5]}")


@pytest.mark.parametrize("key", ACCOUNTS)
def test_no_user_reads_outside_their_scope(client: TestClient, world: Demo, key: str) -> None:
    account = world.accounts.get(key)
    if account is None:
        pytest.skip(f"the demo has no unit for {key}")
    allowed = _allowed(world, account)
    words = forbidden_words(world, allowed)
    organisation = allowed is None
    problems: list[str] = []
    requests = 0
    as_user(client, account)

    def page(path: str, expected: int) -> None:
        nonlocal requests
        for fmt in ("html", "json"):
            sep = "&" if "?" in path else "?"
            url = path if fmt == "html" else f"{path}{sep}format=json"
            r = client.get(url)
            requests += 1
            ok = r.status_code == 200
            ids = (
                (unit_ids_in_json(r.json()) if fmt == "json" else unit_ids_in_html(r.text))
                if ok
                else set()
            )
            body = json_text(r) if fmt == "json" else r.text
            _check(problems, f"{key} GET {url}", r.status_code, expected, body, ids, allowed, words)

    def api(path: str, expected: int) -> None:
        nonlocal requests
        r = client.get(path, headers=bearer(account))
        requests += 1
        ids = unit_ids_in_json(r.json()) if r.status_code == 200 else set()
        _check(
            problems,
            f"{key} API {path}",
            r.status_code,
            expected,
            json_text(r),
            ids,
            allowed,
            words,
        )

    for path in PAGES:
        page(path, 200 if organisation or path not in ORGANISATION_ONLY else 403)
    for path in API:
        api(path, 200 if organisation or path not in ORGANISATION_ONLY else 403)
    for unit in world.units:
        inside = allowed is None or unit in allowed
        for template in UNIT_PAGES:
            page(template.format(u=unit), 200 if inside else 403)
        for template in UNIT_API:
            api(template.format(u=unit), 200 if inside else 403)
    missing = max(world.units) + 1000
    page(f"/dash/units/{missing}", 404)
    api(f"/api/v1/units/{missing}", 404)
    assert requests > 4 * len(world.units)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("key", ACCOUNTS)
def test_my_units_are_the_units_of_the_api(client: TestClient, world: Demo, key: str) -> None:
    """``/api/me/units`` lists exactly what ``/api/v1/units`` lists: no parent above a
    manager's unit, no team whose cell is hidden from its member."""
    account = world.accounts.get(key)
    if account is None:
        pytest.skip(f"the demo has no unit for {key}")
    as_user(client, None)
    for auth in (bearer(account), {"Cookie": f"spiegel_session={account.sid}"}):
        mine = client.get("/api/me/units", headers=auth)
        listed = client.get("/api/v1/units", headers=auth)
        assert mine.status_code == listed.status_code == 200
        assert mine.json() == listed.json()
    allowed = _allowed(world, account)
    codes = {u["code"] for u in mine.json()["units"]}
    assert codes == {world.code(u) for u in (world.units if allowed is None else allowed)}


def test_scopes_are_what_the_matrix_assumes(world: Demo) -> None:
    """The matrix covers a user who sees a subtree, one who sees one location, and one
    who sees nothing, so refusals and partial pages are both exercised."""
    region = world.accounts["region_manager"].units
    location = world.accounts["location_manager"].units
    assert region is not None and location is not None
    assert location < region < frozenset(world.units)
    assert len(location) > 1  # the location and its teams
    member = world.accounts["member"]
    assert member.units is not None and _allowed(world, member) == member.units
    if "hidden_member" in world.accounts:
        assert _allowed(world, world.accounts["hidden_member"]) == frozenset()


@pytest.mark.parametrize("path", [*PAGES, "/dash/units/1", *API, "/api/v1/units/1"])
def test_nobody_logged_in_reads_nothing(client: TestClient, world: Demo, path: str) -> None:
    as_user(client, None)
    r = client.get(path, headers={"accept": "application/json"}, follow_redirects=False)
    assert r.status_code == 401
    assert "engagement" not in r.text
    if path.startswith("/api/"):
        r = client.get(path, headers={"Authorization": "Bearer sp_not-a-token"})
        assert r.status_code == 401
    else:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/login?next=")


def test_the_leak_detector_would_notice(client: TestClient, world: Demo) -> None:
    """The checks above can fail: the admin's pages, judged by a location manager's scope,
    are caught by id, by code and by name."""
    manager = world.accounts["location_manager"]
    allowed = _allowed(world, manager)
    assert allowed is not None
    words = forbidden_words(world, allowed)
    as_user(client, world.accounts["admin"])
    overview = client.get("/dash", params={"format": "json"})
    assert unit_ids_in_json(overview.json()) - allowed
    found = leaks(_text(json_text(overview)), words)
    region = next(u for u in world.of_kind("region") if u not in allowed)
    assert str(world.units[region]["name"]) in found
    page = client.get("/dash/linkage")
    assert unit_ids_in_html(page.text) - allowed
    assert leaks(_text(page.text), words)
    assert leaks("… R01 …", {"R01": 2}) == ["R01"]
    assert leaks("… R011 …", {"R01": 2}) == []
