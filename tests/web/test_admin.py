"""Administration pages: every route refused to every role but admin; what each page does."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.config import Settings
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import (
    Contact,
    Employee,
    RoleGroup,
    StaffSession,
    StaffUser,
    Survey,
    SurveyStatus,
    Wave,
)
from spiegel.web.app import create_app
from tests.web.conftest import PUBLIC_URL, World
from tests.web.fake_smtp import fake_smtp
from tests.web.helpers import Html, csrf_of, login_as

EN = {"accept-language": "en"}
PAGES = (
    "/admin",
    "/admin/units",
    "/admin/waves",
    "/admin/surveys",
    "/admin/invitations",
    "/admin/imports",
    "/admin/users",
)
EMPLOYEES_CSV = "key;unit;role_group;email;name\n"


def _user_id(engine: Engine, email: str) -> int:
    with transaction(engine) as s:
        found = s.scalar(select(StaffUser.id).where(StaffUser.email == email))
        assert found is not None
        return found


def _actions(engine: Engine, staff: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    target = _user_id(engine, staff["manager2"])
    return [
        ("/admin/waves", {"name": "2027-H1", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}),
        ("/admin/surveys/klanten-2026-h2/close", {}),
        ("/admin/invitations/medewerkers-2026-h2", {"action": "download"}),
        ("/admin/users", {"email": "new@example.org", "password": "x" * 12, "role": "admin"}),
        (f"/admin/users/{target}/disable", {}),
        (f"/admin/users/{target}/token", {}),
    ]


def _upload(
    client: TestClient, content: str, kind: str = "employees", name: str = "mw.csv", **form: str
) -> Html:
    r = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_of(client, "/admin/imports"), "kind": kind, **form},
        files={"file": (name, content.encode(), "text/csv")},
        headers=EN,
    )
    html = Html.of(r)
    html.status = r.status_code  # type: ignore[attr-defined]
    return html


def _employees(engine: Engine) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Employee)) or 0)


def _nothing_changed(engine: Engine, world: World, staff: dict[str, str]) -> None:
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Wave)) == 1
        customer = s.get(Survey, world.customer_survey_id)
        assert customer is not None and customer.status == SurveyStatus.OPEN
        assert s.scalar(select(func.count()).select_from(StaffUser)) == len(staff)
        assert s.scalar(select(StaffUser.active).where(StaffUser.email == staff["manager2"]))


# --------------------------------------------------------------------------- roles × routes


@pytest.mark.parametrize("role", ["analyst", "manager", "member"])
def test_other_roles_are_refused_everywhere(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str], role: str
) -> None:
    login_as(client, staff[role])
    token = csrf_of(client, "/logout")
    for path in PAGES:
        r = client.get(path, headers=EN)
        assert r.status_code == 403, path
        assert Html.of(r).text("h1") == "No access"
        assert client.get(path, params={"format": "json"}).json()["error"]["code"] == "forbidden"
    for path, data in _actions(engine, staff):
        r = client.post(path, data={**data, "csrf_token": token})
        assert r.status_code == 403, path
    r = client.post(
        "/admin/imports",
        data={"csrf_token": token, "kind": "employees"},
        files={"file": ("x.csv", EMPLOYEES_CSV.encode(), "text/csv")},
    )
    assert r.status_code == 403
    _nothing_changed(engine, world, staff)


def test_anonymous_is_sent_to_login(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    token = csrf_of(client)
    for path in PAGES:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2Fadmin")
        assert client.get(path, params={"format": "json"}).status_code == 401
    for path, data in _actions(engine, staff):
        r = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/login")
    _nothing_changed(engine, world, staff)
    # After logging in, the browser comes back where it wanted to go.
    page = Html.of(client.get("/admin/users"))
    assert page.attr('input[name="next"]', "value") == "/admin/users"


def test_admin_sees_every_page_with_its_json_twin(
    client: TestClient, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    for path in PAGES:
        r = client.get(path, headers=EN)
        assert r.status_code == 200, path
        page = Html.of(r)
        assert page.attr("nav.staff-nav a[aria-current=page]", "href") == path
        dutch = Html.of(client.get(path, headers={"accept-language": "nl"}))
        assert (
            dutch.lang == "nl" and dutch.text("footer") == f"Ingelogd als {staff['admin']} (admin)."
        )
        twin = client.get(path, params={"format": "json"}).json()
        assert twin["user"] == {"email": staff["admin"], "role": "admin"}
        assert twin["organisation"]["id"] == world.organisation_id
    assert Html.of(client.get("/admin", headers={"accept-language": "nl"})).text("h1") == "Beheer"


def test_admin_posts_need_csrf(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    for path, data in _actions(engine, staff):
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 403, path
        assert client.post(path, data=data).status_code == 403, path
    r = client.post(
        "/admin/imports",
        data={"kind": "employees"},
        files={"file": ("x.csv", EMPLOYEES_CSV.encode(), "text/csv")},
    )
    assert r.status_code == 403
    _nothing_changed(engine, world, staff)


# --------------------------------------------------------------------------- pages


def test_unit_tree(client: TestClient, world: World, staff: dict[str, str]) -> None:
    login_as(client, staff["admin"])
    units = client.get("/admin/units", params={"format": "json"}).json()["units"]
    assert [u["code"] for u in units] == ["ORG", "N", "N1", "N1A", "N2"]
    by_code = {u["code"]: u for u in units}
    assert by_code["N1A"]["parent_code"] == "N1" and by_code["N1A"]["depth"] == 3
    assert by_code["N1A"]["kind"] == "team" and by_code["N1A"]["employees"] == 3
    assert by_code["ORG"]["parent_code"] is None
    page = Html.of(client.get("/admin/units", headers=EN))
    assert len(page.all("table.data-table tbody tr")) == 5
    assert "Locatie Zoë" in page.text("table")


def test_waves(client: TestClient, engine: Engine, world: World, staff: dict[str, str]) -> None:
    login_as(client, staff["admin"])
    token = csrf_of(client, "/admin/waves")
    data = {"name": "2027-H1", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    r = client.post("/admin/waves", data={**data, "csrf_token": token}, headers=EN)
    assert r.status_code == 200 and r.url.path == "/admin/waves"
    page = Html.of(r)
    assert page.text(".notice") == "Wave 2027-H1 is saved."
    assert "2027-H1" in page.text("table")
    waves = client.get("/admin/waves", params={"format": "json"}).json()["waves"]
    assert [w["name"] for w in waves] == ["2026-H2", "2027-H1"]
    assert waves[0]["surveys"] == 2 and waves[1]["surveys"] == 0
    bad = {**data, "ends_on": "2026-12-31", "csrf_token": token}
    r = client.post("/admin/waves", data=bad, headers=EN)
    assert r.status_code == 422 and "before it starts" in Html.of(r).text('[role="alert"]')
    r = client.post("/admin/waves", data={**data, "starts_on": "soon", "csrf_token": token})
    assert r.status_code == 422


def test_open_and_close_surveys(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    token = csrf_of(client, "/admin/surveys")
    r = client.post("/admin/surveys/klanten-2026-h2/close", data={"csrf_token": token}, headers=EN)
    assert (
        r.status_code == 200 and Html.of(r).text(".notice") == "Survey klanten-2026-h2 is closed."
    )
    assert client.get(f"/s/{world.location_tokens['N1']}").status_code == 410
    surveys = client.get("/admin/surveys", params={"format": "json"}).json()["surveys"]
    assert {s["slug"]: s["status"] for s in surveys} == {
        "klanten-2026-h2": "closed",
        "medewerkers-2026-h2": "open",
    }
    r = client.post(
        "/admin/surveys/klanten-2026-h2/open",
        data={"csrf_token": token, "closes_at": "2099-01-01T00:00"},
        headers={"accept": "application/json"},
    )
    assert r.status_code == 200 and r.json()["next"].startswith("/admin/surveys?done=opened")
    assert client.get(f"/s/{world.location_tokens['N1']}").status_code == 200
    assert client.post("/admin/surveys/nope/close", data={"csrf_token": token}).status_code == 404
    assert (
        client.post("/admin/surveys/klanten-2026-h2/delete", data={"csrf_token": token}).status_code
        == 404
    )
    past = {"csrf_token": token, "closes_at": "2000-01-01"}
    assert client.post("/admin/surveys/klanten-2026-h2/open", data=past).status_code == 400


def _new_employees(engine: Engine, world: World, emails: list[str | None]) -> None:
    with transaction(engine) as s:
        for i, email in enumerate(emails):
            e = Employee(
                organisation_id=world.organisation_id,
                key=f"NEW{i}",
                unit_id=world.units["N2"],
                role_group=RoleGroup.FRONT_LINE,
            )
            s.add(e)
            s.flush()
            if email:
                s.add(Contact(employee_id=e.id, email=email, name=f"Nieuw {i}"))


def test_invitations_download_once(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    _new_employees(engine, world, ["new0@example.org", None])
    login_as(client, staff["admin"])
    token = csrf_of(client, "/admin/invitations")
    page = Html.of(client.get("/admin/invitations", headers=EN))
    assert "medewerkers-2026-h2" in page.text("table") and "klanten" not in page.text("table")
    assert "SPIEGEL_SMTP_URL" in page.text("main")  # sending is off
    r = client.post(
        "/admin/invitations/medewerkers-2026-h2", data={"csrf_token": token, "action": "download"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith('attachment; filename="links-medewerkers')
    assert r.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["employee_key"] for row in rows] == ["NEW0", "NEW1"]
    assert rows[0]["email"] == "new0@example.org" and rows[1]["email"] == ""
    assert all(row["url"].startswith(f"{PUBLIC_URL}/s/") for row in rows)
    link = rows[0]["url"].removeprefix(PUBLIC_URL)
    assert client.get(link).status_code == 200
    again = client.post(
        "/admin/invitations/medewerkers-2026-h2", data={"csrf_token": token, "action": "download"}
    )
    assert list(csv.DictReader(io.StringIO(again.text))) == []
    assert again.headers["x-spiegel-skipped"] == "7"
    send = {"csrf_token": token, "action": "send"}
    assert client.post("/admin/invitations/medewerkers-2026-h2", data=send).status_code == 400
    customer = {"csrf_token": token, "action": "download"}
    assert client.post("/admin/invitations/klanten-2026-h2", data=customer).status_code == 400


@pytest.fixture
def smtp_client(settings: Settings, engine: Engine) -> Iterator[tuple[TestClient, object]]:
    with fake_smtp() as (url, mailbox):
        app = create_app(settings.model_copy(update={"smtp_url": url}), engine=engine)
        with TestClient(app, base_url="http://testserver") as c:
            yield c, mailbox


def test_invitations_sent_by_smtp(
    smtp_client: tuple[TestClient, object], engine: Engine, world: World, staff: dict[str, str]
) -> None:
    client, mailbox = smtp_client
    _new_employees(engine, world, ["new0@example.org", None, "gone@refused.example"])
    login_as(client, staff["admin"])
    token = csrf_of(client, "/admin/invitations")
    r = client.post(
        "/admin/invitations/medewerkers-2026-h2",
        data={"csrf_token": token, "action": "send"},
        headers=EN,
    )
    assert r.status_code == 200
    page = Html.of(r)
    assert "1 e-mail(s) sent" in page.text("main")
    unsent = page.all("table.data-table tbody tr")
    assert [row.etree_element[0].text for row in unsent] == ["NEW1", "NEW2"]
    messages = mailbox.messages  # type: ignore[attr-defined]
    assert len(messages) == 1
    assert messages[0].recipients == ["new0@example.org"]
    assert messages[0].sender == "enquete@example.org"
    assert f"{PUBLIC_URL}/s/" in messages[0].data
    assert "Subject: medewerkers-2026-h2" in messages[0].data


def test_smtp_unreachable_shows_the_links(
    settings: Settings, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    app = create_app(settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:9"}), engine=engine)
    _new_employees(engine, world, ["new0@example.org"])
    with TestClient(app) as client:
        login_as(client, staff["admin"])
        token = csrf_of(client, "/admin/invitations")
        r = client.post(
            "/admin/invitations/medewerkers-2026-h2",
            data={"csrf_token": token, "action": "send"},
            headers=EN,
        )
    page = Html.of(r)
    assert "could not be reached" in page.text('[role="alert"]')
    assert f"{PUBLIC_URL}/s/" in page.text("table")


# --------------------------------------------------------------------------- imports


def test_import_with_errors_imports_nothing(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    before = _employees(engine)
    bad = EMPLOYEES_CSV + "X1;N1;front_line;;\nX2;NOPE;front_line;;\nX3;N2;astronaut;;\n"
    page = _upload(client, bad)
    assert page.status == 422  # type: ignore[attr-defined]
    assert "Nothing was imported: 2 problem(s) found in mw.csv" in page.text(".error-summary")
    rows = [
        [" ".join("".join(td.etree_element.itertext()).split()) for td in tr.query_all("td")]
        for tr in page.all("table.problems tbody tr")
    ]
    assert [r[:3] for r in rows] == [["3", "unit", "NOPE"], ["4", "role_group", "astronaut"]]
    assert _employees(engine) == before
    twin = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_of(client, "/admin/imports"), "kind": "employees"},
        files={"file": ("mw.csv", bad.encode(), "text/csv")},
        headers={"accept": "application/json"},
    )
    assert twin.status_code == 422 and twin.json()["problem_count"] == 2
    assert twin.json()["problems"][0] == {
        "row": 3,
        "column": "unit",
        "value": "NOPE",
        "reason": twin.json()["problems"][0]["reason"],
    }
    assert _employees(engine) == before
    # The form keeps what was chosen.
    assert page.attr("#kind option[selected]", "value") == "employees"
    good = EMPLOYEES_CSV + "X1;N1;front_line;x1@example.org;\nX2;N2;manager;;\n"
    page = _upload(client, good)
    assert page.status == 200  # type: ignore[attr-defined]
    assert "mw.csv" in page.text(".panel-success")
    assert _employees(engine) == before + 2


def test_import_responses_into_a_new_survey(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    content = "respondent;unit;overall_grade;recommend\nr1;N1;8;9\nr2;N2;7;10\n"
    form = {"survey": "ouders-import", "wave": "2026-H2", "instrument": "customer"}
    page = _upload(client, content, "responses", "ouders.csv", **form)
    assert page.status == 200, page.text("main")  # type: ignore[attr-defined]
    assert "2 rows read; 2 imported" in page.text(".panel-success")
    again = _upload(client, content, "responses", "ouders.csv", **form)
    assert "already imported" in again.text(".panel-success")
    with transaction(engine) as s:
        survey = s.scalar(select(Survey).where(Survey.slug == "ouders-import"))
        assert survey is not None and survey.status == SurveyStatus.CLOSED


def test_import_responses_and_refusals(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    page = _upload(client, "respondent;unit;overall_grade\nr1;N1;8\nr2;N2;7\n", "responses")
    assert page.status == 422 and "need a survey" in page.text('[role="alert"]')  # type: ignore[attr-defined]
    page = _upload(client, "x", "planets")
    assert page.status == 422  # type: ignore[attr-defined]
    r = client.post(
        "/admin/imports",
        data={"csrf_token": csrf_of(client, "/admin/imports"), "kind": "units"},
        headers=EN,
        files={"file": ("", b"", "text/csv")},
    )
    assert r.status_code in (400, 422)
    assert client.post("/admin/imports", data={"kind": "units"}).status_code == 400
    twin = client.get("/admin/imports", params={"format": "json"}).json()
    assert "customer" in twin["instruments"] and twin["waves"] == ["2026-H2"]
    assert [k["value"] for k in twin["kinds"]] == ["units", "employees", "responses", "outcomes"]


# --------------------------------------------------------------------------- users


def test_manage_users(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    other = TestClient(client.app)
    login_as(other, staff["manager2"])
    assert other.get("/api/me").status_code == 200
    login_as(client, staff["admin"])
    token = csrf_of(client, "/admin/users")
    new = {
        "email": "Lead@Example.org",
        "password": "long enough pw",
        "role": "manager",
        "unit": "N2",
    }
    r = client.post("/admin/users", data={**new, "csrf_token": token}, headers=EN)
    assert r.status_code == 200 and Html.of(r).text(".notice") == "User lead@example.org is added."
    users = client.get("/admin/users", params={"format": "json"}).json()["users"]
    lead = next(u for u in users if u["email"] == "lead@example.org")
    assert lead["role"] == "manager" and lead["unit_code"] == "N2" and lead["active"]
    assert "password" not in str(users) and "argon2" not in str(users)
    for change, message in (
        ({"unit": ""}, "needs a unit"),
        ({"role": "king"}, "unknown role"),
        ({"password": "short"}, "at least 10"),
        ({"unit": "NOPE"}, "no unit"),
        ({"email": "lead@example.org"}, "already a user"),
    ):
        data = {**new, "email": "x@example.org", **change, "csrf_token": token}
        r = client.post("/admin/users", data=data, headers=EN)
        assert r.status_code == 422 and message in Html.of(r).text('[role="alert"]'), change
    target = _user_id(engine, staff["manager2"])
    r = client.post(f"/admin/users/{target}/token", data={"csrf_token": token}, headers=EN)
    api_token = Html.of(r).text(".panel-success code")
    assert api_token.startswith("sp_")
    assert (
        client.get("/api/me", headers={"authorization": f"Bearer {api_token}"}).json()["email"]
        == staff["manager2"]
    )
    r = client.post(f"/admin/users/{target}/disable", data={"csrf_token": token}, headers=EN)
    assert r.status_code == 200 and "is disabled" in Html.of(r).text(".notice")
    assert other.get("/api/me").status_code == 401  # their session has ended
    assert (
        client.get("/api/me", headers={"authorization": f"Bearer {api_token}"}).status_code == 401
    )
    with transaction(engine) as s:
        assert (
            s.scalar(
                select(func.count()).select_from(StaffSession).where(StaffSession.user_id == target)
            )
            == 0
        )
    me = _user_id(engine, staff["admin"])
    assert client.post(f"/admin/users/{me}/disable", data={"csrf_token": token}).status_code == 400
    assert client.post("/admin/users/999999/disable", data={"csrf_token": token}).status_code == 404
    with session_factory(engine)() as s:
        assert s.scalar(select(StaffUser.active).where(StaffUser.id == me))
