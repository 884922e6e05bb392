"""Steps on measurement quality: reliability, the engagement factor model, aggregation."""

from __future__ import annotations

import pandas as pd

from spiegel import analysis as A
from spiegel.instruments import Instrument
from spiegel.results import CFA, Aggregation, Reliability
from spiegel.services.analyze.job import ENGAGEMENT, Job, NotAvailable
from spiegel.services.jsonable import jsonable

ENGAGEMENT_MODEL = "vigor =~ {vigor}\ndedication =~ {dedication}\nabsorption =~ {absorption}"


def _instrument(job: Job) -> Instrument:
    if job.data.employee_instrument is None or job.emp.empty:
        raise NotAvailable(
            "no employee survey responses yet", "nog geen antwoorden op een medewerkersenquête"
        )
    return job.data.employee_instrument


def _latest_items(job: Job, scale: str) -> pd.DataFrame:
    spec = _instrument(job).scale_specs()[scale]
    latest = job.data.employee[job.data.employee["wave"] == job.latest]
    items = latest[list(spec.items)].astype(float).copy()
    for item in spec.reverse:
        items[item] = spec.min + spec.max - items[item]
    return items


def reliability(job: Job) -> None:
    """Cronbach's alpha and McDonald's omega per scale (latest wave)."""
    _instrument(job)
    rows = []
    for scale in job.scales:
        if scale == ENGAGEMENT:
            continue
        items = _latest_items(job, scale)
        if len(items.columns) < 2:
            continue
        alpha = A.cronbach_alpha(items)
        if not job.enough(alpha.n_used):
            continue
        omega = A.mcdonald_omega(items) if len(items.columns) >= 3 else float("nan")
        rows.append(
            Reliability(
                scale=scale,
                items=len(items.columns),
                n=alpha.n_used,
                alpha=alpha.alpha,
                omega=omega,
            )
        )
    job.out["reliability"] = rows


def factor_model(job: Job) -> None:
    """The three-factor engagement model (vigor, dedication, absorption) with its fit."""
    specs = _instrument(job).scale_specs()
    parts = {s: " + ".join(specs[s].items) for s in ("vigor", "dedication", "absorption")}
    model = ENGAGEMENT_MODEL.format(**parts)
    latest = job.data.employee[job.data.employee["wave"] == job.latest]
    items = [i for s in parts for i in specs[s].items]
    result = A.cfa(latest[items].astype(float), model)
    if not job.enough(result.n_used):
        raise NotAvailable(
            f"fewer than {job.settings.min_scores} complete answers",
            f"minder dan {job.settings.min_scores} volledige antwoorden",
        )
    job.out["cfa"] = CFA.model_validate({**jsonable(result), "model": model})  # type: ignore[dict-item]


def aggregation(job: Job) -> None:
    """ICC(1), ICC(2) and r_wg(j) per scale: may unit means be reported?"""
    specs = _instrument(job).scale_specs()
    latest = job.emp[(job.emp["wave"] == job.latest) & job.emp["location"].notna()]
    rows = []
    for scale in job.scales:
        spec = specs.get(scale)
        options = int(spec.max - spec.min + 1) if spec else 5
        check = A.check_aggregation(latest, unit="location", value=scale, options=options)
        rows.append(Aggregation.model_validate({"scale": scale, **jsonable(check)}))  # type: ignore[dict-item]
    job.out["aggregation"] = rows
