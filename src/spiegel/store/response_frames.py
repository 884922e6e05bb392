"""A survey's responses read in columnar form, for the analysis and exports (pandas).

Submitted responses (one packed row each) and imported ones (column blocks) are read
together, in order of response id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVarTuple

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from spiegel.store.answers import unpack_rows
from spiegel.store.blocks import TEXT_PREFIX, answer_matrix, read_blocks
from spiegel.store.exclusions import leave_out_excluded
from spiegel.store.models import Response, Survey, TextAnswer, Unit

__all__ = ["ResponseFrame", "load_responses", "load_text_answers", "load_texts"]


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


Ts = TypeVarTuple("Ts")


def _kept(session: Session, survey: Survey, query: Select[*Ts], with_excluded: bool) -> Select[*Ts]:
    return query if with_excluded else leave_out_excluded(session, survey.id, query)


def load_responses(
    session: Session, survey: Survey, *, with_excluded: bool = False
) -> ResponseFrame:
    """The responses of ``survey``, submitted and imported, read once into columnar form
    (in order of response id). Web responses in an excluded window of their location
    link (:mod:`spiegel.store.exclusions`) are left out unless ``with_excluded``."""
    items: list[str] = list(survey.instrument.item_order)
    query = (
        select(
            Response.id,
            Response.unit_id,
            Response.role_group,
            Response.external_id,
            Response.numeric_answers,
        )
        .where(Response.survey_id == survey.id)
        .order_by(Response.id)
    )
    rows = session.execute(_kept(session, survey, query, with_excluded)).all()
    meta = pd.DataFrame(
        {
            "response_id": np.asarray([r[0] for r in rows], dtype=np.int64),
            "unit_id": np.asarray([r[1] for r in rows], dtype=np.int64),
            "role_group": pd.Series(
                [r[2].value if r[2] is not None else None for r in rows], dtype=object
            ),
            "external_id": pd.Series([r[3] for r in rows], dtype=object),
        }
    )
    matrix = unpack_rows([r[4] for r in rows], len(items))
    imported = read_blocks(session, survey.id)
    if imported is not None:
        meta = pd.concat([meta, _block_meta(imported)], ignore_index=True)
        matrix = np.vstack([matrix, answer_matrix(imported, len(items))])
        order = np.argsort(meta["response_id"].to_numpy(), kind="stable")
        meta = meta.iloc[order].reset_index(drop=True)
        matrix = matrix[order]
    codes = _unit_codes(session, survey.organisation_id)
    meta.insert(2, "unit_code", meta["unit_id"].map(codes).astype(object))
    return ResponseFrame(meta=meta, items=items, matrix=matrix)


def _block_meta(table: pa.Table) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": table.column("response_id").to_numpy(),
            "unit_id": table.column("unit_id").to_numpy().astype(np.int64),
            "role_group": pd.Series(table.column("role_group").to_pylist(), dtype=object),
            "external_id": pd.Series(table.column("external_id").to_pylist(), dtype=object),
        }
    )


def _unit_codes(session: Session, organisation_id: int) -> dict[int, str]:
    return {
        int(uid): str(code)
        for uid, code in session.execute(
            select(Unit.id, Unit.code).where(Unit.organisation_id == organisation_id)
        )
    }


def load_text_answers(
    session: Session, survey: Survey, *, with_excluded: bool = False
) -> pd.DataFrame:
    """Open-text answers of a survey: ``response_id, unit_id, item_id, text``, submitted
    and imported alike (the excluded ones left out, as by :func:`load_responses`)."""
    columns = ["response_id", "unit_id", "item_id", "text"]
    query = (
        select(Response.id, Response.unit_id, TextAnswer.item_id, TextAnswer.text)
        .join(TextAnswer, TextAnswer.response_id == Response.id)
        .where(Response.survey_id == survey.id)
    )
    frames = [
        pd.DataFrame(
            session.execute(_kept(session, survey, query, with_excluded)).all(),
            columns=columns,
        )
    ]
    imported = read_blocks(session, survey.id)
    text_columns = [] if imported is None else imported.column_names
    for name in text_columns:
        if imported is None or not name.startswith(TEXT_PREFIX):
            continue
        given = imported.filter(imported.column(name).is_valid())
        frames.append(
            pd.DataFrame(
                {
                    "response_id": given.column("response_id").to_numpy(),
                    "unit_id": given.column("unit_id").to_numpy().astype(np.int64),
                    "item_id": name.removeprefix(TEXT_PREFIX),
                    "text": given.column(name).to_pylist(),
                },
                columns=columns,
            )
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)


def load_texts(session: Session, survey: Survey) -> pd.DataFrame:
    """Open-text answers of a survey with the unit they belong to (no respondent data)."""
    return load_text_answers(session, survey)[["unit_id", "item_id", "text"]]
