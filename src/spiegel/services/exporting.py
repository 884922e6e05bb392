"""Exporting respondent-level data for administrators and analysts: responses, scale
scores and the unit tree, to CSV, Excel, SPSS or Parquet (by the file's extension).

These exports hold individual responses, not group results; they are meant for the
people who administer the surveys, like the files they import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from spiegel.exports.tables import (
    ExportTable,
    responses_table,
    scores_table,
    text_choice_codes,
    units_table,
)
from spiegel.exports.writers import format_of, write_frame
from spiegel.services.surveys import instrument_of
from spiegel.store.db import transaction
from spiegel.store.models import Unit
from spiegel.store.organisation import get_organisation
from spiegel.store.response_frames import load_responses, load_text_answers
from spiegel.store.surveys import get_survey

__all__ = ["ExportResult", "export_responses", "export_scores", "export_units"]


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    rows: int
    columns: int
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.path}: {self.rows} rows, {self.columns} columns"


def _units_frame(session: Session, organisation_id: int) -> pd.DataFrame:
    rows = session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Unit.kind,
            Unit.parent_id,
            Unit.unit_type,
            Unit.path,
            Unit.active,
        ).where(Unit.organisation_id == organisation_id)
    ).all()
    frame = pd.DataFrame(
        rows, columns=["id", "code", "name", "kind", "parent_id", "unit_type", "path", "active"]
    )
    frame["kind"] = frame["kind"].map(lambda k: getattr(k, "value", k))
    return frame


def _write(table: ExportTable, path: Path, delimiter: str) -> ExportResult:
    kind = format_of(path)
    table = table.for_format(kind)
    write_frame(table.frame, path, table.value_labels, table.variable_labels, delimiter)
    return ExportResult(path, len(table.frame), table.frame.shape[1], list(table.notes))


def export_responses(
    engine: Engine,
    path: Path | str,
    survey: str,
    organisation: str | None = None,
    texts: bool = False,
    lang: str = "nl",
    delimiter: str = ",",
) -> ExportResult:
    """Every response of ``survey``: respondent, unit, role group and one column per item.

    Open-text answers are left out unless ``texts`` is true (they can identify people).
    SPSS files carry the answer labels and the question texts in ``lang``.
    """
    path = Path(path)
    kind = format_of(path)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        target = get_survey(session, org.id, survey)
        instrument = instrument_of(target.instrument)
        responses = load_responses(session, target)
        answers = None
        if texts:
            answers = load_text_answers(session, target)[["response_id", "item_id", "text"]]
        table = responses_table(
            responses.meta,
            responses.items,
            responses.matrix,
            instrument,
            _units_frame(session, org.id),
            target.slug,
            target.wave.name,
            answers,
            lang,
        )
    if kind != "sav":
        table.frame = _whole_numbers(text_choice_codes(instrument, table.frame), responses.items)
    return _write(table, path, delimiter)


def _whole_numbers(frame: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """Item columns holding only whole numbers as integers (``4``, not ``4.0``)."""
    out = frame.copy()
    for item in items:
        column = out[item]
        if column.dtype.kind == "f" and bool((column.dropna() % 1 == 0).all()):
            out[item] = column.astype("Int64")
    return out


def export_scores(
    engine: Engine,
    path: Path | str,
    survey: str,
    organisation: str | None = None,
    min_share: float = 0.5,
    lang: str = "nl",
    delimiter: str = ",",
) -> ExportResult:
    """Each response's scale scores (mean of answered items after reverse keying)."""
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        target = get_survey(session, org.id, survey)
        instrument = instrument_of(target.instrument)
        responses = load_responses(session, target)
        table = scores_table(
            responses.meta,
            responses.items,
            responses.matrix,
            instrument,
            _units_frame(session, org.id),
            target.slug,
            target.wave.name,
            min_share,
            lang,
        )
    return _write(table, Path(path), delimiter)


def export_units(
    engine: Engine, path: Path | str, organisation: str | None = None, delimiter: str = ","
) -> ExportResult:
    """The organisation's units: code, name, kind, parent, unit type and path of codes.

    The file can be imported again with ``spiegel import units``.
    """
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        table = units_table(_units_frame(session, org.id))
    return _write(table, Path(path), delimiter)
