"""The comments page and the comments on a unit's page: customers' beside employees',
equal texts once with their count, themes for the organisation or the viewer's units."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.dash_helpers import Demo, as_user, client_for, demo
from tests.web.helpers import Html

EN = {"accept-language": "en"}


@pytest.fixture(scope="module")
def world() -> Demo:
    return demo()


@pytest.fixture(scope="module")
def client(world: Demo) -> Iterator[TestClient]:
    yield from client_for(world.url)


def test_the_demo_has_themes_and_employee_comments(world: Demo) -> None:
    r = world.results
    assert "customer" in {t.audience for t in r.comment_themes}
    assert any(c.audience == "employee" for c in r.comments)
    for found in r.comment_themes:
        assert found.themes and found.comments >= r.privacy.min_comments
        assert sum(t.count for t in found.themes) + found.other == found.comments
        for t in found.themes:
            assert t.label and t.count > 0 and 1 <= len(t.examples) <= 3
    for c in r.comments:
        assert len(c.counts) == len(c.texts) and len(set(c.texts)) == len(c.texts)
        k = next((len(t.themes) for t in r.comment_themes if t.audience == c.audience), 0)
        assert not c.theme_of or len(c.theme_of) == len(c.texts)
        assert sum(c.theme_counts(k)) <= c.n


def test_admin_sees_the_organisation_themes(client: TestClient, world: Demo) -> None:
    admin = as_user(client, world.accounts["admin"])
    r = admin.get("/dash/comments", headers=EN)
    assert r.status_code == 200
    page = Html.of(r)
    assert page.text("h1") == "Comments"
    assert "Comments" in page.text("nav.staff-nav")
    twin = admin.get("/dash/comments", params={"format": "json"}).json()
    stored = {t.audience: t for t in world.results.comment_themes}
    assert {a["audience"] for a in twin["themes"]} == set(stored)
    for a in twin["themes"]:
        assert a["over"] == "organisation" and a["n"] == stored[a["audience"]].comments
        assert [(t["label"], t["count"]) for t in a["themes"]] == [
            (t.label, t.count) for t in stored[a["audience"]].themes
        ]
    html = r.text
    for t in stored["customer"].themes:
        assert t.label in html
    # every unit with comments, customers' beside employees'
    assert {u["unit"]["id"] for u in twin["units"]} == {c.unit for c in world.results.comments}
    assert page.all("details.comment-unit")
    dutch = admin.get("/dash/comments", headers={"accept-language": "nl"}).text
    assert "Thema's" in dutch and "Opmerkingen" in dutch


def test_a_manager_sees_themes_of_their_own_units_only(client: TestClient, world: Demo) -> None:
    account = world.accounts["location_manager"]
    manager = as_user(client, account)
    twin = manager.get("/dash/comments", params={"format": "json"}).json()
    assert account.units is not None
    mine = [c for c in world.results.comments if c.unit in account.units]
    assert {u["unit"]["id"] for u in twin["units"]} == {c.unit for c in mine}
    own_texts = {t for c in mine for t in c.texts}
    for a in twin["themes"]:
        assert a["over"] == "scope"
        assert a["n"] == sum(c.n for c in mine if c.audience == a["audience"])
        for t in a["themes"]:
            assert set(t["examples"]) <= own_texts  # nothing from other units
    others = {t for c in world.results.comments if c.unit not in account.units for t in c.texts}
    html = manager.get("/dash/comments", headers=EN).text
    assert not [t for t in others - own_texts if t in html]


def test_unit_page_shows_both_audiences_and_counts(client: TestClient, world: Demo) -> None:
    admin = as_user(client, world.accounts["admin"])
    both = [
        u
        for u in {c.unit for c in world.results.comments}
        if {c.audience for c in world.results.comments if c.unit == u} == {"customer", "employee"}
    ]
    unit = both[0] if both else world.results.comments[0].unit
    page = Html.of(admin.get(f"/dash/units/{unit}", headers=EN))
    assert page.all(".comment-columns")
    text = page.text(".comment-columns")
    assert "Customers" in text and "Employees" in text
    repeated = [
        (c.texts[i], c.count(i))
        for c in world.results.comments
        if c.unit == unit
        for i in range(len(c.texts))
        if c.count(i) > 1
    ]
    for _text, n in repeated[:3]:
        assert f"(×{n})" in text
