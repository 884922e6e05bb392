"""Survey integrity: how each location link's responses came in, which hours stand out,
and windows an admin leaves out of the analysis.

**The flag rule.** For each location link, count its web responses per clock hour (UTC).
The link's *usual rate* is the median count over the hours in which it received any
response; to stop a link stuffed for days from making its own stuffing look usual, the
lower of that and the same median over all the survey's location links is used. An hour
is flagged when it holds at least ``max(FLAG_MIN_PER_HOUR, FLAG_FACTOR × usual rate)``
responses (20 and 5: at a usual 2 an hour, 20; at a usual 6, 30). Adjacent flagged hours
form one window. Imported responses have no time of their own and are not counted;
personal links send once each and are not flagged.

**Exclusions.** An admin can leave a window of a link out of the analysis
(:func:`exclude_window`), with a reason; it is stored with who did it and when, and can
be undone (:func:`undo_exclusion`), which is logged the same way. Responses are never
changed or deleted: the analysis and the exports skip the covered ones
(:func:`spiegel.store.surveys.load_responses`).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spiegel.store.exclusions import (
    HourCount,
    add_exclusion,
    count_in_window,
    exclusions_of,
    hourly_web_responses,
    utc,
)
from spiegel.store.models import Audience, Invitation, ResponseExclusion, Survey, Unit

__all__ = [
    "FLAG_FACTOR",
    "FLAG_MIN_PER_HOUR",
    "Exclusion",
    "Flag",
    "LinkActivity",
    "SurveyIntegrity",
    "exclude_window",
    "flag_hours",
    "survey_integrity",
    "undo_exclusion",
]

log = logging.getLogger("spiegel.integrity")

FLAG_MIN_PER_HOUR = 20
"""An hour is flagged only with at least this many responses (k in the rule)."""
FLAG_FACTOR = 5
"""... and at least this many times the link's usual hourly rate (m in the rule)."""
MAX_REASON = 1000
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Flag:
    """A window of a link whose hours each held far more responses than usual."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    responses: int
    excluded: int  # of those, left out by active exclusions
    threshold: int  # responses an hour needed to be flagged


@dataclass(frozen=True)
class LinkActivity:
    """A location link's web responses, its usual hourly rate and its flagged windows."""

    unit_id: int
    unit_code: str
    unit_name: str
    responses: int
    excluded: int
    usual_per_hour: float
    busiest_hour: int
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class Exclusion:
    """An excluded window as the admin pages and the CLI show it."""

    id: int
    unit_code: str
    unit_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    created_by: str
    created_at: dt.datetime
    revoked_by: str | None
    revoked_at: dt.datetime | None
    responses: int  # web responses of the link in the window

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class SurveyIntegrity:
    """What the admin survey page shows about a survey's location links."""

    links: list[LinkActivity]
    exclusions: list[Exclusion]
    excluded: int  # responses the analysis leaves out now

    @property
    def flags(self) -> list[tuple[LinkActivity, Flag]]:
        return [(link, flag) for link in self.links for flag in link.flags]


def _median(counts: list[int]) -> float:
    return float(statistics.median(counts)) if counts else 0.0


def flag_hours(hours: list[HourCount], usual: float) -> tuple[Flag, ...]:
    """The flagged windows of one link's hours (in time order), for a usual rate."""
    threshold = max(FLAG_MIN_PER_HOUR, math.ceil(FLAG_FACTOR * usual))
    windows: list[Flag] = []
    for hour in hours:
        if hour.responses < threshold:
            continue
        last = windows[-1] if windows else None
        if last is not None and last.ends_at == hour.hour:
            windows[-1] = Flag(
                last.starts_at,
                hour.hour + HOUR,
                last.responses + hour.responses,
                last.excluded + hour.excluded,
                threshold,
            )
        else:
            windows.append(
                Flag(hour.hour, hour.hour + HOUR, hour.responses, hour.excluded, threshold)
            )
    return tuple(windows)


def _location_links(session: Session, survey: Survey) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .join(Invitation, Invitation.unit_id == Unit.id)
            .where(Invitation.survey_id == survey.id, Invitation.personal.is_(False))
            .order_by(Unit.code)
        )
    )


def survey_integrity(session: Session, survey: Survey) -> SurveyIntegrity:
    """Every location link of ``survey`` with its usual rate and flagged windows, and the
    survey's exclusions."""
    by_unit: dict[int, list[HourCount]] = defaultdict(list)
    for hour in hourly_web_responses(session, survey.id):
        by_unit[hour.unit_id].append(hour)
    survey_usual = _median([h.responses for hours in by_unit.values() for h in hours])
    links = []
    for unit in _location_links(session, survey):
        hours = by_unit.get(unit.id, [])
        usual = min(_median([h.responses for h in hours]), survey_usual)
        links.append(
            LinkActivity(
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.name,
                responses=sum(h.responses for h in hours),
                excluded=sum(h.excluded for h in hours),
                usual_per_hour=usual,
                busiest_hour=max((h.responses for h in hours), default=0),
                flags=flag_hours(hours, usual),
            )
        )
    excluded = sum(h.excluded for hours in by_unit.values() for h in hours)
    return SurveyIntegrity(links, _exclusions(session, survey), excluded)


