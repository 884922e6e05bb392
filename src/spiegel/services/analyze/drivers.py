"""The key-drivers step: relative importance of the drivers of engagement and of the
customer grade, each with the predictors that have enough answers."""

from __future__ import annotations

import pandas as pd

from spiegel import analysis as A
from spiegel.results import Driver, Drivers
from spiegel.services.analyze.job import ENGAGEMENT, GRADE_ITEM, Job, NotAvailable
from spiegel.services.jsonable import jsonable

#: Complete answers a driver analysis needs per predictor (and at least this many rows).
ROWS_PER_PREDICTOR, MIN_ROWS = 10, 30


def records(value: object) -> list[dict[str, object]]:
    """Rows of a frame (or a list of dataclasses) as JSON-ready dictionaries."""
    out = jsonable(value)
    if not isinstance(out, list):
        raise TypeError(f"expected rows, got {type(out).__name__}")
    return [dict(r) for r in out if isinstance(r, dict)]


def _ranked(importance: pd.DataFrame, performance: pd.Series) -> list[Driver]:
    matrix = A.priority_matrix(importance, performance)
    table = importance.join(matrix.drop(columns=[c for c in matrix if c in importance]))
    return [Driver.model_validate(r) for r in records(table)]


def _usable(frame: pd.DataFrame, outcome: str, predictors: list[str]) -> list[str]:
    """The predictors to keep: drop the least answered until enough rows are complete."""
    answers = {p: int(frame[p].count()) for p in predictors}
    kept = [p for p in predictors if answers[p] > 0]
    while len(kept) > 1:
        complete = len(frame[[outcome, *kept]].dropna())
        if complete >= max(MIN_ROWS, ROWS_PER_PREDICTOR * len(kept)):
            break
        kept.remove(min(kept, key=answers.__getitem__))
    return kept


def _note_dropped(job: Job, en: str, nl: str, names: list[str], kept: list[str]) -> None:
    dropped = [n for n in names if n not in kept]
    if dropped:
        listed = ", ".join(dropped)
        job.note(
            f"{en}: left out as too few answered them together with the others: {listed}",
            f"{nl}: weggelaten omdat te weinig mensen ze samen met de andere invulden: {listed}",
        )


def _engagement(job: Job) -> tuple[list[Driver], float | None]:
    if job.emp.empty or ENGAGEMENT not in job.scales:
        return [], None
    if not job.org_shown("employee", ENGAGEMENT):
        job.note(
            f"engagement: fewer than {job.settings.min_scores} employees answered",
            f"bevlogenheid: minder dan {job.settings.min_scores} medewerkers antwoordden",
        )
        return [], None
    latest = job.emp[job.emp["wave"] == job.latest]
    names = [s for s in job.groups["drivers"] if s in job.scales]
    kept = _usable(latest, ENGAGEMENT, names)
    _note_dropped(job, "engagement", "bevlogenheid", names, kept)
    if len(kept) < 2:
        return [], None
    imp = A.relative_importance(latest, ENGAGEMENT, kept, n_boot=job.n_boot)
    return _ranked(imp, latest[kept].mean()), imp.attrs.get("r2")


def _grade(job: Job) -> tuple[list[Driver], float | None, int | None]:
    if job.cust.empty or GRADE_ITEM not in job.cust or not job.org_shown("customer", GRADE_ITEM):
        return [], None, None
    latest = job.cust[job.cust["wave"] == job.latest]
    names = [i for i in job.customer_items("moments_of_truth") if job.org_shown("customer", i)]
    kept = _usable(latest, GRADE_ITEM, names)
    _note_dropped(job, "customer grade", "klantcijfer", names, kept)
    if len(kept) < 2:
        return [], None, None
    imp = A.relative_importance(latest, GRADE_ITEM, kept, n_boot=job.n_boot)
    return _ranked(imp, latest[kept].mean()), imp.attrs.get("r2"), imp.attrs.get("n_dropped")


def drivers(job: Job) -> None:
    """Relative importance of the drivers of engagement and of the customer grade; one of
    the two without enough answers does not stop the other."""
    engagement, engagement_r2 = _engagement(job)
    grade, grade_r2, grade_dropped = _grade(job)
    if not engagement and not grade:
        raise NotAvailable(
            "no outcome with enough answers on two drivers or more",
            "geen uitkomst met genoeg antwoorden op twee drijfveren of meer",
        )
    job.out["drivers"] = Drivers(
        engagement=engagement,
        engagement_r2=engagement_r2,
        grade=grade,
        grade_r2=grade_r2,
        grade_n_dropped=grade_dropped,
    )
