"""Survey pages: closed and unopened surveys, validation, CSRF, JSON twins, headers."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.services.invitations import token_hash
from spiegel.services.surveys import close_survey, open_survey
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import Invitation, Response, Survey
from spiegel.web.security import TokenRedactingFilter
from tests.web.conftest import World
from tests.web.helpers import Html, post_page

EN = {"accept-language": "en"}


def _draft(engine: Engine, world: World, key: str) -> dict[str, object]:
    with transaction(engine) as s:
        draft = s.scalar(
            select(Invitation.draft).where(
                Invitation.token_hash == token_hash(world.personal_tokens[key])
            )
        )
    return dict(draft or {})


def _set_survey(engine: Engine, survey_id: int, **change: object) -> None:
    with session_factory(engine)() as s:
        survey = s.get(Survey, survey_id)
        assert survey is not None
        if change.get("close"):
            close_survey(s, survey)
        else:
            open_survey(s, survey, change.get("opens_at"), change.get("closes_at"))


# --------------------------------------------------------------------------- availability


def test_closed_survey_gets_a_friendly_page(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    post_page(client, f"{base}/1", {"overall_grade": 7})
    _set_survey(engine, world.customer_survey_id, close=True)
    for path in (base, f"{base}/1", f"{base}/finish"):
        r = client.get(path, headers={"accept-language": "nl"})
        assert r.status_code == 410
        page = Html.of(r)
        assert page.text("h1") == "Deze vragenlijst is gesloten"
        assert "Via deze link kunnen geen antwoorden meer worden gegeven" in page.text("main")
    r = client.post(f"{base}/finish", data={"csrf_token": "x"})
    assert r.status_code == 410
    twin = client.get(base, params={"format": "json"}).json()
    assert twin["error"] == {
        "status": 410,
        "code": "survey_closed",
        "title": "Deze vragenlijst is gesloten",
        "message": twin["error"]["message"],
    }


def test_survey_not_open_yet(client: TestClient, engine: Engine, world: World) -> None:
    opens = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    _set_survey(engine, world.employee_survey_id, opens_at=opens)
    r = client.get(f"/s/{world.personal_tokens['E1']}", headers=EN)
    assert r.status_code == 403
    page = Html.of(r)
    assert page.text("h1") == "This survey is not open yet"
    assert str(opens.year) in page.text("main")


def test_survey_past_its_closing_time(client: TestClient, engine: Engine, world: World) -> None:
    with session_factory(engine)() as s:
        survey = s.get(Survey, world.employee_survey_id)
        assert survey is not None
        survey.closes_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        s.commit()
    assert client.get(f"/s/{world.personal_tokens['E1']}/1").status_code == 410


def test_unknown_link_and_page(client: TestClient, world: World) -> None:
    r = client.get("/s/not-a-real-token-at-all", headers=EN)
    assert r.status_code == 404
    assert Html.of(r).text("h1") == "This link does not work"
    assert client.get(f"/s/{world.location_tokens['N1']}/99").status_code == 404
    assert client.put(f"/s/{world.location_tokens['N1']}/1").status_code == 405
    assert client.get("/nowhere", params={"format": "json"}).json()["error"]["code"] == (
        "not_found"
    )


# --------------------------------------------------------------------------- validation


def test_invalid_answers_keep_the_other_answers(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.personal_tokens['E4']}"
    pages = client.get(f"{base}/1?format=json").json()["page"]["count"]
    last = client.get(f"{base}/{pages}?format=json").json()
    kinds = {q["id"]: q["kind"] for q in last["questions"]}
    text_item = next(k for k, v in kinds.items() if v == "text")
    grade_item = next(k for k, v in kinds.items() if v == "grade")
    first = client.get(f"{base}/1?format=json").json()["questions"]
    a, b = first[0]["id"], first[1]["id"]

    long_text = "Veel te lang. " * 200
    r = post_page(client, f"{base}/1", {a: 4, b: 9}, action="next")
    assert r.status_code == 422
    page = Html.of(r)
    assert str(page.attr(f"#q-{b}", "aria-describedby")).endswith(f"q-{b}-error")
    assert "Kies een getal van 1 tot en met 5." in page.text(f"#q-{b}-error")
    assert page.attr(".error-summary a", "href") == f"#q-{b}"
    assert page.checked() == {a: "4"}
    assert _draft(engine, world, "E4")["answers"] == {a: 4}

    r = post_page(client, f"{base}/{pages}", {grade_item: 8, text_item: long_text})
    assert r.status_code == 422
    page = Html.of(r)
    area = page.one(f"textarea#q-{text_item}")
    assert area.etree_element.get("aria-invalid") == "true"
    assert area.etree_element.text == long_text  # what was typed is still there
    assert "tekens lang" in page.text(f"#q-{text_item}-error")
    assert _draft(engine, world, "E4")["answers"] == {a: 4, grade_item: 8}
    # Nothing lost after fixing it.
    r = post_page(client, f"{base}/{pages}", {text_item: "Kort."})
    assert r.url.path == f"{base}/finish"
    assert _draft(engine, world, "E4")["answers"] == {a: 4, grade_item: 8, text_item: "Kort."}


def test_json_clients_get_the_same_messages(client: TestClient, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    token = client.get(f"{base}/1?format=json").json()["csrf_token"]
    r = client.post(
        f"{base}/1",
        json={"answers": {"overall_grade": 11, "recommend": "seven"}},
        headers={"accept": "application/json", "x-csrf-token": token, **EN},
    )
    assert r.status_code == 422
    body = r.json()
    errors = {e["id"]: e["message"] for e in body["errors"]}
    assert errors == {
        "overall_grade": "Choose a number from 1 to 10.",
        "recommend": "Choose a number from 0 to 10.",
    }
    ok = client.post(
        f"{base}/1",
        json={"answers": {"overall_grade": 7, "recommend": 8}},
        headers={"accept": "application/json", "x-csrf-token": token},
    )
    assert ok.status_code == 200
    assert ok.json()["next"] == f"{base}/2" and ok.json()["saved"] is True


# --------------------------------------------------------------------------- CSRF


@pytest.mark.parametrize("token", [None, "forged-token", "stale"])
def test_posts_without_a_valid_csrf_token_are_refused(
    client: TestClient, engine: Engine, world: World, token: str | None
) -> None:
    base = f"/s/{world.personal_tokens['E5']}"
    first = client.get(f"{base}/1?format=json").json()
    item = first["questions"][0]["id"]
    data = {item: "5", "action": "next"}
    if token == "stale":
        # A token from another browser (another CSRF cookie) does not fit this one.
        other = TestClient(client.app)
        data["csrf_token"] = Html.of(other.get(f"{base}/1")).csrf()
    elif token is not None:
        data["csrf_token"] = token
    r = client.post(f"{base}/1", data=data, headers=EN)
    assert r.status_code == 403
    page = Html.of(r)
    assert "press the button again" in page.text(".notice")
    assert page.checked() == {item: "5"}  # the answer is still filled in ...
    assert _draft(engine, world, "E5") == {}  # ... but nothing was saved
    # Pressing again (with the fresh token of the refusal page) works.
    again = client.post(f"{base}/1", data={**data, "csrf_token": page.csrf()})
    assert again.url.path == f"{base}/2"
    assert _draft(engine, world, "E5")["answers"] == {item: 5}


def test_submit_without_csrf_is_refused(client: TestClient, engine: Engine, world: World) -> None:
    base = f"/s/{world.personal_tokens['E5']}"
    item = client.get(f"{base}/1?format=json").json()["questions"][0]["id"]
    post_page(client, f"{base}/1", {item: 3})
    r = client.post(f"{base}/finish", data={})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(Response)) == 0


# --------------------------------------------------------------------------- JSON twins


def test_every_page_has_a_json_twin(client: TestClient, world: World) -> None:
    base = f"/s/{world.personal_tokens['E1']}"
    by_query = client.get(base, params={"format": "json"})
    by_accept = client.get(base, headers={"accept": "application/json"})
    assert by_query.headers["content-type"] == "application/json"
    assert by_query.json() == by_accept.json()
    start = by_query.json()
    assert start["page_kind"] == "start" and start["survey"]["personal"] is True
    assert start["links"]["first_page"] == f"{base}/1"

    html = Html.of(client.get(f"{base}/1", headers=EN))
    page = client.get(f"{base}/1", params={"format": "json"}, headers=EN).json()
    assert page["lang"] == "en"
    assert [q["text"] for q in page["questions"]] == [
        e.etree_element.text for e in html.all("fieldset > legend")
    ]
    assert page["page"]["number"] == 1 and page["page"]["count"] > 10
    assert page["csrf_token"]

    finish = client.get(f"{base}/finish", params={"format": "json"}).json()
    assert finish["page_kind"] == "finish" and finish["answered"] == 0
    home = client.get("/", params={"format": "json"}).json()
    assert home["page_kind"] == "home"
    thanks = client.get(
        f"/s/{world.location_tokens['N1']}/thanks", params={"format": "json"}
    ).json()
    assert thanks["page_kind"] == "thanks"


# --------------------------------------------------------------------------- headers


def test_security_headers(client: TestClient, world: World) -> None:
    r = client.get(f"/s/{world.location_tokens['N1']}/1")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    page = Html.of(r)
    assert page.all("script:not([src])") == []  # no inline scripts
    assert page.all("[style]") == []  # no inline styles
    css = page.attr('link[rel="stylesheet"]', "href")
    static = client.get(css)
    assert static.status_code == 200 and "immutable" in static.headers["cache-control"]
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_page_structure_for_screen_readers(client: TestClient, world: World) -> None:
    page = Html.of(client.get(f"/s/{world.personal_tokens['E1']}/1"))
    assert page.attr("a.skip-link", "href") == "#main"
    assert page.one("main#main")
    assert len(page.all("h1")) == 1
    for fieldset in page.all("fieldset"):
        legends = [c for c in fieldset.iter_children() if c.local_name == "legend"]
        assert len(legends) == 1
    for radio in page.all("input[type=radio]"):
        rid = radio.etree_element.get("id")
        assert page.all(f'label[for="{rid}"]'), rid
    assert page.attr("progress", "aria-labelledby") == "progress-label"


def test_tokens_are_kept_out_of_the_access_log() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "GET", "/s/SeCrEtToKeN123/2?x=1", "1.1", 200),
        None,
    )
    TokenRedactingFilter().filter(record)
    assert "SeCrEtToKeN123" not in record.getMessage()
    assert "/s/…/2?x=1" in record.getMessage()


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
