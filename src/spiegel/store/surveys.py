"""Queries and writes for instruments and surveys. Reading a survey's responses for analysis
and exports is in :mod:`spiegel.store.response_frames`."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from spiegel.store.models import (
    Audience,
    Instrument,
    Response,
    ResponseBlock,
    Survey,
    SurveyStatus,
    Wave,
)
from spiegel.store.organisation import NotFound


def definition_checksum(definition: dict[str, object]) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def register_instrument(
    session: Session,
    name: str,
    version: str,
    audience: Audience,
    definition: dict[str, object],
    item_order: list[str],
) -> Instrument:
    """Store an instrument version once; the same name and version must keep its content."""
    checksum = definition_checksum(definition)
    row = session.scalar(
        select(Instrument).where(Instrument.name == name, Instrument.version == version)
    )
    if row is not None:
        if row.checksum != checksum:
            raise ValueError(
                f"instrument {name!r} version {version} is already stored with different "
                "content; give the changed file a new version"
            )
        return row
    row = Instrument(
        name=name,
        version=version,
        audience=audience,
        checksum=checksum,
        definition=definition,
        item_order=item_order,
    )
    session.add(row)
    session.flush()
    return row


def get_survey(session: Session, organisation_id: int, slug: str) -> Survey:
    survey = session.scalar(
        select(Survey).where(Survey.organisation_id == organisation_id, Survey.slug == slug)
    )
    if survey is None:
        known = session.scalars(
            select(Survey.slug).where(Survey.organisation_id == organisation_id)
        )
        raise NotFound(f"no survey {slug!r}; known surveys: {', '.join(known) or 'none'}")
    return survey


def ensure_survey(
    session: Session,
    organisation_id: int,
    wave: Wave,
    instrument: Instrument,
    slug: str,
    audience: Audience,
    status: SurveyStatus = SurveyStatus.CLOSED,
) -> Survey:
    survey = session.scalar(
        select(Survey).where(Survey.organisation_id == organisation_id, Survey.slug == slug)
    )
    if survey is None:
        survey = Survey(
            organisation_id=organisation_id,
            wave_id=wave.id,
            instrument_id=instrument.id,
            slug=slug,
            audience=audience,
            status=status,
        )
        session.add(survey)
        session.flush()
    elif survey.wave_id != wave.id or survey.instrument_id != instrument.id:
        raise ValueError(
            f"survey {slug!r} already exists for another wave or instrument; choose another name"
        )
    return survey


def lock_survey(session: Session, survey_id: int) -> None:
    """Hold the survey's row until the session's transaction ends, so that writers of its
    responses that call this run one after the other.

    PostgreSQL: ``SELECT ... FOR NO KEY UPDATE``, which submissions (they only refer to
    the survey) do not wait for. SQLite reads outside a transaction until the first write,
    so there a no-op ``UPDATE`` starts the transaction and takes SQLite's write lock.
    """
    if session.connection().dialect.name == "sqlite":
        session.execute(update(Survey).where(Survey.id == survey_id).values(id=Survey.id))
    else:
        session.execute(
            select(Survey.id).where(Survey.id == survey_id).with_for_update(key_share=True)
        )


def surveys_of_wave(session: Session, wave_id: int) -> list[Survey]:
    return list(session.scalars(select(Survey).where(Survey.wave_id == wave_id)))


def count_responses(session: Session, survey_ids: list[int]) -> dict[int, int]:
    """Responses per survey, submitted and imported."""
    counts: dict[int, int] = dict.fromkeys(survey_ids, 0)
    for model, amount in (
        (Response, func.count()),
        (ResponseBlock, func.sum(ResponseBlock.n_rows)),
    ):
        for survey_id, count in session.execute(
            select(model.survey_id, amount)
            .where(model.survey_id.in_(survey_ids))
            .group_by(model.survey_id)
        ):
            counts[int(survey_id)] += int(count or 0)
    return counts
