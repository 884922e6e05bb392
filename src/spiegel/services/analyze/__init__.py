"""Analyse an organisation: every method of ``spiegel.analysis``, then the privacy gate.

The result is one typed :class:`spiegel.results.Results` holding only protected figures:
unit-level numbers are the privacy gate's visible cells, protected per figure;
organisation-wide statistics are shown only when enough people are behind them; models
over locations use only shown location figures. Reports, dashboards, the API and
``--json`` read this document, never the raw data.

The steps live beside this module by topic (``tables``, ``quality``, ``linkage``,
``topics``); ``runner`` runs them in order and says of each whether it was ok, not
available (and why) or failed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from spiegel.results import Results, Step
from spiegel.services.analyze.job import Job, NotAvailable, scale_groups
from spiegel.services.analyze.runner import STEPS, run
from spiegel.services.dataset import OrganisationData, load_organisation
from spiegel.store.db import transaction
from spiegel.store.models import AnalysisRun, Organisation
from spiegel.store.organisation import get_organisation

__all__ = [
    "STEPS",
    "Job",
    "NotAvailable",
    "Step",
    "analyse_frames",
    "analyze",
    "scale_groups",
    "up_to_wave",
]


def up_to_wave(data: OrganisationData, wave: str) -> OrganisationData:
    """The data of the waves up to and including ``wave`` (the one the analysis describes)."""
    if wave not in data.waves:
        raise ValueError(f"no wave {wave!r}; known waves: {', '.join(data.waves) or 'none'}")
    keep = data.waves[: data.waves.index(wave) + 1]
    data.waves = keep
    data.employee = data.employee[data.employee["wave"].isin(keep)].reset_index(drop=True)
    data.customer = data.customer[data.customer["wave"].isin(keep)].reset_index(drop=True)
    data.texts = data.texts[data.texts["wave"].isin(keep)].reset_index(drop=True)
    return data


def analyse_frames(
    data: OrganisationData, n_boot: int = 500, progress: Callable[[str], None] | None = None
) -> tuple[Results, Job]:
    """Analyse data already in memory; the results and the job (its derived frames)."""
    job = Job(data, n_boot=n_boot)
    return run(job, progress), job


def analyze(
    engine: Engine,
    organisation: str | None = None,
    n_boot: int = 500,
    progress: Callable[[str], None] | None = None,
    store: bool = True,
    wave: str | None = None,
) -> tuple[Results, list[Step]]:
    """Run every analysis for an organisation; store the protected results.

    ``wave`` (default: the latest) is the wave the results describe; later waves are
    left out, earlier ones feed the trends and the lagged models.
    """
    data = load_organisation(engine, organisation)
    if not data.waves:
        raise ValueError("no waves yet: import responses with --wave first")
    if wave is not None:
        data = up_to_wave(data, wave)
    results, _job = analyse_frames(data, n_boot=n_boot, progress=progress)
    if store:
        with transaction(engine) as session:
            org: Organisation = get_organisation(session, data.organisation)
            session.add(AnalysisRun(organisation_id=org.id, results=results.to_json()))
    return results, results.steps
