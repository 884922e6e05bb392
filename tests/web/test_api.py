"""The JSON API under /api/v1: documented in OpenAPI, token authentication, the same
protected figures as the dashboards, cut to the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.dash_helpers import Demo, as_user, bearer, client_for, demo, unit_ids_in_json

ROUTES = (
    "/api/v1/results",
    "/api/v1/units",
    "/api/v1/overview",
    "/api/v1/units/{unit_id}",
    "/api/v1/linkage",
    "/api/v1/drivers",
    "/api/v1/mirror",
    "/api/v1/risk",
    "/api/v1/ambition",
    "/api/v1/comments",
)


@pytest.fixture(scope="module")
def world() -> Demo:
    return demo()


@pytest.fixture(scope="module")
def client(world: Demo) -> Iterator[TestClient]:
    yield from client_for(world.url)


def test_every_route_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    tags = {t["name"]: t for t in schema["tags"]}
    assert "privacy gate" in tags["results"]["description"]
    for path in ROUTES:
        op = schema["paths"][path]["get"]
        assert op["tags"] == ["results"], path
        assert op["summary"] and len(op["description"]) > 30, path
        assert {"401", "403", "404"} <= set(op["responses"]), path
    assert not [p for p in schema["paths"] if p.startswith("/dash")]


def test_a_token_opens_the_api_and_nothing_else_does(client: TestClient, world: Demo) -> None:
    as_user(client, None)
    assert client.get("/api/v1/overview").status_code == 401
    r = client.get("/api/v1/overview", headers={"Authorization": "Bearer sp_wrong"})
    assert r.status_code == 401
    assert "invalid_token" in r.headers["www-authenticate"]
    analyst = world.accounts["analyst"]
    r = client.get("/api/v1/overview", headers=bearer(analyst))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    # a session works as well (the dashboards' own scripts)
    assert as_user(client, analyst).get("/api/v1/results").status_code == 200


PAGE_ONLY = (
    "shown",
    "listing",
    "columns",
    "column_scales",
    "comparison",
    "summary",
    "locations",
    "detail",
    "detail_rows",
    "counts",
)


def test_the_api_gives_the_pages_figures_without_charts(client: TestClient, world: Demo) -> None:
    account = world.accounts["admin"]
    as_user(client, account)
    unit = world.of_kind("location")[0]
    for api, page in (
        ("/api/v1/overview", "/dash"),
        (f"/api/v1/units/{unit}", f"/dash/units/{unit}"),
        ("/api/v1/linkage", "/dash/linkage"),
        ("/api/v1/drivers", "/dash/drivers"),
        ("/api/v1/mirror", "/dash/mirror"),
        ("/api/v1/risk", "/dash/risk"),
        ("/api/v1/ambition", "/dash/ambition"),
        ("/api/v1/comments", "/dash/comments"),
    ):
        data = client.get(api, params={"lang": "en"}, headers=bearer(account)).json()
        twin = client.get(page, params={"format": "json"}, headers={"accept-language": "en"}).json()
        assert "charts" not in data
        for key in ("charts", "nav", "user", "vega_bundle", "csrf_token", "lang", "page_kind"):
            twin.pop(key, None)
        for key in PAGE_ONLY:  # the pages' filtered, sorted and paged view of the rows
            if key not in data:
                twin.pop(key, None)
        assert data == twin, api


def test_results_and_units(client: TestClient, world: Demo) -> None:
    account = world.accounts["location_manager"]
    meta = client.get("/api/v1/results", headers=bearer(account)).json()
    assert meta["waves"] == world.results.waves
    assert meta["organisation_view"] is False
    assert "engagement" in meta["scales"]
    units = client.get("/api/v1/units", headers=bearer(account)).json()["units"]
    assert {u["id"] for u in units} == account.units
    assert [u for u in units if u["parent_id"] is None] == [units[0]]
    everything = client.get("/api/v1/units", headers=bearer(world.accounts["analyst"])).json()
    assert len(everything["units"]) == len(world.units)


def test_scope_and_languages(client: TestClient, world: Demo) -> None:
    manager = world.accounts["region_manager"]
    assert manager.units is not None
    assert client.get("/api/v1/drivers", headers=bearer(manager)).status_code == 403
    outside = next(u for u in world.units if u not in manager.units)
    r = client.get(f"/api/v1/units/{outside}", headers=bearer(manager))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    inside = client.get("/api/v1/overview", headers=bearer(manager)).json()
    assert unit_ids_in_json(inside) <= manager.units
    nl = client.get("/api/v1/overview", params={"lang": "nl"}, headers=bearer(manager)).json()
    en = client.get("/api/v1/overview", params={"lang": "en"}, headers=bearer(manager)).json()
    assert {s["title"] for s in nl["scales"]} != {s["title"] for s in en["scales"]}
    assert (
        client.get("/api/v1/overview", params={"wave": "nope"}, headers=bearer(manager)).status_code
        == 400
    )
