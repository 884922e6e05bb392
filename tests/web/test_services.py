"""The survey use cases without HTTP: links, drafts, checking and packing answers."""

from __future__ import annotations

import base64
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from spiegel.instruments import (
    AgreementFormat,
    ChoiceFormat,
    ChoiceOption,
    Instrument,
    Item,
    LikelihoodFormat,
    Scale,
    Text,
    TextFormat,
    get_instrument,
)
from spiegel.services.invitations import (
    LinkNotFound,
    SurveyUnavailable,
    create_personal_invitations,
    ensure_location_links,
    location_token,
    new_token,
    resolve_link,
    save_draft,
    token_hash,
)
from spiegel.services.questionnaire import (
    check_answers,
    numeric_item_ids,
    pack_answers,
    question_groups,
)
from spiegel.services.surveys import (
    SurveyState,
    instrument_of,
    list_surveys,
    survey_state,
)
from spiegel.store.answers import unpack_rows
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import Invitation, Survey, SurveyStatus
from tests.web.conftest import SECRET, World


def _t(text: str) -> Text:
    return Text(nl=text, en=text)


def small_instrument() -> Instrument:
    """Two pages: a choice asked first, then a scale; an open question last."""
    return Instrument(
        name="small",
        version=1,
        title=_t("Small"),
        audience="employee",
        description=_t("A small questionnaire."),
        formats={
            "agree3": AgreementFormat(kind="agreement", points=[_t("no"), _t("so-so"), _t("yes")]),
            "shift": ChoiceFormat(
                kind="choice",
                options=[
                    ChoiceOption(code="day", nl="dag", en="day"),
                    ChoiceOption(code="night", nl="nacht", en="night"),
                ],
            ),
            "rooms": ChoiceFormat(
                kind="choice",
                options=[
                    ChoiceOption(code=1, nl="een", en="one"),
                    ChoiceOption(code=2, nl="twee", en="two"),
                ],
            ),
            "likely": LikelihoodFormat(kind="likelihood"),
            "text": TextFormat(kind="text", max_length=10),
        },
        scales=(
            Scale(
                name="mood",
                title=_t("Mood"),
                format="agree3",
                items=(
                    Item(id="m1", text=_t("m1"), format="agree3", scale="mood"),
                    Item(id="m2", text=_t("m2"), format="agree3", scale="mood", reverse=True),
                ),
            ),
        ),
        extra_items=(
            Item(id="shift", text=_t("shift"), format="shift", position="first"),
            Item(id="rooms", text=_t("rooms"), format="rooms", position="first"),
            Item(id="nps", text=_t("nps"), format="likely", position="last"),
            Item(id="note", text=_t("note"), format="text", position="last"),
        ),
    )


# --------------------------------------------------------------------------- questionnaire


def test_question_groups_follow_the_questionnaire_order() -> None:
    groups = question_groups(small_instrument())
    assert [g.key for g in groups] == ["_first", "mood", "_last"]
    assert [[i.id for i in g.items] for g in groups] == [
        ["shift", "rooms"],
        ["m1", "m2"],
        ["nps", "note"],
    ]
    customer = question_groups(get_instrument("customer"))
    assert sum(len(g.items) for g in customer) == len(get_instrument("customer").items)


def test_check_answers_reports_every_problem_and_keeps_the_rest() -> None:
    inst = small_instrument()
    raw = {
        "m1": "3",
        "m2": "4",
        "shift": "evening",
        "rooms": "2",
        "nps": "x",
        "note": "far too long",
        "other": "ignored",
    }
    checked = check_answers(inst, [i.id for i in inst.items], raw)
    assert checked.values == {"m1": 3, "rooms": 2}
    assert {k: p.code for k, p in checked.problems.items()} == {
        "m2": "out_of_range",
        "shift": "not_an_option",
        "nps": "not_a_number",
        "note": "too_long",
    }
    assert checked.problems["note"].params == {"max": 10, "length": 12}
    assert checked.raw["note"] == "far too long"
    blank = check_answers(inst, ["m1", "note", "shift"], {"m1": "", "note": "  ", "shift": "day"})
    assert blank.values == {"m1": None, "note": None, "shift": "day"} and blank.ok


@given(st.integers(min_value=-5, max_value=15))
def test_likelihood_takes_exactly_0_to_10(value: int) -> None:
    checked = check_answers(small_instrument(), ["nps"], {"nps": str(value)})
    assert checked.ok == (0 <= value <= 10)
    if checked.ok:
        assert checked.values["nps"] == value


