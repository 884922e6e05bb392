"""Import batches: which files were imported, and taking one back out.

Undoing a batch deletes every row it wrote (responses, open answers, outcome figures) in
one transaction and restores the outcome figures it replaced; everything else stays as
it is, including a survey or wave the import created. Units and employees imports update
rows in place and cannot be undone; importing a corrected file updates them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from spiegel.store.batches import batches_of, delete_batch, runs_since
from spiegel.store.db import transaction
from spiegel.store.models import ImportBatch, Survey
from spiegel.store.organisation import NotFound, get_organisation
from spiegel.store.surveys import lock_survey

__all__ = ["BatchInfo", "UndoResult", "list_batches", "undo_batch"]

UNDOABLE = ("responses", "outcomes")


@dataclass(frozen=True)
class BatchInfo:
    """One imported file, as ``spiegel import list`` shows it."""

    id: int
    kind: str
    target: str
    filename: str
    rows: int
    created_at: dt.datetime
    mapped: bool  # imported with a mapping or read options

    @property
    def undoable(self) -> bool:
        return self.kind in UNDOABLE


@dataclass
class UndoResult:
    """What undoing a batch removed."""

    batch_id: int
    kind: str
    target: str
    filename: str
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        into = f" into {self.target!r}" if self.target else ""
        removed = ", ".join(f"{v:,} {k}" for k, v in self.counts.items()) or "no rows"
        return f"batch {self.batch_id} ({self.kind}{into}, {self.filename}): {removed} taken out"


def list_batches(engine: Engine, organisation: str | None = None) -> list[BatchInfo]:
    """Every import of the organisation, newest first."""
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        return [_info(b) for b in batches_of(session, org.id)]


def undo_batch(
    engine: Engine, batch_id: int, organisation: str | None = None, force: bool = False
) -> UndoResult:
    """Take batch ``batch_id`` out again: all of it, or nothing.

    Raises
    ------
    NotFound
        The organisation has no such batch.
    ValueError
        The batch imported units or employees (which cannot be undone), or stored
        analysis results were built after it (unless ``force``: then the results stay
        and the notes say to run the analysis again).
    """
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        batch = session.get(ImportBatch, batch_id)
        if batch is None or batch.organisation_id != org.id:
            raise NotFound(f"no import batch {batch_id}; `spiegel import list` shows them")
        if batch.kind not in UNDOABLE:
            raise ValueError(
                f"batch {batch_id} imported {batch.kind}, which cannot be undone: it updated "
                f"{batch.kind} in place. Import a corrected file instead; it updates the "
                f"{batch.kind} it names"
            )
        runs = runs_since(session, org.id, batch.created_at)
        if runs and not force:
            waves = sorted({w for _, w in runs if w})
            raise ValueError(
                f"stored analysis results were built on batch {batch_id}: {len(runs)} "
                f"analysis run{'s' if len(runs) != 1 else ''} since it was imported"
                + (f" (wave {', '.join(waves)})" if waves else "")
                + ". Undo it with --force, then run `spiegel analyze` again so that no "
                "report shows figures of the rows taken out"
            )
        if batch.kind == "responses":
            survey_id = session.scalar(
                select(Survey.id).where(
                    Survey.organisation_id == org.id, Survey.slug == batch.target
                )
            )
            if survey_id is not None:
                lock_survey(session, survey_id)  # no import into it meanwhile
        result = UndoResult(batch.id, batch.kind, batch.target, batch.filename)
        result.counts = delete_batch(session, batch)
        if runs:
            ids = ", ".join(str(i) for i, _ in runs)
            result.notes.append(
                f"stored analysis results (run {ids}) still include the rows taken out; "
                "run `spiegel analyze` again"
            )
        return result


def _info(batch: ImportBatch) -> BatchInfo:
    return BatchInfo(
        batch.id,
        batch.kind,
        batch.target,
        batch.filename,
        batch.rows,
        batch.created_at,
        bool(batch.mapping_sha256),
    )