def _view(session: Session, row: ResponseExclusion, unit: Unit) -> Exclusion:
    return Exclusion(
        id=row.id,
        unit_code=unit.code,
        unit_name=unit.name,
        starts_at=utc(row.starts_at),
        ends_at=utc(row.ends_at),
        reason=row.reason,
        created_by=row.created_by,
        created_at=utc(row.created_at),
        revoked_by=row.revoked_by,
        revoked_at=utc(row.revoked_at) if row.revoked_at is not None else None,
        responses=count_in_window(session, row.survey_id, row.unit_id, row.starts_at, row.ends_at),
    )


def _exclusions(session: Session, survey: Survey) -> list[Exclusion]:
    rows = exclusions_of(session, survey.id)
    units = {
        u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_({r.unit_id for r in rows})))
    }
    return [_view(session, row, units[row.unit_id]) for row in rows]


def exclude_window(
    session: Session,
    survey: Survey,
    unit_code: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    by: str,
) -> Exclusion:
    """Leave the web responses of ``survey``'s location link for ``unit_code`` submitted
    in ``[starts_at, ends_at)`` out of the analysis. Times without a zone are UTC; the
    window must have begun already. ``by`` says who (an e-mail address, ``cli:NAME``).
    Commits; ``ValueError`` says what is wrong."""
    if survey.audience != Audience.CUSTOMER:
        raise ValueError(
            f"survey {survey.slug!r} is an {survey.audience.value} survey: exclusions are for "
            "the location links of customer surveys (personal links send once each)"
        )
    units = {u.code: u for u in _location_links(session, survey)}
    unit = units.get(unit_code)
    if unit is None:
        known = ", ".join(units) or "none"
        raise ValueError(
            f"survey {survey.slug!r} has no location link for unit {unit_code!r}; links: {known}"
        )
    starts_at, ends_at = utc(starts_at), utc(ends_at)
    if ends_at <= starts_at:
        raise ValueError(
            f"the window must end after it starts ({starts_at:%Y-%m-%d %H:%M} to "
            f"{ends_at:%Y-%m-%d %H:%M} UTC)"
        )
    if starts_at > dt.datetime.now(dt.UTC):
        raise ValueError(
            f"the window starts in the future ({starts_at:%Y-%m-%d %H:%M} UTC): exclusions "
            "cover responses already received"
        )
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("give a reason: it is kept with the exclusion")
    if len(reason) > MAX_REASON:
        raise ValueError(f"the reason is {len(reason)} characters long; at most {MAX_REASON}")
    if not by.strip():
        raise ValueError("say who excludes the window")
    row = add_exclusion(session, survey.id, unit.id, starts_at, ends_at, reason, by.strip())
    view = _view(session, row, unit)
    session.commit()
    log.info(
        "exclusion %s: survey %s, link %s, %s to %s UTC, %s response(s), by %s",
        row.id,
        survey.slug,
        unit.code,
        f"{starts_at:%Y-%m-%d %H:%M}",
        f"{ends_at:%Y-%m-%d %H:%M}",
        view.responses,
        view.created_by,
    )
    return view


def undo_exclusion(session: Session, survey: Survey, exclusion_id: int, by: str) -> Exclusion:
    """Undo exclusion ``exclusion_id`` of ``survey``: its responses count again. The row
    stays, with who undid it and when. Commits; ``LookupError`` for an unknown id,
    ``ValueError`` when it was undone before."""
    row = session.scalar(
        select(ResponseExclusion).where(
            ResponseExclusion.id == exclusion_id, ResponseExclusion.survey_id == survey.id
        )
    )
    if row is None:
        raise LookupError(f"survey {survey.slug!r} has no exclusion {exclusion_id}")
    if row.revoked_at is not None:
        raise ValueError(
            f"exclusion {exclusion_id} was undone already, by {row.revoked_by} on "
            f"{utc(row.revoked_at):%Y-%m-%d %H:%M} UTC"
        )
    if not by.strip():
        raise ValueError("say who undoes the exclusion")
    undone = session.connection().execute(
        update(ResponseExclusion)
        .where(ResponseExclusion.id == row.id, ResponseExclusion.revoked_at.is_(None))
        .values(revoked_by=by.strip(), revoked_at=dt.datetime.now(dt.UTC))
    )
    if undone.rowcount != 1:  # someone else undid it meanwhile
        session.rollback()
        return undo_exclusion(session, survey, exclusion_id, by)
    session.refresh(row)
    unit = session.get(Unit, row.unit_id)
    if unit is None:
        raise LookupError(f"the unit of exclusion {exclusion_id} no longer exists")
    view = _view(session, row, unit)
    session.commit()
    log.info("exclusion %s of survey %s undone by %s", row.id, survey.slug, row.revoked_by)
    return view
