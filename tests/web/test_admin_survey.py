"""The admin survey page: flagged hours of location links, and windows left out of the
analysis (added, refused, undone), for admins only."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.store.db import transaction
from spiegel.store.models import Response, ResponseExclusion
from tests.web.conftest import World
from tests.web.helpers import Html, add_web_responses, csrf_of, login_as, spread

EN = {"accept-language": "en"}
NL = {"accept-language": "nl"}
PAGE = "/admin/surveys/klanten-2026-h2"
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
BURST = START + dt.timedelta(hours=30)


@pytest.fixture
def stuffed(engine: Engine, world: World) -> None:
    """Location N1: two responses an hour for a day, then 40 in one hour; N2: quiet."""
    add_web_responses(engine, world.customer_survey_id, world.units["N1"], spread(START, 24, 2))
    add_web_responses(engine, world.customer_survey_id, world.units["N1"], spread(BURST, 1, 40))
    add_web_responses(engine, world.customer_survey_id, world.units["N2"], spread(START, 10, 1))


def _exclude(client: TestClient, **fields: str) -> Html:
    data = {"csrf_token": csrf_of(client, PAGE), "survey": "klanten-2026-h2", **fields}
    r = client.post("/admin/exclusions", data=data, headers=EN)
    page = Html.of(r)
    page.status = r.status_code  # type: ignore[attr-defined]
    return page


def test_the_page_flags_the_burst_and_an_admin_leaves_it_out_then_undoes_it(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str], stuffed: None
) -> None:
    login_as(client, staff["admin"])
    listing = Html.of(client.get("/admin/surveys", headers=EN))
    assert listing.attr('a[href="/admin/surveys/klanten-2026-h2"]', "href") == PAGE
    twin = client.get(PAGE, params={"format": "json"}).json()
    assert twin["page_kind"] == "admin_survey" and twin["survey"]["responses"] == 98
    integrity = twin["integrity"]
    assert integrity["rule"] == {"min_per_hour": 20, "factor": 5}
    links = {link["unit_code"]: link for link in integrity["links"]}
    assert links["N1"]["usual_per_hour"] == 2.0 and links["N1"]["flags"] == 1
    assert links["N2"]["flags"] == 0
    [flag] = integrity["flags"]
    assert flag["unit_code"] == "N1" and flag["responses"] == 40 and flag["excluded"] == 0
    assert flag["starts"]["field"] == f"{BURST:%Y-%m-%dT%H:%M}"
    page = Html.of(client.get(PAGE, headers=EN))
    assert page.attr("nav.staff-nav a[aria-current=page]", "href") == "/admin/surveys"
    assert f"{BURST:%Y-%m-%d %H:%M}" in page.text(".flag h3")
    assert "40 responses" in page.text(".flag")

    # The flag's own button leaves exactly that window out.
    form = {
        e.etree_element.get("name"): e.etree_element.get("value")
        for e in page.all(".flag form input[type=hidden]")
    }
    done = _exclude(client, **{**form, "reason": "40 in one hour at night"})
    assert done.status == 200  # type: ignore[attr-defined]
    assert done.text(".notice") == (
        "Exclusion 1 is saved: the analysis leaves out 40 response(s) of that window."
    )
    assert done.text("#excluded") == "40"
    assert "40 in one hour at night" in done.text("#exclusions")
    assert staff["admin"] in done.text("#exclusions")
    assert done.all(".flag form") == []  # nothing left to exclude in that window
    with transaction(engine) as s:
        row = s.scalars(select(ResponseExclusion)).one()
        assert row.created_by == staff["admin"] and row.reason == "40 in one hour at night"
        # The responses themselves are all still there.
        assert s.scalar(select(func.count()).select_from(Response)) == 98

    dutch = Html.of(client.get(PAGE, headers=NL))
    assert dutch.lang == "nl" and "weggelaten" in dutch.text("main")

    undo = client.post(
        "/admin/exclusions/1/undo",
        data={"csrf_token": csrf_of(client, PAGE), "survey": "klanten-2026-h2"},
        headers=EN,
    )
    after = Html.of(undo)
    assert after.text(".notice") == "Exclusion 1 is undone: its responses count again."
    assert after.text("#excluded") == "0"
    assert f"undone by {staff['admin']}" in after.text("#exclusions")
    again = client.post(
        "/admin/exclusions/1/undo",
        data={"csrf_token": csrf_of(client, PAGE), "survey": "klanten-2026-h2"},
        headers=EN,
    )
    assert again.status_code == 422 and "undone already" in Html.of(again).text('[role="alert"]')


def test_a_wrong_exclusion_is_refused_with_the_reason_and_the_form_kept(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str], stuffed: None
) -> None:
    login_as(client, staff["admin"])
    window = {"starts_at": f"{BURST:%Y-%m-%dT%H:%M}", "ends_at": f"{BURST:%Y-%m-%dT%H}:59"}
    cases = [
        ({"link": "N1", "starts_at": "gisteren", "ends_at": "x", "reason": "r"}, "From: give"),
        ({"link": "N9", **window, "reason": "r"}, "no location link for unit 'N9'"),
        ({"link": "N1", **window, "reason": " "}, "give a reason"),
        (
            {"link": "N1", "starts_at": window["ends_at"], "ends_at": window["starts_at"]}
            | {"reason": "r"},
            "must end after it starts",
        ),
    ]
    for fields, message in cases:
        page = _exclude(client, **fields)
        assert page.status == 422, fields  # type: ignore[attr-defined]
        assert message in page.text('[role="alert"]')
        assert page.attr("#reason", "value") == fields["reason"].strip()
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(ResponseExclusion)) == 0
    assert (
        client.post(
            "/admin/exclusions/7/undo",
            data={"csrf_token": csrf_of(client, PAGE), "survey": "klanten-2026-h2"},
        ).status_code
        == 404
    )
    assert client.get("/admin/surveys/nope").status_code == 404


def test_an_employee_survey_has_nothing_to_flag(
    client: TestClient, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    page = Html.of(client.get("/admin/surveys/medewerkers-2026-h2", headers=EN))
    assert "personal links" in page.text("main")
    assert client.get("/admin/surveys/medewerkers-2026-h2?format=json").json()["integrity"] is None
    r = _exclude(
        client,
        survey="medewerkers-2026-h2",
        link="N1A",
        starts_at=f"{START:%Y-%m-%dT%H:%M}",
        ends_at=f"{BURST:%Y-%m-%dT%H:%M}",
        reason="r",
    )
    assert r.status == 422 and "employee survey" in r.text('[role="alert"]')  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["analyst", "manager", "member"])
def test_only_admins_see_the_page_and_exclude(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str], role: str
) -> None:
    login_as(client, staff[role])
    assert client.get(PAGE).status_code == 403
    token = csrf_of(client, "/logout")
    data = {
        "csrf_token": token,
        "survey": "klanten-2026-h2",
        "link": "N1",
        "starts_at": f"{START:%Y-%m-%dT%H:%M}",
        "ends_at": f"{BURST:%Y-%m-%dT%H:%M}",
        "reason": "r",
    }
    assert client.post("/admin/exclusions", data=data).status_code == 403
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(ResponseExclusion)) == 0


def test_exclusions_need_the_csrf_token(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    data = {
        "survey": "klanten-2026-h2",
        "link": "N1",
        "starts_at": f"{START:%Y-%m-%dT%H:%M}",
        "ends_at": f"{BURST:%Y-%m-%dT%H:%M}",
        "reason": "r",
    }
    assert client.post("/admin/exclusions", data=data).status_code == 403
    assert client.post("/admin/exclusions", data={**data, "csrf_token": "x"}).status_code == 403
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(ResponseExclusion)) == 0
