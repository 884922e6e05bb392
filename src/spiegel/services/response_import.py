"""Importing survey responses: a file into a survey, in one transaction.

Respondents already in the survey are skipped and counted; respondents already imported
into another survey of the same wave and audience are refused unless allowed (the same
file imported twice under two names would otherwise count every respondent twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import ImportErrors, Problem
from spiegel.ingest.responses import FIELDS, ResponseRows, validate_responses
from spiegel.ingest.rules import item_rules
from spiegel.ingest.suggest import Suggestion, render, suggest_mapping
from spiegel.instruments import get_instrument
from spiegel.services.import_common import (
    ImportResult,
    Progress,
    ReadFile,
    ReadOptions,
    explained,
    new_batch,
    noop,
    read_file,
    seen_before,
    unit_lookup,
)
from spiegel.services.surveys import instrument_of, store_instrument
from spiegel.store.batches import external_ids, find_batch, sibling_surveys
from spiegel.store.blocks import write_blocks
from spiegel.store.db import transaction
from spiegel.store.models import Audience, Organisation, Survey, SurveyStatus
from spiegel.store.organisation import NotFound, ensure_wave, get_organisation
from spiegel.store.surveys import ensure_survey, lock_survey

__all__ = ["Suggestion", "import_responses", "suggest_responses_mapping"]


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
    allow_duplicates: bool = False,
) -> ImportResult:
    """Import survey responses into ``survey`` (created with ``wave`` and ``instrument``
    when it does not exist yet).

    Rows whose respondent id is already in the survey are skipped and counted
    (``skipped``); a file without respondent ids gets ids derived from its SHA-256 and the
    row number, so importing the same file again changes nothing. Respondent ids already
    imported into another survey of the same wave and audience refuse the file (an
    :class:`~spiegel.ingest.problems.ImportErrors` naming the survey) unless
    ``allow_duplicates``.
    """
    report = progress or noop
    report("reading", 0, 1)
    read = read_file(path, mapping, read_options, FIELDS, layout)
    table, plan = read.table, read.mapping
    report("reading", 1, 1)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        previous = seen_before(session, org.id, "responses", survey, read)
        if previous is not None:
            return previous
        target = _survey_for(
            session, org, survey, wave, instrument or plan.instrument, instrument_dirs
        )
        questionnaire = instrument_of(target.instrument)
        item_order = list(target.instrument.item_order)
        report("checking", 0, len(table))
        with explained(read):
            rows = validate_responses(
                table,
                plan,
                item_rules(questionnaire),
                item_order,
                unit_lookup(session, org.id),
                target.audience.value,
                layout,
            )
        report("checking", len(table), len(table))
        fresh = _not_yet_stored(session, target.id, rows.external_ids)
        shared = _in_other_surveys(session, target, read, rows.external_ids, fresh)
        if shared and not allow_duplicates:
            raise ImportErrors(shared, table.filename, read.notes)
        n_new = int(fresh.sum())
        batch = new_batch(session, org.id, "responses", survey, read, n_new)
        _write_responses(session, target, batch.id, rows, fresh, report)
        counts = {"imported": n_new, "skipped": len(rows) - n_new}
        if rows.n_empty:
            counts["empty"] = rows.n_empty
        result = ImportResult("responses", table.filename, len(table), counts, batch.id)
        result.notes.append(f"{rows.layout} layout, survey {target.slug!r}")
        result.notes.extend(read.notes)
        if rows.generated_ids:
            result.notes.append("no respondent column: ids derived from the file and row")
        result.notes.extend(f"allowed: {p.reason}" for p in shared)
        return result


def suggest_responses_mapping(
    engine: Engine,
    path: Path | str,
    out: Path | str,
    survey: str,
    instrument: str | None = None,
    mapping: Path | str | Mapping | None = None,
    organisation: str | None = None,
    read_options: ReadOptions | None = None,
    instrument_dirs: Sequence[Path] = (),
) -> Suggestion:
    """Write a mapping file for a responses file to ``out``, guessed from its question
    texts and answers (:func:`~spiegel.ingest.suggest.suggest_mapping`); nothing is
    imported. The instrument is the survey's, or ``instrument`` (or the mapping's) for a
    survey that does not exist yet."""
    read = read_file(path, mapping, read_options, FIELDS)
    with transaction(engine) as session:
        org = get_organisation(session, organisation)
        target = session.scalar(
            select(Survey).where(Survey.organisation_id == org.id, Survey.slug == survey)
        )
        if target is not None:
            questionnaire = instrument_of(target.instrument)
        else:
            name = instrument or read.mapping.instrument
            if name is None:
                raise NotFound(
                    f"no survey {survey!r} yet; give --instrument to suggest a mapping for it"
                )
            questionnaire = get_instrument(name, extra_dirs=instrument_dirs)
        units = unit_lookup(session, org.id)
    suggestion = suggest_mapping(
        read.table, questionnaire, units, questionnaire.audience, read.mapping
    )
    Path(out).write_text(render(suggestion), encoding="utf-8")
    return suggestion


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


def _not_yet_stored(session: Session, survey_id: int, ids: pd.Series) -> np.ndarray:
    """Which respondents the survey does not hold yet, as submitted or imported rows.

    Takes the survey's row lock first (:func:`~spiegel.store.surveys.lock_survey`), so
    two imports into one survey check one after the other and cannot both store the same
    respondent.
    """
    lock_survey(session, survey_id)
    known = external_ids(session, survey_id)
    if not len(known):
        return np.ones(len(ids), dtype=bool)
    return ~ids.isin(known).to_numpy()


def _in_other_surveys(
    session: Session, survey: Survey, read: ReadFile, ids: pd.Series, fresh: np.ndarray
) -> list[Problem]:
    """One problem per other survey of the same wave and audience that already holds
    some of the ``fresh`` respondent ids."""
    problems: list[Problem] = []
    others = sibling_surveys(session, survey)
    if not others or not fresh.any():
        return problems
    if not fresh.all():
        ids = ids[fresh]
    column = read.mapping.columns
    shown = next((c for c, t in column.items() if t.strip().lower() == "respondent"), None)
    for other in others:
        known = external_ids(session, other.id)
        if not len(known):
            continue
        n = int(ids.isin(known).sum())
        if not n:
            continue
        table = read.table
        same = find_batch(
            session, other.organisation_id, "responses", other.slug, table.sha256, None
        )
        same_file = (
            f" (this very file was imported there as batch {same.id})" if same is not None else ""
        )
        problems.append(
            Problem(
                None,
                shown,
                None,
                f"{n:,} respondent{'s' if n != 1 else ''} already imported in survey "
                f"{other.slug!r} (wave {survey.wave.name}){same_file}: is this the same "
                "file? Nothing was imported. If these are other people whose ids happen "
                "to match, import with --allow-duplicates",
            )
        )
    return problems


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
