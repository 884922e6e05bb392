"""Use cases around stored results: the latest analysis, the report files."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from spiegel.reports.render import render_html, render_pdf
from spiegel.results import Results, load_results
from spiegel.store.db import session_factory
from spiegel.store.models import AnalysisRun, Unit
from spiegel.store.organisation import NotFound, get_organisation


def latest_results(
    engine: Engine, organisation: str | None = None, wave: str | None = None
) -> Results:
    """The newest stored results of the organisation (describing ``wave``); results
    stored by another version are refused (:class:`spiegel.results.OutdatedResults`)."""
    with session_factory(engine)() as session:
        org = get_organisation(session, organisation)
        runs = session.scalars(
            select(AnalysisRun)
            .where(AnalysisRun.organisation_id == org.id)
            .order_by(AnalysisRun.id.desc())
        )
        for run in runs:
            if wave is None or run.results.get("wave") == wave:
                return load_results(run.results)
        if wave is None:
            raise NotFound("no analysis yet: run 'spiegel analyze' first")
        raise NotFound(f"no analysis of wave {wave!r} yet: run 'spiegel analyze --wave {wave}'")


def unit_id(engine: Engine, code: str, organisation: str | None = None) -> int:
    """The id of the unit with ``code``."""
    with session_factory(engine)() as session:
        org = get_organisation(session, organisation)
        unit = session.scalar(select(Unit).where(Unit.organisation_id == org.id, Unit.code == code))
        if unit is None:
            raise NotFound(f"no unit with code {code!r}")
        return unit.id


def write_report(
    results: Results,
    path: Path,
    fmt: str = "html",
    lang: str = "nl",
    unit: int | None = None,
) -> Path:
    """Write the organisation report (or a unit's) as HTML or PDF."""
    if fmt not in ("html", "pdf"):
        raise ValueError(f"--format must be html or pdf, not {fmt!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_html(results, lang=lang, unit=unit)
    if fmt == "html":
        path.write_text(html, encoding="utf-8")
        return path
    return render_pdf(html, path)


def write_json(results: Results, path: Path) -> Path:
    """The results document as JSON (the same document the store keeps)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results.to_json(), ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    return path
