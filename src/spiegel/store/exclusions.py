"""Excluded time windows of location links, and web responses per link and hour.

A location link is one per survey and unit, and a web response copies its link's unit
(never the link), so "the responses of a link in a window" are the survey's web
responses (``batch_id`` empty: imported responses have no time of their own) of that
unit submitted in ``[starts_at, ends_at)``. Times are stored in UTC: SQLite keeps them
as text without a zone, and compares them as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, case, cast, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.types import BigInteger, Integer

from spiegel.store.models import Response, ResponseExclusion

__all__ = [
    "HourCount",
    "active_exclusions",
    "add_exclusion",
    "count_in_window",
    "excluded_clause",
    "exclusions_of",
    "hourly_web_responses",
    "leave_out_excluded",
    "utc",
]

HOUR = 3600


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a time without a zone is taken as UTC (as SQLite returns it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def active_exclusions(session: Session, survey_id: int) -> list[ResponseExclusion]:
    """The survey's exclusions that are not undone."""
    return list(
        session.scalars(
            select(ResponseExclusion)
            .where(ResponseExclusion.survey_id == survey_id, ResponseExclusion.revoked_at.is_(None))
            .order_by(ResponseExclusion.id)
        )
    )


def exclusions_of(session: Session, survey_id: int) -> list[ResponseExclusion]:
    """Every exclusion of the survey, undone ones included, newest first."""
    return list(
        session.scalars(
            select(ResponseExclusion)
            .where(ResponseExclusion.survey_id == survey_id)
            .order_by(ResponseExclusion.id.desc())
        )
    )


def _window(unit_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> ColumnElement[bool]:
    return and_(
        Response.batch_id.is_(None),
        Response.unit_id == unit_id,
        Response.submitted_at >= utc(starts_at),
        Response.submitted_at < utc(ends_at),
    )


def excluded_clause(exclusions: list[ResponseExclusion]) -> ColumnElement[bool]:
    """True for a :class:`Response` row that one of ``exclusions`` covers."""
    if not exclusions:
        return false()
    return or_(*(_window(e.unit_id, e.starts_at, e.ends_at) for e in exclusions))


Ts = TypeVarTuple("Ts")


def leave_out_excluded(session: Session, survey_id: int, query: Select[*Ts]) -> Select[*Ts]:
    """``query`` (over :class:`Response` rows of the survey) without the responses that
    the survey's active exclusions cover."""
    exclusions = active_exclusions(session, survey_id)
    return query.where(~excluded_clause(exclusions)) if exclusions else query


def count_in_window(
    session: Session, survey_id: int, unit_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> int:
    """Web responses of the survey's link for ``unit_id`` in ``[starts_at, ends_at)``."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.survey_id == survey_id, _window(unit_id, starts_at, ends_at))
        )
        or 0
    )


def add_exclusion(
    session: Session,
    survey_id: int,
    unit_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    by: str,
) -> ResponseExclusion:
    """Store an exclusion (flushed, not committed)."""
    row = ResponseExclusion(
        survey_id=survey_id,
        unit_id=unit_id,
        starts_at=utc(starts_at),
        ends_at=utc(ends_at),
        reason=reason,
        created_by=by,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class HourCount:
    """Web responses of one unit's link in one clock hour (UTC)."""

    unit_id: int
    hour: dt.datetime
    responses: int
    excluded: int


def _hour_number(dialect: str) -> ColumnElement[int]:
    """Whole hours since 1970 (UTC) of ``Response.submitted_at``, on either database."""
    if dialect == "sqlite":
        seconds = cast(func.strftime("%s", Response.submitted_at), Integer)
        return cast(seconds / HOUR, Integer)
    return cast(func.floor(func.extract("epoch", Response.submitted_at) / HOUR), BigInteger)


def hourly_web_responses(session: Session, survey_id: int) -> list[HourCount]:
    """The survey's web responses per unit and clock hour (hours without any left out),
    with how many of them active exclusions cover."""
    hour = _hour_number(session.connection().dialect.name).label("hour")
    covered = excluded_clause(active_exclusions(session, survey_id))
    rows = session.execute(
        select(
            Response.unit_id,
            hour,
            func.count(),
            func.coalesce(func.sum(case((covered, 1), else_=0)), 0),
        )
        .where(Response.survey_id == survey_id, Response.batch_id.is_(None))
        .group_by(Response.unit_id, hour)
        .order_by(Response.unit_id, hour)
    ).all()
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return [
        HourCount(
            unit_id=int(unit_id),
            hour=epoch + dt.timedelta(hours=int(number)),
            responses=int(count),
            excluded=int(excluded),
        )
        for unit_id, number, count, excluded in rows
    ]
