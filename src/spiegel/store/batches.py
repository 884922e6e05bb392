"""Import batches: finding one, listing them, and taking one back out.

Every imported row carries the id of its batch (``response_block``, ``response``,
``outcome``). Responses are immutable: triggers refuse any UPDATE of ``response``,
``text_answer`` and ``response_block`` (migrations 0002 and 0007), but not DELETE, so a
batch is undone by deleting its rows, never by changing them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd
from sqlalchemy import CursorResult, Delete, delete, func, select
from sqlalchemy.orm import Session

from spiegel.store.blocks import block_external_ids
from spiegel.store.models import (
    AnalysisRun,
    ImportBatch,
    Outcome,
    Response,
    ResponseBlock,
    Survey,
    TextAnswer,
    Wave,
)


def find_batch(
    session: Session,
    organisation_id: int,
    kind: str,
    target: str,
    sha256: str,
    mapping: str | None,
) -> ImportBatch | None:
    """The batch that imported this file (``sha256``) with this mapping (its digest;
    ``None``: with any mapping, the first)."""
    query = select(ImportBatch).where(
        ImportBatch.organisation_id == organisation_id,
        ImportBatch.kind == kind,
        ImportBatch.target == target,
        ImportBatch.sha256 == sha256,
    )
    if mapping is not None:
        query = query.where(ImportBatch.mapping_sha256 == mapping)
    return session.scalars(query.order_by(ImportBatch.id).limit(1)).first()


def batches_of(session: Session, organisation_id: int) -> list[ImportBatch]:
    """Every batch of the organisation, newest first."""
    return list(
        session.scalars(
            select(ImportBatch)
            .where(ImportBatch.organisation_id == organisation_id)
            .order_by(ImportBatch.id.desc())
        )
    )


def runs_since(session: Session, organisation_id: int, since: dt.datetime) -> list[tuple[int, str]]:
    """Stored analysis runs of the organisation made at or after ``since``: (id, wave)."""
    rows = session.execute(
        select(AnalysisRun.id, Wave.name)
        .outerjoin(Wave, Wave.id == AnalysisRun.wave_id)
        .where(AnalysisRun.organisation_id == organisation_id, AnalysisRun.created_at >= since)
        .order_by(AnalysisRun.id)
    ).all()
    return [(int(i), str(w or "")) for i, w in rows]


def external_ids(session: Session, survey_id: int) -> pd.Index:
    """The respondent ids a survey holds, submitted on the web or imported."""
    stored = session.scalars(
        select(Response.external_id).where(Response.survey_id == survey_id)
    ).all()
    known = pd.Index(list(stored), dtype="object")
    imported = block_external_ids(session, survey_id)
    if imported is not None:
        known = known.append(pd.Index(imported.to_pandas(), dtype="object"))
    return known


def sibling_surveys(session: Session, survey: Survey) -> list[Survey]:
    """The organisation's other surveys of the same wave and audience."""
    return list(
        session.scalars(
            select(Survey)
            .where(
                Survey.organisation_id == survey.organisation_id,
                Survey.wave_id == survey.wave_id,
                Survey.audience == survey.audience,
                Survey.id != survey.id,
            )
            .order_by(Survey.slug)
        )
    )


def delete_batch(session: Session, batch: ImportBatch) -> dict[str, int]:
    """Delete every row the batch wrote, restore the outcome figures it replaced, and
    delete the batch itself. Returns counts of what was removed and restored."""
    responses = int(
        session.scalar(
            select(func.coalesce(func.sum(ResponseBlock.n_rows), 0)).where(
                ResponseBlock.batch_id == batch.id
            )
        )
        or 0
    )
    session.execute(delete(ResponseBlock).where(ResponseBlock.batch_id == batch.id))
    submitted = select(Response.id).where(Response.batch_id == batch.id)
    session.execute(delete(TextAnswer).where(TextAnswer.response_id.in_(submitted)))
    responses += _deleted(session, delete(Response).where(Response.batch_id == batch.id))
    restored = _restore_outcomes(session, batch)
    outcomes = _deleted(session, delete(Outcome).where(Outcome.batch_id == batch.id))
    session.delete(batch)
    session.flush()
    counts = {"responses": responses, "outcomes": outcomes}
    if restored:
        counts["restored"] = restored
    return {k: v for k, v in counts.items() if v}


def _deleted(session: Session, statement: Delete) -> int:
    result = session.execute(statement)
    return int(cast(CursorResult[Any], result).rowcount)


def _restore_outcomes(session: Session, batch: ImportBatch) -> int:
    """Give the figures this batch replaced their old value and batch back, where the
    figure is still this batch's and the old batch still exists."""
    if not batch.replaced:
        return 0
    old_batches = {int(entry[4]) for entry in batch.replaced if entry[4] is not None}
    alive = set(session.scalars(select(ImportBatch.id).where(ImportBatch.id.in_(old_batches))))
    current = {
        (o.unit_id, o.metric, o.period): o
        for o in session.scalars(select(Outcome).where(Outcome.batch_id == batch.id))
    }
    restored = 0
    for unit_id, metric, period, value, old_batch in batch.replaced:
        outcome = current.get((int(unit_id), str(metric), str(period)))
        if outcome is None or (old_batch is not None and int(old_batch) not in alive):
            continue
        outcome.value = float(value)
        outcome.batch_id = None if old_batch is None else int(old_batch)
        restored += 1
    session.flush()
    return restored
