"""Run the analysis steps in order and assemble the typed results.

Each step is ``ok``, ``not_available`` (it lacks what it needs: the reason in plain words)
or ``failed`` (an unexpected error: logged with its traceback, never shown to a user).
One step's trouble never stops the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from spiegel import analysis as A
from spiegel.results import (
    Minimums,
    OrganisationRef,
    Results,
    ScaleGroups,
    Step,
    Title,
    UnitInfo,
)
from spiegel.services.analyze import (
    comments,
    differences,
    drivers,
    linkage,
    quality,
    tables,
    topics,
)
from spiegel.services.analyze.job import Job, NotAvailable

log = logging.getLogger("spiegel.analysis")

StepFunction = Callable[[Job], None]

STEPS: list[tuple[str, StepFunction]] = [
    ("scores", tables.score),
    ("customers", tables.customers),
    ("unit_tables", tables.unit_tables),
    ("customer", tables.customer),
    ("response", tables.response),
    ("differences", differences.differences),
    ("reliability", quality.reliability),
    ("factor_model", quality.factor_model),
    ("aggregation", quality.aggregation),
    ("location_panel", linkage.location_panel),
    ("linkage", linkage.linkage),
    ("lagged", linkage.lagged),
    ("cross_lagged", linkage.cross_lagged),
    ("multilevel", linkage.multilevel),
    ("drivers", drivers.drivers),
    ("mirror", topics.mirror),
    ("risk", topics.risk),
    ("ambition", topics.ambition),
    ("comments", comments.comments),
]

#: Errors of the statistics functions that mean "this data does not allow it".
DATA_ERRORS = (ValueError, KeyError, np.linalg.LinAlgError)
UNSUITABLE = Title(
    en="the data do not allow this analysis (too few answers or too little variation)",
    nl="de gegevens laten deze analyse niet toe (te weinig antwoorden of te weinig spreiding)",
)


def too_little(minimum: int, n: int) -> Title:
    """The reason for a method that met too little data."""
    return Title(
        en=f"too little data for this analysis: it needs at least {minimum}, there are {n}",
        nl=f"te weinig gegevens voor deze analyse: nodig zijn er minstens {minimum}, "
        f"er zijn er {n}",
    )


FAILED = Title(
    en="an unexpected error; whoever ran the analysis can find the details in its log",
    nl="een onverwachte fout; wie de analyse draaide, vindt de details in het log",
)


def run_step(job: Job, name: str, fn: StepFunction) -> Step:
    """Run one step; what went wrong becomes its status, never an exception."""
    start = time.perf_counter()
    status, reason = "ok", None
    job.notes = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(job)
    except NotAvailable as exc:
        status, reason = "not_available", exc.reason
    except A.InsufficientData as exc:
        log.info("analysis step %s not available: %s", name, exc)
        status, reason = "not_available", too_little(exc.minimum, exc.n)
    except DATA_ERRORS as exc:
        log.info("analysis step %s not available: %s: %s", name, type(exc).__name__, exc)
        status, reason = "not_available", UNSUITABLE
    except Exception:
        log.exception("analysis step %s failed", name)
        status, reason = "failed", FAILED
    return Step(
        name=name,
        seconds=time.perf_counter() - start,
        status=status,  # type: ignore[arg-type]
        reason=reason,
        notes=list(job.notes),
    )


def run(job: Job, progress: Callable[[str], None] | None = None) -> Results:
    """Every step on ``job``; the protected, typed results."""
    steps = []
    for name, fn in STEPS:
        if progress is not None:
            progress(name)
        steps.append(run_step(job, name, fn))
    return assemble(job, steps)


def assemble(job: Job, steps: list[Step]) -> Results:
    """The results document from the sections the steps wrote."""
    d = job.data
    columns = ("id", "code", "name", "kind", "unit_type", "parent_id", "depth")
    units = [
        UnitInfo(
            id=uid,
            code=str(code),
            name=str(name),
            kind=str(kind),
            unit_type=None if pd.isna(unit_type) else str(unit_type),
            parent_id=None if pd.isna(parent) else int(parent),
            depth=depth,
        )
        for uid, code, name, kind, unit_type, parent, depth in zip(
            *(d.units[c].tolist() for c in columns), strict=True
        )
    ]
    return Results(
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        organisation=OrganisationRef(slug=d.organisation, name=d.organisation_name),
        waves=list(d.waves),
        wave=d.waves[-1] if d.waves else None,
        privacy=Minimums(
            min_scores=job.settings.min_scores,
            min_comments=job.settings.min_comments,
            min_360_group=job.settings.min_360_group,
        ),
        units=units,
        scale_groups=ScaleGroups(**job.groups),
        steps=steps,
        **job.out,  # type: ignore[arg-type]
    )
