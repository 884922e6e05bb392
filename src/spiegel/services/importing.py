"""Importing files: units, employees, survey responses and outcomes.

Each use case reads the file, checks every cell (all problems reported at once as
:class:`~spiegel.ingest.problems.ImportErrors`) and writes in one transaction: all rows or
none. A file whose SHA-256 was imported before for the same target is not imported again
(:attr:`ImportResult.already_imported` tells when and as which batch).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spiegel.ingest.employees import validate_employees, write_employees
from spiegel.ingest.mapping import Mapping, load_mapping
from spiegel.ingest.outcomes import validate_outcomes, write_outcomes
from spiegel.ingest.readers import read_table
from spiegel.ingest.responses import ResponseRows, validate_responses
from spiegel.ingest.rules import item_rules
from spiegel.ingest.table import RawTable
from spiegel.ingest.units import ExistingUnit, validate_units, write_units
from spiegel.ingest.values import UnitLookup
from spiegel.instruments import get_instrument
from spiegel.services.surveys import instrument_of, store_instrument
from spiegel.store.blocks import block_external_ids, write_blocks
from spiegel.store.db import transaction
from spiegel.store.models import (
    Audience,
    ImportBatch,
    Organisation,
    Response,
    Survey,
    SurveyStatus,
    Unit,
)
from spiegel.store.organisation import NotFound, ensure_wave, get_organisation
from spiegel.store.surveys import ensure_survey, lock_survey

__all__ = [
    "AlreadyImported",
    "ImportResult",
    "ReadOptions",
    "import_employees",
    "import_outcomes",
    "import_responses",
    "import_units",
]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while long work runs."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read the file: CSV encoding and delimiter, Excel sheet (all optional)."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class AlreadyImported:
    """The same file was imported before: nothing was written this time."""

    batch_id: int
    created_at: dt.datetime
    filename: str

    def __str__(self) -> str:
        when = self.created_at.strftime("%Y-%m-%d %H:%M")
        return (
            f"already imported (batch {self.batch_id}, {when}, as {self.filename}); nothing changed"
        )


@dataclass
class ImportResult:
    """What an import did."""

    kind: str
    filename: str
    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    batch_id: int | None = None
    already_imported: AlreadyImported | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.already_imported is not None:
            return f"{self.filename}: {self.already_imported}"
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"{self.filename}: {self.rows} rows read; {counts} (batch {self.batch_id})"


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _read(
    path: Path | str, mapping: Path | str | Mapping | None, options: ReadOptions | None
) -> tuple[RawTable, Mapping]:
    """The file as read, and the mapping to apply to it."""
    options = options or ReadOptions()
    table = read_table(
        Path(path), encoding=options.encoding, delimiter=options.delimiter, sheet=options.sheet
    )
    return table, mapping if isinstance(mapping, Mapping) else load_mapping(mapping)


def _seen_before(
    session: Session, organisation_id: int, kind: str, target: str, table: RawTable
) -> ImportResult | None:
    """The result of importing ``table`` when the same file was imported before."""
    batch = session.scalar(
        select(ImportBatch).where(
            ImportBatch.organisation_id == organisation_id,
            ImportBatch.kind == kind,
            ImportBatch.target == target,
            ImportBatch.sha256 == table.sha256,
        )
    )
    if batch is None:
        return None
    previous = AlreadyImported(batch.id, batch.created_at, batch.filename)
    return ImportResult(kind, table.filename, len(table), already_imported=previous)


def _new_batch(
    session: Session, organisation_id: int, kind: str, target: str, table: RawTable, rows: int
) -> ImportBatch:
    batch = ImportBatch(
        organisation_id=organisation_id,
        kind=kind,
        target=target,
        filename=table.filename[:500],
        sha256=table.sha256,
        rows=rows,
    )
    session.add(batch)
    try:
        session.flush()
    except IntegrityError:
        raise ValueError(
            f"{table.filename} is being imported by someone else at this moment; try again "
            "in a minute"
        ) from None
    return batch


def _unit_lookup(session: Session, organisation_id: int) -> UnitLookup:
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.organisation_id == organisation_id)
    )
    return UnitLookup.build([(int(i), str(c), str(n)) for i, c, n in rows])


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
    table, plan = _read(path, mapping, read_options)
    with transaction(engine) as session:
        org = _find_organisation(session, organisation)
        existing: dict[str, ExistingUnit] = {}
        if org is not None:
            previous = _seen_before(session, org.id, "units", "", table)
            if previous is not None:
                return previous
            existing = _existing_units(session, org.id)
        units = validate_units(table, plan, existing)
        if org is None:
            root = units.root
            if root is None:  # validation guarantees a root for a new organisation
                raise ValueError(f"{table.filename}: no root unit")
            slug = organisation or slugify(str(root["code"]))
            org = Organisation(slug=slug, name=str(root["name"]), privacy={})
            session.add(org)
            session.flush()
        counts = write_units(session, org, units)
        batch = _new_batch(session, org.id, "units", "", table, len(units))
        result = ImportResult("units", table.filename, len(table), counts, batch.id)
        result.notes.append(f"organisation {org.slug!r}")
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
    table, plan = _read(path, mapping, read_options)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = _seen_before(session, org.id, "employees", "", table)
        if previous is not None:
            return previous
        employees = validate_employees(table, plan, _unit_lookup(session, org.id))
        counts = write_employees(session, org, employees)
        batch = _new_batch(session, org.id, "employees", "", table, len(employees))
        return ImportResult("employees", table.filename, len(table), counts, batch.id)


# --- outcomes -----------------------------------------------------------------------------


def import_outcomes(
    engine: Engine,
    path: Path | str,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    layout: str | None = None,
    read_options: ReadOptions | None = None,
) -> ImportResult:
    """Import outcome figures per unit and period; a changed figure replaces the old one."""
    table, plan = _read(path, mapping, read_options)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = _seen_before(session, org.id, "outcomes", "", table)
        if previous is not None:
            return previous
        outcomes = validate_outcomes(table, plan, _unit_lookup(session, org.id), layout)
        batch = _new_batch(session, org.id, "outcomes", "", table, len(outcomes))
        counts = write_outcomes(session, org.id, outcomes, batch.id)
        result = ImportResult("outcomes", table.filename, len(table), counts, batch.id)
        result.notes.append(f"{outcomes.layout} layout")
        return result


# --- responses ----------------------------------------------------------------------------


def import_responses(
    engine: Engine,
    path: Path | str,
    survey: str,
    wave: str | None = None,
    instrument: str | None = None,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    layout: str | None = None,
    read_options: ReadOptions | None = None,
    instrument_dirs: Sequence[Path] = (),
    progress: Progress | None = None,
) -> ImportResult:
    """Import survey responses into ``survey`` (created with ``wave`` and ``instrument``
    when it does not exist yet).

    Rows whose respondent id is already in the survey are skipped and counted
    (``skipped``); a file without respondent ids gets ids derived from its SHA-256 and the
    row number, so importing the same file again changes nothing.
    """
    report = progress or _noop
    report("reading", 0, 1)
    table, plan = _read(path, mapping, read_options)
    report("reading", 1, 1)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = _seen_before(session, org.id, "responses", survey, table)
        if previous is not None:
            return previous
        target = _survey_for(
            session, org, survey, wave, instrument or plan.instrument, instrument_dirs
        )
        questionnaire = instrument_of(target.instrument)
        item_order = list(target.instrument.item_order)
        report("checking", 0, len(table))
        rows = validate_responses(
            table,
            plan,
            item_rules(questionnaire),
            item_order,
            _unit_lookup(session, org.id),
            target.audience.value,
            layout,
        )
        report("checking", len(table), len(table))
        fresh = _not_yet_stored(session, target.id, rows.external_ids)
        n_new = int(fresh.sum())
        batch = _new_batch(session, org.id, "responses", survey, table, n_new)
        _write_responses(session, target, batch.id, rows, fresh, report)
        counts = {"imported": n_new, "skipped": len(rows) - n_new}
        if rows.n_empty:
            counts["empty"] = rows.n_empty
        result = ImportResult("responses", table.filename, len(table), counts, batch.id)
        result.notes.append(f"{rows.layout} layout, survey {target.slug!r}")
        if rows.generated_ids:
            result.notes.append("no respondent column: ids derived from the file and row")
        return result


def _survey_for(
    session: Session,
    org: Organisation,
    slug: str,
    wave: str | None,
    instrument: str | None,
    instrument_dirs: Sequence[Path],
) -> Survey:
    target = session.scalar(
        select(Survey).where(Survey.organisation_id == org.id, Survey.slug == slug)
    )
    if target is not None:
        if instrument is not None and target.instrument.name != instrument:
            raise ValueError(
                f"survey {slug!r} uses instrument {target.instrument.name!r}, not "
                f"{instrument!r}; leave out --instrument or choose another survey"
            )
        if wave is not None and target.wave.name != wave:
            raise ValueError(f"survey {slug!r} belongs to wave {target.wave.name!r}, not {wave!r}")
        return target
    if wave is None or instrument is None:
        missing = " and ".join(
            opt for opt, value in (("--wave", wave), ("--instrument", instrument)) if not value
        )
        raise NotFound(
            f"no survey {slug!r} yet; to create it give {missing} (the instrument may also "
            "be named in the mapping file)"
        )
    questionnaire = get_instrument(instrument, extra_dirs=instrument_dirs)
    stored = store_instrument(session, questionnaire)
    wave_row = ensure_wave(session, org.id, wave)
    return ensure_survey(
        session,
        org.id,
        wave_row,
        stored,
        slug,
        Audience(questionnaire.audience),
        status=SurveyStatus.CLOSED,
    )


def _not_yet_stored(session: Session, survey_id: int, external_ids: pd.Series) -> np.ndarray:
    """Which respondents the survey does not hold yet, as submitted or imported rows.

    Takes the survey's row lock first (:func:`~spiegel.store.surveys.lock_survey`), so
    two imports into one survey check one after the other and cannot both store the same
    respondent.
    """
    lock_survey(session, survey_id)
    stored = session.scalars(
        select(Response.external_id).where(Response.survey_id == survey_id)
    ).all()
    known = pd.Index(stored)
    imported = block_external_ids(session, survey_id)
    if imported is not None:
        known = known.append(pd.Index(imported.to_pandas()))
    if not len(known):
        return np.ones(len(external_ids), dtype=bool)
    return ~external_ids.isin(known).to_numpy()


def _write_responses(
    session: Session,
    survey: Survey,
    batch_id: int,
    rows: ResponseRows,
    fresh: np.ndarray,
    report: Progress,
) -> None:
    """The new respondents as response blocks (see :mod:`spiegel.store.blocks`)."""
    n_new = int(fresh.sum())
    # a slice when every row is new (the usual case): no copy of a million rows
    keep: slice | np.ndarray = slice(None) if n_new == len(rows) else np.flatnonzero(fresh)
    done = 0

    def advance(k: int) -> None:
        nonlocal done
        done += k
        report("writing", done, n_new)

    report("writing", 0, n_new)
    roles = rows.role_groups
    write_blocks(
        session,
        survey.id,
        batch_id,
        rows.unit_ids[keep],
        _strings(roles.iloc[keep]) if roles is not None else None,
        _strings(rows.external_ids.iloc[keep]),
        rows.matrix[keep],
        _text_columns(rows.texts, np.flatnonzero(fresh), len(rows)),
        progress=advance,
    )


def _strings(values: pd.Series) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=True)


def _text_columns(texts: pd.DataFrame, keep: np.ndarray, n_rows: int) -> dict[str, pa.Array]:
    """Open answers as one string column per item over the kept respondents."""
    if not len(texts):
        return {}
    new_position = np.full(n_rows, -1, dtype=np.int64)
    new_position[keep] = np.arange(len(keep))
    columns: dict[str, pa.Array] = {}
    for item_id, given in texts.groupby("item_id", sort=True):
        at = new_position[given["position"].to_numpy()]
        kept = at >= 0
        values = np.full(len(keep), None, dtype=object)
        values[at[kept]] = given["text"].to_numpy()[kept]
        columns[str(item_id)] = pa.array(values, type=pa.string())
    return columns
