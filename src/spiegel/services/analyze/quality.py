"""Steps on measurement quality: reliability, the engagement factor model, aggregation.

Each uses the scales that have data and notes the ones it left out and why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel import analysis as A
from spiegel.results import CFA, Aggregation, Reliability
from spiegel.services.analyze.job import ENGAGEMENT, Job, NotAvailable
from spiegel.services.jsonable import jsonable

ENGAGEMENT_MODEL = "vigor =~ {vigor}\ndedication =~ {dedication}\nabsorption =~ {absorption}"
FACTORS = ("vigor", "dedication", "absorption")


def _latest_items(job: Job, scale: str) -> pd.DataFrame:
    spec = job.require_employees().scale_specs()[scale]
    latest = job.data.employee[job.data.employee["wave"] == job.latest]
    items = latest[list(spec.items)].astype(float).copy()
    for item in spec.reverse:
        items[item] = spec.min + spec.max - items[item]
    return items


def _left_out(job: Job, scales: list[str]) -> None:
    if scales:
        names = ", ".join(scales)
        job.note(
            f"left out, too few answers or too little variation: {names}",
            f"weggelaten, te weinig antwoorden of te weinig spreiding: {names}",
        )


def reliability(job: Job) -> None:
    """Cronbach's alpha and McDonald's omega per scale (latest wave)."""
    job.require_employees()
    rows, left_out = [], []
    for scale in job.scales:
        if scale == ENGAGEMENT:
            continue
        items = _latest_items(job, scale)
        items = items.loc[:, items.notna().sum() >= 2]
        if len(items.columns) < 2:
            left_out.append(scale)
            continue
        try:
            alpha = A.cronbach_alpha(items)
            omega = A.mcdonald_omega(items) if len(items.columns) >= 3 else float("nan")
        except (ValueError, np.linalg.LinAlgError):
            left_out.append(scale)
            continue
        if not job.enough(alpha.n_used):
            left_out.append(scale)
            continue
        rows.append(
            Reliability(
                scale=scale,
                items=len(items.columns),
                n=alpha.n_used,
                alpha=alpha.alpha,
                omega=omega,
            )
        )
    _left_out(job, left_out)
    if not rows:
        raise NotAvailable(
            "no scale has enough answers to estimate its reliability",
            "geen schaal heeft genoeg antwoorden om de betrouwbaarheid te schatten",
        )
    job.out["reliability"] = rows


def factor_model(job: Job) -> None:
    """The three-factor engagement model (vigor, dedication, absorption) with its fit."""
    specs = job.require_employees().scale_specs()
    missing = [s for s in FACTORS if s not in specs or s not in job.scales]
    if missing:
        names = ", ".join(missing)
        raise NotAvailable(
            "the engagement model needs the scales vigor, dedication and absorption; "
            f"missing or unanswered: {names}",
            "het model van bevlogenheid vraagt om de schalen vitaliteit, toewijding en "
            f"absorptie; ontbreekt of onbeantwoord: {names}",
        )
    parts = {s: " + ".join(specs[s].items) for s in FACTORS}
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
    specs = job.require_employees().scale_specs()
    latest = job.emp[(job.emp["wave"] == job.latest) & job.emp["location"].notna()]
    if latest.empty:
        raise NotAvailable(
            "no employee answers from units within a location",
            "geen antwoorden van medewerkers binnen een locatie",
        )
    rows, left_out = [], []
    engagement = [specs[s] for s in job.groups["engagement"] if s in specs]
    for scale in job.scales:
        spec = specs.get(scale) or (engagement[0] if engagement else None)
        options = int(spec.max - spec.min + 1) if spec else 5
        try:
            check = A.check_aggregation(latest, unit="location", value=scale, options=options)
        except (ValueError, np.linalg.LinAlgError):
            left_out.append(scale)
            continue
        rows.append(Aggregation.model_validate({"scale": scale, **jsonable(check)}))  # type: ignore[dict-item]
    _left_out(job, left_out)
    if not rows:
        raise NotAvailable(
            "too few locations with answers to check whether unit means are meaningful",
            "te weinig locaties met antwoorden om te toetsen of gemiddelden per eenheid "
            "zinvol zijn",
        )
    job.out["aggregation"] = rows
