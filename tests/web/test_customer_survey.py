"""A customer answers through the location link of their location, in Dutch."""

from __future__ import annotations

import math

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.services.invitations import token_hash
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
    # The same browser can answer again on a later visit: a new, empty draft.
    again = Html.of(client.get(f"{base}/1"))
    assert again.checked() == {}
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
