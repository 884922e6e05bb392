"""Queries and writes for instruments, surveys and responses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from spiegel.store.answers import unpack_rows
from spiegel.store.models import (
    Audience,
    Instrument,
    Response,
    Survey,
    SurveyStatus,
    TextAnswer,
    Unit,
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


def surveys_of_wave(session: Session, wave_id: int) -> list[Survey]:
    return list(session.scalars(select(Survey).where(Survey.wave_id == wave_id)))


@dataclass(frozen=True)
class ResponseFrame:
    """A survey's responses as columns: metadata, and a (responses x items) matrix."""

    meta: pd.DataFrame  # response_id, unit_id, unit_code, role_group, external_id
    items: list[str]
    matrix: np.ndarray

    def wide(self) -> pd.DataFrame:
        """Metadata and one column per item, as one DataFrame."""
        answers = pd.DataFrame(self.matrix, columns=self.items, index=self.meta.index)
        return pd.concat([self.meta, answers], axis=1)


def load_responses(session: Session, survey: Survey) -> ResponseFrame:
    """All submitted responses of ``survey``, read once into columnar form."""
    items: list[str] = list(survey.instrument.item_order)
    rows = session.execute(
        select(
            Response.id,
            Response.unit_id,
            Unit.code,
            Response.role_group,
            Response.external_id,
            Response.numeric_answers,
        )
        .join(Unit, Unit.id == Response.unit_id)
        .where(Response.survey_id == survey.id)
        .order_by(Response.id)
    ).all()
    meta = pd.DataFrame(
        {
            "response_id": [r[0] for r in rows],
            "unit_id": [r[1] for r in rows],
            "unit_code": [r[2] for r in rows],
            "role_group": [r[3].value if r[3] is not None else None for r in rows],
            "external_id": [r[4] for r in rows],
        }
    )
    matrix = unpack_rows([r[5] for r in rows], len(items))
    return ResponseFrame(meta=meta, items=items, matrix=matrix)


def load_texts(session: Session, survey: Survey) -> pd.DataFrame:
    """Open-text answers of a survey with the unit they belong to (no respondent data)."""
    rows = session.execute(
        select(Response.unit_id, TextAnswer.item_id, TextAnswer.text)
        .join(TextAnswer, TextAnswer.response_id == Response.id)
        .where(Response.survey_id == survey.id)
    ).all()
    return pd.DataFrame(rows, columns=["unit_id", "item_id", "text"])
