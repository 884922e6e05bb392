"""Ballot stuffing through a location link: one browser answers once, and one client
address or one link cannot send more than the limits allow (HTML and JSON, the fast
lane included on PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.config import Settings
from spiegel.store.db import transaction
from spiegel.store.models import Response
from spiegel.web.app import create_app
from spiegel.web.security import TokenRedactingFilter
from tests.web.conftest import World
from tests.web.helpers import Html, post_page

NL = {"accept-language": "nl-NL,nl;q=0.9"}
EN = {"accept-language": "en"}
ONE_GO = {"overall_grade": 8, "recommend": 9, "mot_drop_off": 7, "comment": "Prima."}
PARENT = ("198.51.100.7", 50000)


def _stored(engine: Engine, survey_id: int) -> int:
    with transaction(engine) as s:
        query = select(func.count()).select_from(Response)
        return int(s.scalar(query.where(Response.survey_id == survey_id)) or 0)


def _key(i: int) -> str:
    return f"stuffing-key-{i:04d}-0123456789"


@contextmanager
def _client(
    settings: Settings, engine: Engine, address: tuple[str, int] = PARENT, **limits: int
) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update=limits), engine=engine)
    with TestClient(app, base_url="http://testserver", client=address) as c:
        yield c


def test_twelve_keys_from_one_browser_store_one_response(
    client: TestClient, engine: Engine, world: World
) -> None:
    """The finding: 12 JSON submissions with 12 keys from one client stored 12 responses."""
    base = f"/s/{world.location_tokens['N1']}"
    answers = [
        client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(i)})
        for i in range(12)
    ]
    assert answers[0].status_code == 200 and answers[0].json()["submitted"] is True
    for later in answers[1:]:
        assert later.status_code == 409, later.text
        body = later.json()
        assert body["submitted"] is False and body["error"]["code"] == "already_answered"
    assert _stored(engine, world.customer_survey_id) == 1


def test_a_retry_with_the_same_key_is_still_thanked(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    first = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(1)})
    assert first.json()["submitted"] is True
    # The answer arrived with its cookie, and the client retries all the same.
    retry = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(1)})
    assert retry.status_code == 200 and retry.json()["submitted"] is True
    assert _stored(engine, world.customer_survey_id) == 1


def test_a_browser_that_answered_is_thanked_instead_of_asked_again(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    post_page(client, f"{base}/1", {"overall_grade": 8, "recommend": 9})
    finish = Html.of(client.get(f"{base}/finish"))
    sent = client.post(f"{base}/finish", data={"csrf_token": finish.csrf()}, headers=NL)
    assert sent.url.path == f"{base}/thanks"
    assert "Uw antwoorden zijn ontvangen" in Html.of(sent).text("main")
    cookie = client.cookies["spiegel_answered"]
    assert "198.51" not in cookie and str(world.units["N1"]) not in cookie.split(".")
    # Coming back: the start page, any page and the overview say so, and save nothing.
    for path in (base, f"{base}/1", f"{base}/3", f"{base}/finish"):
        page = Html.of(client.get(path, headers=NL))
        assert "al ingevuld" in page.text("main"), path
        assert page.all("form") == [] or not page.all('input[name="csrf_token"]'), path
    again = client.post(
        f"{base}/1", data={"overall_grade": "2", "csrf_token": finish.csrf()}, headers=EN
    )
    assert again.status_code == 409
    assert "already answered" in Html.of(again).text("main")
    resend = client.post(f"{base}/finish", data={"csrf_token": finish.csrf()}, headers=EN)
    assert resend.status_code == 409
    assert _stored(engine, world.customer_survey_id) == 1
    # The cookie holds for this link only: another location's link still asks.
    other = Html.of(client.get(f"/s/{world.location_tokens['N2']}/1"))
    assert other.all('input[name="csrf_token"]')


def test_a_forged_answered_cookie_is_ignored(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    client.cookies.set("spiegel_answered", "bm9uY2U.Zm9yZ2Vk", path=base)
    r = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(3)})
    assert r.status_code == 200 and r.json()["submitted"] is True
    assert _stored(engine, world.customer_survey_id) == 1


def test_one_address_is_limited_per_link(settings: Settings, engine: Engine, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    with _client(settings, engine, submit_limit_per_client=5, submit_limit_per_link=100) as c:
        codes = []
        for i in range(12):
            c.cookies.clear()  # a script that drops the cookie
            r = c.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(i)})
            codes.append(r.status_code)
        assert codes == [200] * 5 + [429] * 7
        refused = c.post(
            f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(99)}, headers=NL
        )
        assert refused.status_code == 429
        wait = int(refused.headers["retry-after"])
        assert 0 < wait <= 3600 // 5
        error = refused.json()["error"]
        assert error["code"] == "too_many_submissions"
        assert "opnieuw" in error["message"] and "min" in error["message"]
        # Another location's link has a budget of its own.
        other = f"/s/{world.location_tokens['N2']}/finish"
        assert c.post(other, json={"answers": ONE_GO}).status_code == 200
    assert _stored(engine, world.customer_survey_id) == 6


def test_the_limit_counts_stored_responses_only(
    settings: Settings, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    with _client(settings, engine, submit_limit_per_client=2) as c:
        for _ in range(5):  # refused answers cost nothing
            bad = c.post(f"{base}/finish", json={"answers": {"overall_grade": 11}})
            assert bad.status_code == 422
        first = c.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(1)})
        c.cookies.clear()
        for _ in range(3):  # nor do retries of a stored one
            retry = c.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": _key(1)})
            assert retry.status_code == 200
        c.cookies.clear()
        second = c.post(f"{base}/finish", json={"answers": ONE_GO})
        c.cookies.clear()
        third = c.post(f"{base}/finish", json={"answers": ONE_GO})
    assert [first.status_code, second.status_code, third.status_code] == [200, 200, 429]
    assert _stored(engine, world.customer_survey_id) == 2


def test_a_crowd_on_many_addresses_meets_the_link_limit(
    settings: Settings, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    app = create_app(
        settings.model_copy(update={"submit_limit_per_link": 4, "submit_limit_per_client": 100}),
        engine=engine,
    )
    codes = []
    for i in range(6):  # six parents, each on their own phone and address
        with TestClient(app, base_url="http://testserver", client=(f"203.0.113.{i}", 1)) as c:
            r = c.post(f"{base}/finish", json={"answers": ONE_GO}, headers=EN)
            codes.append(r.status_code)
    assert codes == [200] * 4 + [429] * 2
    assert "try again" in r.json()["error"]["message"]
    assert _stored(engine, world.customer_survey_id) == 4


def test_a_browser_over_the_limit_keeps_its_answers(
    settings: Settings, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    with _client(settings, engine, submit_limit_per_client=1) as c:
        assert c.post(f"{base}/finish", json={"answers": ONE_GO}).status_code == 200
        c.cookies.clear()
        post_page(c, f"{base}/1", {"overall_grade": 6, "recommend": 7})
        page = Html.of(c.get(f"{base}/finish"))
        r = c.post(f"{base}/finish", data={"csrf_token": page.csrf()}, headers=EN)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        again = Html.of(r)
        assert "try again" in again.text(".notice")
        assert again.all('button[type="submit"]')  # the send button is still there
    # The answers were kept: the draft is still there to be sent later.
    with _client(settings, engine, submit_limit_per_client=1) as later:
        later.cookies.set("spiegel_draft", c.cookies["spiegel_draft"], path=base)
        token = Html.of(later.get(f"{base}/finish")).csrf()
        assert later.post(f"{base}/finish", data={"csrf_token": token}).url.path.endswith("/thanks")
    assert _stored(engine, world.customer_survey_id) == 2


def test_personal_links_are_not_limited(settings: Settings, engine: Engine, world: World) -> None:
    with _client(settings, engine, submit_limit_per_client=1, submit_limit_per_link=1) as c:
        for key in ("E1", "E2", "E3"):
            path = f"/s/{world.personal_tokens[key]}/finish"
            r = c.post(path, json={"answers": {"vig_energy": 4}})
            assert r.status_code == 200, r.text
    assert _stored(engine, world.employee_survey_id) == 3


def test_zero_turns_the_limits_off(settings: Settings, engine: Engine, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    with _client(settings, engine, submit_limit_per_client=0, submit_limit_per_link=0) as c:
        for _ in range(8):
            c.cookies.clear()
            assert c.post(f"{base}/finish", json={"answers": ONE_GO}).status_code == 200
    assert _stored(engine, world.customer_survey_id) == 8


def test_the_access_log_keeps_no_address_of_respondents() -> None:
    def logged(path: str) -> str:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("198.51.100.7:50000", "POST", path, "1.1", 200),
            None,
        )
        TokenRedactingFilter().filter(record)
        return record.getMessage()

    survey = logged("/s/SeCrEtToKeN123/finish")
    assert "198.51.100.7" not in survey and "SeCrEtToKeN123" not in survey
    assert survey.startswith('- - "POST /s/…/finish')
    assert logged("/admin/surveys").startswith("198.51.100.7:50000")
