"""An employee answers through a personal link: resume, one submission, anonymity."""

from __future__ import annotations

import datetime as dt
import threading

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, inspect, select

from spiegel.services.invitations import resolve_link, save_draft
from spiegel.services.submissions import SubmitOutcome, submit
from spiegel.services.surveys import close_survey
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import (
    Invitation,
    InvitationRecipient,
    Response,
    RoleGroup,
    Survey,
)
from tests.web.conftest import World
from tests.web.helpers import Html, post_page


def _link(world: World, key: str = "E1") -> str:
    return f"/s/{world.personal_tokens[key]}"


def _first_page_ids(client: TestClient, base: str) -> list[str]:
    return [q["id"] for q in client.get(f"{base}/1?format=json").json()["questions"]]


def test_closing_the_browser_midway_loses_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = _link(world)
    ids = _first_page_ids(client, base)
    page1 = {ids[0]: 4, ids[1]: 5, ids[2]: 2}
    assert post_page(client, f"{base}/1", page1).url.path == f"{base}/2"
    page2_ids = [q["id"] for q in client.get(f"{base}/2?format=json").json()["questions"]]
    page2 = {page2_ids[0]: 3, page2_ids[-1]: 1}
    assert post_page(client, f"{base}/2", page2).url.path == f"{base}/3"

    # A new browser (no cookies at all) opens the same link from the e-mail.
    fresh = TestClient(client.app)
    start = Html.of(fresh.get(base, headers={"accept-language": "nl"}))
    assert start.attr("a.button.primary", "href") == f"{base}/3"
    assert "al 5 vragen beantwoord" in start.text("main")
    assert Html.of(fresh.get(f"{base}/1")).checked() == {k: str(v) for k, v in page1.items()}
    assert Html.of(fresh.get(f"{base}/2")).checked() == {k: str(v) for k, v in page2.items()}

    # Changing an answer and clearing another on a later visit.
    r = post_page(fresh, f"{base}/1", {ids[0]: 1, ids[1]: ""}, action="save")
    assert r.url.path == f"{base}/1" and "bewaard" in Html.of(r).text(".notice").lower()
    finish = Html.of(fresh.get(f"{base}/finish"))
    assert finish.text(".page-list li:first-child .count") == "2 van 3 beantwoord"
    done = fresh.post(f"{base}/finish", data={"csrf_token": finish.csrf()})
    assert done.url.path == f"{base}/thanks"

    [response] = _all(engine, Response)
    [invitation] = [i for i in _all(engine, Invitation) if i.personal and i.submitted_at]
    assert response.unit_id == world.units["N1A"]
    assert response.role_group == RoleGroup.FRONT_LINE
    assert invitation.draft is None
    # Anonymity: no column of a response refers to an invitation or a person, and the
    # link's submission is kept to the day, so the two cannot be matched by time.
    columns = {c["name"] for c in inspect(engine).get_columns("response")}
    assert not columns & {"invitation_id", "employee_id", "recipient_id", "token_hash"}
    assert response.external_id.startswith("web-")
    stamped = invitation.submitted_at.replace(tzinfo=dt.UTC)
    assert (stamped.hour, stamped.minute, stamped.second) == (0, 0, 0)
    assert response.submitted_at.replace(tzinfo=dt.UTC) == stamped

    # Coming back after sending: a thank-you page, not the questions.
    again = fresh.get(f"{base}/2")
    assert again.url.path == f"{base}/thanks"
    assert "al ontvangen" in Html.of(fresh.get(base, headers={"accept-language": "nl"})).text(
        ".lead"
    )


def test_double_submit_makes_one_response(client: TestClient, engine: Engine, world: World) -> None:
    base = _link(world, "E2")
    ids = _first_page_ids(client, base)
    post_page(client, f"{base}/1", {ids[0]: 3})
    token = Html.of(client.get(f"{base}/finish")).csrf()
    first = client.post(f"{base}/finish", data={"csrf_token": token})
    second = client.post(f"{base}/finish", data={"csrf_token": token})
    assert first.url.path == second.url.path == f"{base}/thanks"
    assert Html.of(second).text("h1") == Html.of(first).text("h1")
    assert _count(engine, Response) == 1


def test_concurrent_submits_make_one_response(engine: Engine, world: World) -> None:
    token = world.personal_tokens["E3"]
    factory = session_factory(engine)
    with factory() as s:
        link = resolve_link(s, token)
        save_draft(s, link, {link.instrument.items[0].id: 4}, page=2)
    outcomes: list[SubmitOutcome] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        with factory() as s:
            mine = resolve_link(s, token)
            s.rollback()
            barrier.wait()
            outcomes.append(submit(s, mine))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted(
        [SubmitOutcome.SUBMITTED] + [SubmitOutcome.ALREADY_SUBMITTED] * 3
    )
    assert _count(engine, Response) == 1


def test_recipients_are_known_only_apart_from_answers(engine: Engine, world: World) -> None:
    assert _count(engine, InvitationRecipient) == 5
    with transaction(engine) as s:
        personal = s.scalar(select(func.count()).where(Invitation.personal))
    assert personal == 5


def _all(engine: Engine, model: type) -> list:
    with transaction(engine) as s:
        return list(s.scalars(select(model)))


def _count(engine: Engine, model: type) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_closing_a_survey_separates_links_from_responses_on_postgresql(
    engine: Engine, world: World
) -> None:
    token = world.personal_tokens["E1"]
    with session_factory(engine)() as s:
        link = resolve_link(s, token)
        save_draft(s, link, {link.instrument.items[0].id: 2}, page=1)
        assert submit(s, link) == SubmitOutcome.SUBMITTED
    if engine.dialect.name != "postgresql":
        return
    same_transaction = (
        "SELECT count(*) FROM invitation i JOIN response r "
        "ON i.xmin::text = r.xmin::text WHERE i.submitted_at IS NOT NULL"
    )
    with engine.connect() as conn:
        assert conn.exec_driver_sql(same_transaction).scalar() == 1
    with session_factory(engine)() as s:
        survey = s.get(Survey, world.employee_survey_id)
        assert survey is not None
        close_survey(s, survey)
    with engine.connect() as conn:
        assert conn.exec_driver_sql(same_transaction).scalar() == 0
