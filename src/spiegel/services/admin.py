"""What the admin pages list: the unit tree, waves with their surveys, instrument names.

Read-only queries shaped for the pages (plain dataclasses); the changes themselves go
through the other services (surveys, invitations, importing, users, waves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spiegel.instruments import list_instruments
from spiegel.store.models import Employee, Organisation, Survey, Unit
from spiegel.store.organisation import NotFound, waves

__all__ = ["UnitRow", "WaveRow", "instrument_names", "organisation_of", "unit_tree", "wave_rows"]


@dataclass(frozen=True)
class UnitRow:
    """A unit in tree order, with its depth below the root and its parent's code."""

    id: int
    code: str
    name: str
    kind: str
    unit_type: str | None
    parent_code: str | None
    depth: int
    active: bool
    employees: int


@dataclass(frozen=True)
class WaveRow:
    """A wave with the number of surveys in it."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    surveys: int


def organisation_of(session: Session, organisation_id: int) -> Organisation:
    """The organisation with this id (``NotFound`` otherwise)."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"no organisation with id {organisation_id}")
    return org


def unit_tree(session: Session, organisation_id: int) -> list[UnitRow]:
    """Every unit of the organisation, parents before their children."""
    units = list(session.scalars(select(Unit).where(Unit.organisation_id == organisation_id)))
    code_of = {u.id: u.code for u in units}
    counts = dict(
        session.execute(
            select(Employee.unit_id, func.count())
            .where(Employee.organisation_id == organisation_id, Employee.active)
            .group_by(Employee.unit_id)
        ).all()
    )
    by_id = {u.id: u for u in units}

    def sort_key(unit: Unit) -> list[str]:
        return [
            by_id[int(i)].code if int(i) in by_id else i for i in unit.path.strip("/").split("/")
        ]

    return [
        UnitRow(
            id=u.id,
            code=u.code,
            name=u.name,
            kind=u.kind.value,
            unit_type=u.unit_type,
            parent_code=code_of.get(u.parent_id) if u.parent_id is not None else None,
            depth=max(0, u.path.strip("/").count("/")),
            active=u.active,
            employees=int(counts.get(u.id, 0)),
        )
        for u in sorted(units, key=sort_key)
    ]


def wave_rows(session: Session, organisation_id: int) -> list[WaveRow]:
    """The organisation's waves by start date, with their number of surveys."""
    counts = dict(
        session.execute(
            select(Survey.wave_id, func.count())
            .where(Survey.organisation_id == organisation_id)
            .group_by(Survey.wave_id)
        ).all()
    )
    return [
        WaveRow(w.name, w.starts_on, w.ends_on, int(counts.get(w.id, 0)))
        for w in waves(session, organisation_id)
    ]


def instrument_names() -> list[str]:
    """Names of the valid instruments in the built-in library."""
    return [e.name for e in list_instruments() if e.instrument is not None]
