"""Flags on location links whose responses jump far above their usual rate, and excluded
windows that the analysis leaves out (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from spiegel.services.dataset import load_organisation
from spiegel.services.exporting import export_responses
from spiegel.services.integrity import (
    Flag,
    exclude_window,
    flag_hours,
    survey_integrity,
    undo_exclusion,
)
from spiegel.store.db import session_factory
from spiegel.store.exclusions import HourCount
from spiegel.store.models import Response, ResponseExclusion, Survey
from spiegel.store.response_frames import load_responses, load_text_answers
from tests.web.conftest import World, build_world
from tests.web.helpers import add_web_responses, spread

HOUR = dt.timedelta(hours=1)
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=5)


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def _survey(session: object, world: World) -> Survey:
    survey = session.get(Survey, world.customer_survey_id)  # type: ignore[attr-defined]
    assert survey is not None
    return survey


def _hours(*counts: int) -> list[HourCount]:
    return [HourCount(1, START + i * HOUR, n, 0) for i, n in enumerate(counts) if n]


def test_the_flag_rule() -> None:
    # Usual 2 an hour: 20 flags (the floor), 19 does not.
    assert flag_hours(_hours(2, 19, 2), 2.0) == ()
    assert flag_hours(_hours(2, 20, 2), 2.0) == (Flag(START + HOUR, START + 2 * HOUR, 20, 0, 20),)
    # Usual 6 an hour: five times that, 30.
    assert flag_hours(_hours(6, 29, 6), 6.0) == ()
    [flag] = flag_hours(_hours(6, 30, 45, 6, 31), 6.0)[:1]
    assert (flag.starts_at, flag.ends_at, flag.responses) == (START + HOUR, START + 3 * HOUR, 75)
    # Adjacent flagged hours are one window; a quiet hour between makes two.
    assert len(flag_hours(_hours(6, 30, 45, 6, 31), 6.0)) == 2


def test_a_burst_on_one_link_is_flagged(engine: Engine, world: World) -> None:
    n1, n2 = world.units["N1"], world.units["N2"]
    add_web_responses(engine, world.customer_survey_id, n1, spread(START, 30, 2))
    burst = START + 40 * HOUR
    add_web_responses(engine, world.customer_survey_id, n1, spread(burst, 1, 45))
    add_web_responses(engine, world.customer_survey_id, n2, spread(START, 30, 3))
    with session_factory(engine)() as s:
        report = survey_integrity(s, _survey(s, world))
    links = {link.unit_code: link for link in report.links}
    assert set(links) == {"N1", "N2"}
    assert links["N1"].responses == 105 and links["N1"].usual_per_hour == 2.0
    assert links["N1"].busiest_hour == 45
    assert links["N1"].flags == (Flag(burst, burst + HOUR, 45, 0, 20),)
    assert links["N2"].flags == () and links["N2"].usual_per_hour == 3.0
    assert report.excluded == 0 and report.exclusions == []


def test_a_link_stuffed_for_days_is_measured_against_the_survey(
    engine: Engine, world: World
) -> None:
    n1, n2 = world.units["N1"], world.units["N2"]
    add_web_responses(engine, world.customer_survey_id, n1, spread(START, 40, 2))
    # 24 hours at 25 an hour: on its own that would look usual.
    add_web_responses(engine, world.customer_survey_id, n2, spread(START + 50 * HOUR, 24, 25))
    with session_factory(engine)() as s:
        links = {link.unit_code: link for link in survey_integrity(s, _survey(s, world)).links}
    assert links["N2"].usual_per_hour == 2.0
    [flag] = links["N2"].flags
    assert flag.responses == 24 * 25 and flag.ends_at - flag.starts_at == 24 * HOUR


def test_an_excluded_window_leaves_the_analysis_and_comes_back_when_undone(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    n1 = world.units["N1"]
    add_web_responses(engine, world.customer_survey_id, n1, spread(START, 10, 2))
    burst = START + 20 * HOUR
    add_web_responses(engine, world.customer_survey_id, n1, spread(burst, 1, 30))
    # The window's edges: its start is in, its end is out.
    add_web_responses(engine, world.customer_survey_id, n1, [burst + HOUR])
    add_web_responses(engine, world.customer_survey_id, world.units["N2"], spread(burst, 1, 5))
    with session_factory(engine)() as s:
        survey = _survey(s, world)
        made = exclude_window(
            s, survey, "N1", burst, burst + HOUR, "  30 in one hour\nfrom one phone ", "a@x.org"
        )
    assert made.responses == 30 and made.active and made.reason == "30 in one hour from one phone"
    assert made.created_by == "a@x.org" and made.unit_code == "N1"
    with session_factory(engine)() as s:
        survey = _survey(s, world)
        frame = load_responses(s, survey)
        everything = load_responses(s, survey, with_excluded=True)
        texts = load_text_answers(s, survey)
        report = survey_integrity(s, _survey(s, world))
        stored = s.scalar(select(func.count()).select_from(Response))
    assert len(everything.meta) == 20 + 30 + 1 + 5 and stored == 56
    assert len(frame.meta) == 26 and len(texts) == 26
    assert report.excluded == 30
    [flag] = [f for _, f in report.flags]
    assert (flag.responses, flag.excluded) == (30, 30)
    [listed] = report.exclusions
    assert listed.id == made.id and listed.responses == 30
    customer = load_organisation(engine).customer
    assert len(customer) == 26
    assert (customer["unit_id"] == n1).sum() == 21
    exported = export_responses(engine, tmp_path / "r.csv", "klanten-2026-h2")
    assert exported.rows == 26 and len(pd.read_csv(tmp_path / "r.csv")) == 26

    with session_factory(engine)() as s:
        undone = undo_exclusion(s, _survey(s, world), made.id, "b@x.org")
    assert not undone.active and undone.revoked_by == "b@x.org"
    assert len(load_organisation(engine).customer) == 56
    with session_factory(engine)() as s:
        rows = s.scalars(select(ResponseExclusion)).all()
        report = survey_integrity(s, _survey(s, world))
    # The row stays, as the log: who excluded, why, and who undid it.
    assert len(rows) == 1 and rows[0].created_by == "a@x.org" and rows[0].revoked_at
    assert report.excluded == 0 and not report.exclusions[0].active


def test_exclusions_refuse_what_makes_no_sense(engine: Engine, world: World) -> None:
    now = dt.datetime.now(dt.UTC)
    with session_factory(engine)() as s:
        survey = _survey(s, world)
        employee = s.get(Survey, world.employee_survey_id)
        assert employee is not None
        cases = [
            (employee, "N1", START, now, "x", "employee survey"),
            (survey, "N1A", START, now, "x", "no location link for unit 'N1A'; links: N1, N2"),
            (survey, "N1", now, START, "x", "must end after it starts"),
            (survey, "N1", now + HOUR, now + 2 * HOUR, "x", "starts in the future"),
            (survey, "N1", START, now, " \n", "give a reason"),
            (survey, "N1", START, now, "x" * 1001, "at most 1000"),
        ]
        for target, code, starts, ends, reason, message in cases:
            with pytest.raises(ValueError, match=message):
                exclude_window(s, target, code, starts, ends, reason, "a@x.org")
        made = exclude_window(s, survey, "N1", START.replace(tzinfo=None), now, "x", "a@x.org")
        assert made.starts_at == START  # a time without a zone is UTC
        undo_exclusion(s, survey, made.id, "a@x.org")
        with pytest.raises(ValueError, match=r"undone already, by a@x\.org"):
            undo_exclusion(s, survey, made.id, "b@x.org")
        with pytest.raises(LookupError, match="no exclusion 999"):
            undo_exclusion(s, survey, 999, "b@x.org")