def test_pack_answers_follows_item_order() -> None:
    inst = small_instrument()
    order = numeric_item_ids(inst)
    assert order == ["shift", "rooms", "m1", "m2", "nps"]
    packed = pack_answers(inst, order, {"m2": 1, "shift": "night", "note": "hi", "nps": 0})
    row = unpack_rows([packed.numeric], len(order))[0]
    assert row[0] == 2.0  # text code: position of the option
    assert math.isnan(row[1]) and math.isnan(row[2])
    assert row[3] == 1.0 and row[4] == 0.0
    assert packed.texts == {"note": "hi"} and packed.answered == 4
    with pytest.raises(ValueError, match="unknown item"):
        pack_answers(inst, order, {"zz": 1})
    with pytest.raises(ValueError, match="m1 \\(out_of_range\\)"):
        pack_answers(inst, order, {"m1": 7})


def test_instrument_round_trips_through_the_store(engine: Engine, world: World) -> None:
    with transaction(engine) as s:
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        loaded = instrument_of(survey.instrument)
        assert loaded == get_instrument("customer")
        assert instrument_of(survey.instrument) is loaded  # cached
        assert survey.instrument.item_order == numeric_item_ids(loaded)


# --------------------------------------------------------------------------- links


def test_personal_tokens_are_random_long_and_stored_only_as_hashes(
    engine: Engine, world: World
) -> None:
    tokens = list(world.personal_tokens.values())
    assert len(set(tokens)) == len(tokens) == 5
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128
    with transaction(engine) as s:
        stored = list(s.scalars(select(Invitation.token_hash).where(Invitation.personal)))
    assert sorted(stored) == sorted(token_hash(t) for t in tokens)
    assert not set(tokens) & set(stored)
    assert len(new_token()) == 32


def test_issuing_again_skips_who_has_a_link(engine: Engine, world: World) -> None:
    with session_factory(engine)() as s:
        survey = s.get(Survey, world.employee_survey_id)
        assert survey is not None
        issued, skipped = create_personal_invitations(s, survey)
        assert (issued, skipped) == ([], 5)
        customer = s.get(Survey, world.customer_survey_id)
        assert customer is not None
        with pytest.raises(ValueError, match="location links"):
            create_personal_invitations(s, customer)


def test_location_links_are_stable(engine: Engine, world: World) -> None:
    with session_factory(engine)() as s:
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        again = ensure_location_links(s, survey, SECRET)
        assert {link.unit_code: link.token for link in again} == world.location_tokens
        assert not any(link.created for link in again)
        assert set(world.location_tokens) == {"N1", "N2"}
        assert location_token(SECRET, survey.id, 1) != location_token("other", survey.id, 1)
        with pytest.raises(ValueError, match="no unit with code"):
            ensure_location_links(s, survey, SECRET, ["N9"])


def test_resolving_and_saving(engine: Engine, world: World) -> None:
    with session_factory(engine)() as s:
        with pytest.raises(LinkNotFound):
            resolve_link(s, "nope")
        link = resolve_link(s, world.location_tokens["N1"])
        assert not link.personal and link.unit_id == world.units["N1"]
        with pytest.raises(ValueError, match="draft key"):
            save_draft(s, link, {"recommend": 3}, page=1)
        with pytest.raises(ValueError, match="invalid answers"):
            save_draft(s, link, {"recommend": 30}, page=1, draft_key="k" * 32)
        survey = s.get(Survey, world.customer_survey_id)
        assert survey is not None
        survey.status = SurveyStatus.CLOSED
        s.commit()
        closed = resolve_link(s, world.location_tokens["N1"])
        with pytest.raises(SurveyUnavailable) as info:
            save_draft(s, closed, {"recommend": 3}, page=1, draft_key="k" * 32)
        assert info.value.state == SurveyState.CLOSED


def test_survey_state_follows_status_and_times() -> None:
    now = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    survey = Survey(status=SurveyStatus.DRAFT)
    assert survey_state(survey, now) == SurveyState.NOT_YET_OPEN
    survey.status = SurveyStatus.OPEN
    assert survey_state(survey, now) == SurveyState.OPEN
    survey.opens_at = now + hour
    assert survey_state(survey, now) == SurveyState.NOT_YET_OPEN
    survey.opens_at, survey.closes_at = now - hour, now
    assert survey_state(survey, now) == SurveyState.CLOSED
    survey.closes_at = (now + hour).replace(tzinfo=None)  # SQLite gives naive UTC
    assert survey_state(survey, now) == SurveyState.OPEN
    survey.status = SurveyStatus.CLOSED
    assert survey_state(survey, now) == SurveyState.CLOSED


def test_list_surveys_counts_links_and_responses(engine: Engine, world: World) -> None:
    with session_factory(engine)() as s:
        rows = {r.slug: r for r in list_surveys(s, world.organisation_id)}
    employee = rows["medewerkers-2026-h2"]
    assert (employee.personal_links, employee.personal_links_used, employee.responses) == (5, 0, 0)
    assert rows["klanten-2026-h2"].location_links == 2
    assert employee.state == SurveyState.OPEN
    assert np.all([r.audience in {"customer", "employee"} for r in rows.values()])
