"""A customer answers through the location link of their location, in Dutch."""

from __future__ import annotations

import asyncio
import math

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.services.invitations import token_hash
from spiegel.services.submissions import FastLane, SubmitOutcome
from spiegel.services.surveys import close_survey
from spiegel.store.answers import unpack_rows
from spiegel.store.db import transaction
from spiegel.store.models import AnonymousDraft, Response, Survey, TextAnswer
from tests.web.conftest import World
from tests.web.helpers import Html, post_page

NL = {"accept-language": "nl-NL,nl;q=0.9,en;q=0.8"}


def _responses(engine: Engine, survey_id: int) -> list[Response]:
    with transaction(engine) as s:
        return list(s.scalars(select(Response).where(Response.survey_id == survey_id)))


def test_parent_answers_the_customer_survey_in_dutch(
    client: TestClient, engine: Engine, world: World
) -> None:
    client.headers.update(NL)
    base = f"/s/{world.location_tokens['N1']}"
    start = Html.of(client.get(base))
    assert start.lang == "nl"
    assert start.text("h1") == "Klantonderzoek"
    assert "anoniem" in start.text(".facts")
    assert start.attr("a.button.primary", "href") == f"{base}/1"

    page1 = Html.of(client.get(f"{base}/1"))
    assert page1.text(".progress-label") == "Pagina 1 van 4"
    legends = [e.etree_element.text for e in page1.all("fieldset > legend")]
    assert legends[0].startswith("Welk rapportcijfer geeft u ons")
    assert len(page1.all("input[name=recommend]")) == 12  # 0..10 and "geen antwoord"

    r = post_page(client, f"{base}/1", {"overall_grade": 8, "recommend": 9})
    assert r.status_code == 200 and r.url.path == f"{base}/2"
    assert "spiegel_draft" in client.cookies
    r = post_page(client, f"{base}/2", {"mot_first_contact": 7, "mot_pick_up": 6})
    assert r.url.path == f"{base}/3"
    r = post_page(client, f"{base}/3", {"asp_friendliness": 9})
    r = post_page(client, f"{base}/4", {"comment": "  Fijne leidsters, soms te druk.  "})
    assert r.url.path == f"{base}/finish"
    finish = Html.of(r)
    assert "U hebt 6 van de 15 vragen beantwoord." in finish.text(".lead")

    done = client.post(f"{base}/finish", data={"csrf_token": finish.csrf()})
    assert done.status_code == 200 and done.url.path == f"{base}/thanks"
    assert Html.of(done).text("h1") == "Hartelijk dank!"
    assert "spiegel_draft" not in client.cookies  # cleared: the next visit starts afresh

    [response] = _responses(engine, world.customer_survey_id)
    assert response.unit_id == world.units["N1"]
    assert response.role_group is None
    with transaction(engine) as s:
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        order = survey.instrument.item_order
        texts = {t.item_id: t.text for t in s.scalars(select(TextAnswer))}
        drafts = list(s.scalars(select(AnonymousDraft)))
    row = dict(zip(order, unpack_rows([response.numeric_answers], len(order))[0], strict=True))
    assert row["overall_grade"] == 8 and row["recommend"] == 9
    assert row["mot_first_contact"] == 7 and row["mot_pick_up"] == 6
    assert row["asp_friendliness"] == 9
    assert math.isnan(row["mot_intake"]) and "comment" not in row
    assert int(np.isnan(list(row.values())).sum()) == len(order) - 5
    assert texts == {"comment": "Fijne leidsters, soms te druk."}
    assert len(drafts) == 1 and drafts[0].submitted_at is not None and drafts[0].answers is None


