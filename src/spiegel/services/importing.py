"""Importing files: units, employees, survey responses and outcomes.

Each use case reads the file, checks every cell (all problems reported at once as
:class:`~spiegel.ingest.problems.ImportErrors`) and writes in one transaction: all rows or
none. A file whose SHA-256 was imported before for the same target with the same mapping
is not imported again (:attr:`ImportResult.already_imported` tells when and as which
batch); a batch can be taken out again (:mod:`spiegel.services.import_batches`).
Responses: :mod:`spiegel.services.response_import`.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from spiegel.ingest import employees as employee_files
from spiegel.ingest import outcomes as outcome_files
from spiegel.ingest import units as unit_files
from spiegel.ingest.employees import validate_employees, write_employees
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.outcomes import OutcomeRows, validate_outcomes, write_outcomes
from spiegel.ingest.units import ExistingUnit, validate_units, write_units
from spiegel.services.import_common import (
    AlreadyImported,
    ImportResult,
    Progress,
    ReadOptions,
    explained,
    new_batch,
    read_file,
    seen_before,
    unit_lookup,
)
from spiegel.services.response_import import import_responses
from spiegel.store.db import transaction
from spiegel.store.models import Organisation, Unit, Wave
from spiegel.store.organisation import NotFound, get_organisation

__all__ = [
    "AlreadyImported",
    "ImportResult",
    "Progress",
    "ReadOptions",
    "import_employees",
    "import_outcomes",
    "import_responses",
    "import_units",
]

SHOWN_PERIODS = 10


def slugify(text: str) -> str:
    """A URL-safe lower-case name: ``"Kinderopvang De Brug"`` -> ``"kinderopvang-de-brug"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")
    return slug[:64] or "organisation"


# --- units --------------------------------------------------------------------------------


def import_units(
    engine: Engine,
    path: Path | str,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    read_options: ReadOptions | None = None,
) -> ImportResult:
    """Import the organisation tree; creates the organisation from the root on first use.

    Re-importing a changed file updates names, kinds, unit types and parents of existing
    units (matched by code) and recomputes every unit's path; units missing from the file
    stay as they are.
    """
    read = read_file(path, mapping, read_options, unit_files.FIELDS)
    table = read.table
    with transaction(engine) as session:
        org = _find_organisation(session, organisation)
        existing: dict[str, ExistingUnit] = {}
        if org is not None:
            previous = seen_before(session, org.id, "units", "", read)
            if previous is not None:
                return previous
            existing = _existing_units(session, org.id)
        with explained(read):
            units = validate_units(table, read.mapping, existing)
        if org is None:
            root = units.root
            if root is None:  # validation guarantees a root for a new organisation
                raise ValueError(f"{table.filename}: no root unit")
            slug = organisation or slugify(str(root["code"]))
            org = Organisation(slug=slug, name=str(root["name"]), privacy={})
            session.add(org)
            session.flush()
        counts = write_units(session, org, units)
        batch = new_batch(session, org.id, "units", "", read, len(units))
        result = ImportResult("units", table.filename, len(table), counts, batch.id)
        result.notes.extend([f"organisation {org.slug!r}", *read.notes])
        return result


def _find_organisation(session: Session, slug: str | None) -> Organisation | None:
    if slug is not None:
        return session.scalar(select(Organisation).where(Organisation.slug == slug))
    orgs = session.scalars(select(Organisation).limit(2)).all()
    if len(orgs) > 1:
        raise NotFound("several organisations: name one with --org")
    return orgs[0] if orgs else None


def _existing_units(session: Session, organisation_id: int) -> dict[str, ExistingUnit]:
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.parent_id).where(Unit.organisation_id == organisation_id)
    ).all()
    code_of = {uid: code for uid, code, _ in rows}
    return {
        code: ExistingUnit(code, code_of.get(parent) if parent else None)
        for _, code, parent in rows
    }


# --- employees ----------------------------------------------------------------------------


def import_employees(
    engine: Engine,
    path: Path | str,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    read_options: ReadOptions | None = None,
) -> ImportResult:
    """Import employees (key, unit, role group) and their contact data (e-mail, name)."""
    read = read_file(path, mapping, read_options, employee_files.FIELDS)
    table = read.table
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = seen_before(session, org.id, "employees", "", read)
        if previous is not None:
            return previous
        with explained(read):
            employees = validate_employees(table, read.mapping, unit_lookup(session, org.id))
        counts = write_employees(session, org, employees)
        batch = new_batch(session, org.id, "employees", "", read, len(employees))
        result = ImportResult("employees", table.filename, len(table), counts, batch.id)
        result.notes.extend(read.notes)
        return result


# --- outcomes -----------------------------------------------------------------------------


def import_outcomes(
    engine: Engine,
    path: Path | str,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    layout: str | None = None,
    read_options: ReadOptions | None = None,
) -> ImportResult:
    """Import outcome figures per unit and period; a changed figure replaces the old one
    (undoing this import brings the old one back). Periods are labels such as
    ``2026-Q1``; SPSS value labels of the period column are used."""
    read = read_file(path, mapping, read_options, outcome_files.FIELDS, layout)
    table = read.table
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = seen_before(session, org.id, "outcomes", "", read)
        if previous is not None:
            return previous
        with explained(read):
            outcomes = validate_outcomes(table, read.mapping, unit_lookup(session, org.id), layout)
        batch = new_batch(session, org.id, "outcomes", "", read, len(outcomes))
        counts = write_outcomes(session, org.id, outcomes, batch)
        result = ImportResult("outcomes", table.filename, len(table), counts, batch.id)
        result.notes.extend([f"{outcomes.layout} layout", *read.notes])
        result.notes.extend(_periods_without_wave(session, org.id, outcomes))
        return result


def _periods_without_wave(
    session: Session, organisation_id: int, outcomes: OutcomeRows
) -> list[str]:
    """A note naming the periods that match no wave: the analysis compares outcomes with
    the wave of the same name, so those figures are not used (yet)."""
    waves = sorted(
        session.scalars(select(Wave.name).where(Wave.organisation_id == organisation_id))
    )
    periods = sorted({str(p) for p in outcomes.frame["period"].dropna()})
    unmatched = [p for p in periods if p not in waves]
    if not unmatched:
        return []
    shown = ", ".join(unmatched[:SHOWN_PERIODS]) + (
        ", ..." if len(unmatched) > SHOWN_PERIODS else ""
    )
    known = f"waves: {', '.join(waves)}" if waves else "no waves yet"
    return [
        f"{len(unmatched)} period{'s' if len(unmatched) != 1 else ''} match no wave: {shown} "
        f"({known}); the analysis compares outcomes with the wave of the same name"
    ]
