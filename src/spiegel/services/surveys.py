"""Surveys as use cases: store an instrument version, open and close a survey, list them,
and tell whether a survey takes answers right now."""

from __future__ import annotations

import datetime as dt
import enum
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from spiegel.instruments.model import Instrument
from spiegel.services.questionnaire import numeric_item_ids
from spiegel.store import models
from spiegel.store.models import Invitation, Survey, SurveyStatus
from spiegel.store.surveys import count_responses, get_survey, register_instrument

__all__ = [
    "SurveyState",
    "SurveySummary",
    "close_survey",
    "find_survey",
    "instrument_by_checksum",
    "instrument_of",
    "list_surveys",
    "open_survey",
    "store_instrument",
    "survey_state",
]


class SurveyState(enum.StrEnum):
    """Whether a survey takes answers now."""

    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes for timezone-aware columns; they are UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


class Scheduled(Protocol):
    """What :func:`survey_state` reads: a survey row, or a link's copy of it."""

    @property
    def status(self) -> SurveyStatus: ...
    @property
    def opens_at(self) -> dt.datetime | None: ...
    @property
    def closes_at(self) -> dt.datetime | None: ...


def survey_state(survey: Scheduled, now: dt.datetime | None = None) -> SurveyState:
    """``OPEN`` when the status is open and ``now`` lies in ``[opens_at, closes_at)``.

    A draft survey, or an open one before ``opens_at``, is ``NOT_YET_OPEN``; a closed
    one, or an open one from ``closes_at`` on, is ``CLOSED``.
    """
    now = now or dt.datetime.now(dt.UTC)
    opens_at, closes_at = _aware(survey.opens_at), _aware(survey.closes_at)
    if survey.status == SurveyStatus.CLOSED or (closes_at is not None and now >= closes_at):
        return SurveyState.CLOSED
    if survey.status == SurveyStatus.DRAFT or (opens_at is not None and now < opens_at):
        return SurveyState.NOT_YET_OPEN
    return SurveyState.OPEN


class _InstrumentCache:
    """Loaded questionnaires by the checksum of their stored definition (bounded, LRU).

    A definition never changes under its checksum, so a hit needs no database read.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[str, Instrument] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, checksum: str, definition: Callable[[], dict[str, object]]) -> Instrument:
        with self._lock:
            found = self._items.get(checksum)
            if found is not None:
                self._items.move_to_end(checksum)
                return found
        loaded = Instrument.model_validate(definition())
        with self._lock:
            self._items[checksum] = loaded
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return loaded


_instruments = _InstrumentCache()


def instrument_of(stored: models.Instrument) -> Instrument:
    """The loaded questionnaire of a stored instrument version (cached by checksum, so a
    busy survey does not re-validate its definition on every page)."""
    return _instruments.get(stored.checksum, lambda: stored.definition)


def instrument_by_checksum(session: Session, instrument_id: int, checksum: str) -> Instrument:
    """The loaded questionnaire of stored instrument ``instrument_id``; its definition is
    read from the database only when it is not cached yet."""

    def definition() -> dict[str, object]:
        stored = session.scalar(
            select(models.Instrument.definition).where(models.Instrument.id == instrument_id)
        )
        if stored is None:
            raise LookupError(f"no stored instrument with id {instrument_id}")
        return stored

    return _instruments.get(checksum, definition)


def store_instrument(session: Session, instrument: Instrument) -> models.Instrument:
    """Store ``instrument`` as a version (once; the same version must keep its content).

    The definition is the instrument's JSON dump and ``item_order`` its numeric items in
    questionnaire order (see :func:`spiegel.services.questionnaire.numeric_item_ids`).
    """
    definition = instrument.model_dump(mode="json")
    return register_instrument(
        session,
        instrument.name,
        str(instrument.version),
        models.Audience(instrument.audience),
        definition,
        numeric_item_ids(instrument),
    )


def find_survey(session: Session, organisation_id: int, slug: str) -> Survey:
    """The survey ``slug`` of an organisation (``NotFound`` naming the known ones)."""
    return get_survey(session, organisation_id, slug)


def open_survey(
    session: Session,
    survey: Survey,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Survey:
    """Open ``survey`` for answers, optionally only from ``opens_at`` until ``closes_at``.

    Times without a zone are taken as UTC. Commits.
    """
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ValueError(
            f"survey {survey.slug!r}: closing time {closes_at:%Y-%m-%d %H:%M} must be after "
            f"opening time {opens_at:%Y-%m-%d %H:%M}"
        )
    if closes_at is not None and closes_at <= dt.datetime.now(dt.UTC):
        raise ValueError(
            f"survey {survey.slug!r}: closing time {closes_at:%Y-%m-%d %H:%M} is in the past"
        )
    survey.status = SurveyStatus.OPEN
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    session.commit()
    return survey


def close_survey(session: Session, survey: Survey) -> Survey:
    """Close ``survey``: links show a 'closed' page; saved drafts stay. Commits.

    The used personal links are rewritten in this transaction, so on PostgreSQL they no
    longer share a transaction id (``xmin``) with the responses they produced.
    """
    survey.status = SurveyStatus.CLOSED
    session.execute(
        update(Invitation)
        .where(Invitation.survey_id == survey.id, Invitation.submitted_at.is_not(None))
        .values(submitted_at=Invitation.submitted_at)
    )
    session.commit()
    return survey


@dataclass(frozen=True)
class SurveySummary:
    """A survey with its fieldwork counts."""

    slug: str
    wave: str
    audience: str
    instrument: str
    status: str
    state: SurveyState
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    personal_links: int
    personal_links_used: int
    location_links: int
    responses: int


def list_surveys(session: Session, organisation_id: int) -> list[SurveySummary]:
    """Every survey of an organisation with its links and responses, by wave then slug."""
    surveys = list(
        session.scalars(
            select(Survey).where(Survey.organisation_id == organisation_id).order_by(Survey.id)
        )
    )
    ids = [s.id for s in surveys]
    links: dict[tuple[int, bool], tuple[int, int]] = {}
    for survey_id, personal, total, used in session.execute(
        select(
            Invitation.survey_id,
            Invitation.personal,
            func.count(),
            func.count(Invitation.submitted_at),
        )
        .where(Invitation.survey_id.in_(ids))
        .group_by(Invitation.survey_id, Invitation.personal)
    ):
        links[(survey_id, bool(personal))] = (int(total), int(used))
    responses = count_responses(session, ids)
    out = [
        SurveySummary(
            slug=s.slug,
            wave=s.wave.name,
            audience=s.audience.value,
            instrument=f"{s.instrument.name} {s.instrument.version}",
            status=s.status.value,
            state=survey_state(s),
            opens_at=_aware(s.opens_at),
            closes_at=_aware(s.closes_at),
            personal_links=links.get((s.id, True), (0, 0))[0],
            personal_links_used=links.get((s.id, True), (0, 0))[1],
            location_links=links.get((s.id, False), (0, 0))[0],
            responses=responses.get(s.id, 0),
        )
        for s in surveys
    ]
    return sorted(out, key=lambda x: (x.wave, x.slug))