def test_each_browser_has_its_own_draft_on_a_location_link(
    client: TestClient, settings: object, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    other = TestClient(client.app)
    post_page(client, f"{base}/1", {"overall_grade": 9})
    post_page(other, f"{base}/1", {"overall_grade": 4})
    assert Html.of(client.get(f"{base}/1")).checked()["overall_grade"] == "9"
    assert Html.of(other.get(f"{base}/1")).checked()["overall_grade"] == "4"
    # Only hashes of the browsers' keys are stored.
    with transaction(engine) as s:
        hashes = set(s.scalars(select(AnonymousDraft.key_hash)))
    assert hashes == {
        token_hash(client.cookies["spiegel_draft"]),
        token_hash(other.cookies["spiegel_draft"]),
    }
    for c in (client, other):
        page = Html.of(c.get(f"{base}/finish"))
        assert c.post(f"{base}/finish", data={"csrf_token": page.csrf()}).url.path.endswith(
            "/thanks"
        )
    # On a later visit the same browser is thanked, not asked again (one answer per
    # browser); with its cookies cleared it starts afresh, with an empty draft.
    thanked = Html.of(client.get(f"{base}/1", headers={"accept-language": "en"}))
    assert "already answered this survey in this browser" in thanked.text("main")
    client.cookies.clear()
    assert Html.of(client.get(f"{base}/1")).checked() == {}
    with transaction(engine) as s:
        n = s.scalar(select(func.count()).select_from(Response))
    assert n == 2


def test_a_retried_submit_on_a_location_link_makes_one_response(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    post_page(client, f"{base}/1", {"recommend": 10})
    token = Html.of(client.get(f"{base}/finish")).csrf()
    key = client.cookies["spiegel_draft"]
    first = client.post(f"{base}/finish", data={"csrf_token": token})
    assert first.url.path.endswith("/thanks")
    # The browser retries with the old cookie (say the first answer never arrived).
    client.cookies.set("spiegel_draft", key, path=base)
    second = client.post(f"{base}/finish", data={"csrf_token": token})
    assert second.url.path.endswith("/thanks")
    assert len(_responses(engine, world.customer_survey_id)) == 1


def test_sending_nothing_is_refused_kindly(client: TestClient, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    page = Html.of(client.get(f"{base}/finish", headers=NL))
    r = client.post(f"{base}/finish", data={"csrf_token": page.csrf()}, headers=NL)
    assert r.status_code == 422
    assert "nog geen enkele vraag beantwoord" in Html.of(r).text(".notice")


def test_language_follows_browser_then_choice(client: TestClient, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    en = Html.of(client.get(f"{base}/1", headers={"accept-language": "en-GB,en;q=0.9"}))
    assert en.lang == "en"
    assert en.text(".progress-label") == "Page 1 of 4"
    assert en.text("fieldset > legend").startswith("All things considered")
    switch = {
        e.etree_element.get("lang"): e.etree_element.get("href") for e in en.all(".lang-switch a")
    }
    assert switch["nl"] == f"{base}/1?lang=nl"
    assert en.attr('.lang-switch a[aria-current="true"]', "lang") == "en"
    nl = client.get(switch["nl"], headers={"accept-language": "en"})
    assert Html.of(nl).lang == "nl"
    assert client.cookies["spiegel_lang"] == "nl"
    # The choice sticks, whatever the browser says.
    later = client.get(f"{base}/2", headers={"accept-language": "en"})
    assert Html.of(later).lang == "nl"
    assert Html.of(client.get("/", headers={"accept-language": "fr"})).lang == "nl"


ONE_GO = {
    "overall_grade": 8,
    "recommend": 9,
    "mot_drop_off": 7,
    "comment": "Fijne leidsters.",
}


def test_a_whole_questionnaire_in_one_json_request(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    key = "kiosk-7f3a9c2e41d8b605"
    r = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": key})
    assert r.status_code == 200, r.text
    assert r.json()["submitted"] is True and r.json()["next"] == f"{base}/thanks"
    # A retry of the same submission (its answer lost on the way) stores nothing new.
    again = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": key})
    assert again.status_code == 200 and again.json()["submitted"] is True
    client.cookies.clear()  # another respondent
    other = client.post(f"{base}/finish", json={"answers": {"recommend": 3}})
    assert other.status_code == 200
    responses = _responses(engine, world.customer_survey_id)
    assert len(responses) == 2
    assert {r.unit_id for r in responses} == {world.units["N2"]}
    keyed = next(r for r in responses if r.external_id.startswith("web-k"))
    assert key not in keyed.external_id
    with transaction(engine) as s:
        texts = s.scalars(select(TextAnswer.text).where(TextAnswer.response_id == keyed.id))
        assert list(texts) == ["Fijne leidsters."]
        order = s.scalar(select(Survey).where(Survey.id == world.customer_survey_id))
        assert order is not None
        item_order = list(order.instrument.item_order)
    [row] = unpack_rows([keyed.numeric_answers], len(item_order))
    got = {i: v for i, v in zip(item_order, row, strict=True) if not math.isnan(v)}
    assert got == {"overall_grade": 8, "recommend": 9, "mot_drop_off": 7}


def test_one_request_with_a_wrong_answer_stores_nothing_and_says_which(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(
        f"{base}/finish",
        json={"answers": {"overall_grade": 11, "recommend": "veel", "mot_drop_off": 7}},
        headers=NL,
    )
    assert r.status_code == 422
    body = r.json()
    assert body["error"]["code"] == "invalid_answers"
    assert set(body["problems"]) == {"overall_grade", "recommend"}
    assert "1" in body["problems"]["overall_grade"] and "10" in body["problems"]["overall_grade"]
    short = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": "kort"})
    assert short.status_code == 422
    assert short.json()["error"]["code"] == "invalid_submission_key"
    assert _responses(engine, world.customer_survey_id) == []


def test_a_form_with_answers_still_needs_its_csrf_token(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(f"{base}/finish", data={"overall_grade": "8"})
    assert r.status_code == 403
    assert _responses(engine, world.customer_survey_id) == []


def test_one_request_to_a_closed_survey_is_refused(
    client: TestClient, engine: Engine, world: World
) -> None:
    with transaction(engine) as s:
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        close_survey(s, survey)
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(f"{base}/finish", json={"answers": ONE_GO})
    assert r.status_code == 410 and r.json()["error"]["code"] == "survey_closed"
    assert _responses(engine, world.customer_survey_id) == []


def test_the_fast_lane_serves_postgresql_and_hands_the_rest_to_the_general_path(
    engine: Engine, world: World
) -> None:
    if engine.dialect.name != "postgresql":
        # SQLite: every submission takes the general path.
        assert asyncio.run(FastLane.open_for(engine)) is None
        return
    location = world.location_tokens["N1"]
    personal = world.personal_tokens["E1"]

    async def scenario() -> list[SubmitOutcome | None]:
        lane = await FastLane.open_for(engine)
        assert lane is not None
        try:
            return [
                await lane.submit(location, ONE_GO, "retry-key-0123456789"),
                await lane.submit(location, ONE_GO, "retry-key-0123456789"),
                await lane.submit(location, {"recommend": "9"}),
                await lane.submit(personal, {"recommend": 9}),  # personal: general path
                await lane.submit(location, {"overall_grade": 12}),  # invalid: general path
                await lane.submit(location, {"comment": " "}),  # nothing answered
                await lane.submit(location, ONE_GO, "short"),  # bad key
                await lane.submit("no-such-token", ONE_GO),
            ]
        finally:
            await lane.close()

    assert asyncio.run(scenario()) == [
        SubmitOutcome.SUBMITTED,
        SubmitOutcome.ALREADY_SUBMITTED,
        SubmitOutcome.SUBMITTED,
        None,
        None,
        None,
        None,
        None,
    ]
    responses = _responses(engine, world.customer_survey_id)
    assert len(responses) == 2
    assert all(r.role_group is None and r.unit_id == world.units["N1"] for r in responses)


def test_closing_a_survey_stops_the_fast_lane_at_once(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    assert client.post(f"{base}/finish", json={"answers": ONE_GO}).status_code == 200
    with transaction(engine) as s:
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        close_survey(s, survey)
    # The link is remembered by now; whether the survey is open is read on every insert.
    r = client.post(f"{base}/finish", json={"answers": ONE_GO})
    assert r.status_code == 410 and r.json()["error"]["code"] == "survey_closed"
    assert len(_responses(engine, world.customer_survey_id)) == 1
