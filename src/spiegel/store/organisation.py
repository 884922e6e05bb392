"""Queries and writes for the organisation: units, employees, waves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from spiegel.store.models import Organisation, Unit, UnitKind, Wave


class NotFound(LookupError):
    """A named thing (organisation, unit, wave, survey) does not exist."""


def get_organisation(session: Session, slug: str | None = None) -> Organisation:
    """The organisation with ``slug``, or the only one when ``slug`` is None."""
    if slug is not None:
        org = session.scalar(select(Organisation).where(Organisation.slug == slug))
        if org is None:
            raise NotFound(f"no organisation {slug!r}")
        return org
    orgs = session.scalars(select(Organisation).limit(2)).all()
    if len(orgs) != 1:
        raise NotFound(
            "no organisation yet: import units first"
            if not orgs
            else "several organisations: name one with --org"
        )
    return orgs[0]


def ensure_organisation(session: Session, slug: str, name: str | None = None) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        org = Organisation(slug=slug, name=name or slug, privacy={})
        session.add(org)
        session.flush()
    return org


def units_by_code(session: Session, organisation_id: int) -> dict[str, Unit]:
    rows = session.scalars(select(Unit).where(Unit.organisation_id == organisation_id))
    return {u.code: u for u in rows}


def refresh_paths(session: Session, organisation_id: int) -> None:
    """Recompute every unit's materialised path (``/root/.../id/``) from parent links."""
    units = list(session.scalars(select(Unit).where(Unit.organisation_id == organisation_id)))
    by_id = {u.id: u for u in units}
    cache: dict[int, str] = {}

    def path_of(unit: Unit, seen: frozenset[int] = frozenset()) -> str:
        if unit.id in cache:
            return cache[unit.id]
        if unit.id in seen:
            raise ValueError(f"unit {unit.code!r} is its own ancestor (a cycle in the tree)")
        parent = by_id.get(unit.parent_id) if unit.parent_id is not None else None
        prefix = path_of(parent, seen | {unit.id}) if parent is not None else "/"
        cache[unit.id] = f"{prefix}{unit.id}/"
        return cache[unit.id]

    for unit in units:
        new = path_of(unit)
        if unit.path != new:
            unit.path = new
    session.flush()


def subtree_ids(session: Session, unit_id: int) -> list[int]:
    """Ids of a unit and everything below it."""
    root = session.get(Unit, unit_id)
    if root is None:
        raise NotFound(f"no unit with id {unit_id}")
    return list(session.scalars(select(Unit.id).where(Unit.path.startswith(root.path))))


def add_unit(
    session: Session,
    organisation: Organisation,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    unit_type: str | None = None,
) -> Unit:
    unit = Unit(
        organisation_id=organisation.id,
        code=code,
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        unit_type=unit_type,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def get_wave(session: Session, organisation_id: int, name: str) -> Wave:
    wave = session.scalar(
        select(Wave).where(Wave.organisation_id == organisation_id, Wave.name == name)
    )
    if wave is None:
        known = session.scalars(select(Wave.name).where(Wave.organisation_id == organisation_id))
        raise NotFound(f"no wave {name!r}; known waves: {', '.join(known) or 'none'}")
    return wave


def ensure_wave(
    session: Session,
    organisation_id: int,
    name: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Wave:
    wave = session.scalar(
        select(Wave).where(Wave.organisation_id == organisation_id, Wave.name == name)
    )
    if wave is None:
        today = dt.date.today()
        wave = Wave(
            organisation_id=organisation_id,
            name=name,
            starts_on=starts_on or today,
            ends_on=ends_on or starts_on or today,
        )
        session.add(wave)
        session.flush()
    return wave


def waves(session: Session, organisation_id: int) -> list[Wave]:
    return list(
        session.scalars(
            select(Wave)
            .where(Wave.organisation_id == organisation_id)
            .order_by(Wave.starts_on, Wave.name)
        )
    )
