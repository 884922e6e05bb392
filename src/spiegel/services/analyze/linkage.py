"""Steps that link employees and customers across locations and over time.

Only location figures that passed the privacy gate enter these models: a model's
estimates, with the points shown beside it, could otherwise be solved for a hidden
location's figures. The role-group model is the exception documented in
``docs/anonymity.md``: its inputs are never shown anywhere.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import statsmodels.api as sm

from spiegel import analysis as A
from spiegel.results import (
    CrossLagged,
    FitPoint,
    Lagged,
    Linkage,
    LinkagePoint,
    Multilevel,
    UnitLinkage,
)
from spiegel.services.analyze import role_groups
from spiegel.services.analyze.job import (
    ENGAGEMENT,
    GRADE_ITEM,
    Job,
    NotAvailable,
    enough_locations,
)
from spiegel.services.jsonable import jsonable


def location_panel(job: Job) -> None:
    """Per location and wave: shown engagement and grade, counts, role-group engagement."""
    if job.emp.empty or job.cust.empty:
        raise NotAvailable(
            "linking needs an employee and a customer survey",
            "koppelen vraagt om een medewerkers- en een klantenquête",
        )
    job.require_engagement()
    job.require_grade()
    if not job.location_ids:
        raise NotAvailable(
            "linking compares locations; the organisation has none",
            "koppelen vergelijkt locaties; de organisatie heeft er geen",
        )
    emp = job.emp[job.emp["location"].notna()]
    e = emp.groupby(["location", "wave"]).agg(
        engagement=(ENGAGEMENT, "mean"), n_employees=(ENGAGEMENT, "size")
    )
    c = (
        job.cust[job.cust["location"].notna()]
        .groupby(["location", "wave"])
        .agg(grade=(GRADE_ITEM, "mean"), n_customers=(GRADE_ITEM, "size"))
    )
    panel = e.join(c, how="outer").reset_index()
    panel["location"] = panel["location"].astype(int)
    keys = list(zip(panel["location"], panel["wave"].astype(str), strict=True))
    engagement: dict[tuple[int, str], tuple[float, tuple[int, ...]]] = {}
    grade: dict[tuple[int, str], float] = {}
    for wave in job.data.waves:
        found = job.employee_at_locations(ENGAGEMENT, wave)
        engagement.update({(loc, wave): v for loc, v in found.items()})
        grades = job.shown_at_locations("customer", GRADE_ITEM, wave)
        grade.update({(loc, wave): v for loc, v in grades.items()})
    panel["engagement"] = [engagement[k][0] if k in engagement else np.nan for k in keys]
    panel["employee_units"] = [engagement[k][1] if k in engagement else () for k in keys]
    panel["grade"] = [grade.get(k, np.nan) for k in keys]
    # the counts go with the figures: the customers' always, the employees' only where
    # the location itself was measured
    panel.loc[panel["grade"].isna(), "n_customers"] = np.nan
    pairs = zip(panel["location"], panel["employee_units"], strict=True)
    own = [units == (loc,) for loc, units in pairs]
    panel.loc[~np.array(own, dtype=bool), "n_employees"] = np.nan
    panel = panel.join(role_groups.role_engagement(job), on=["location", "wave"])
    units = job.data.units.set_index("id")
    panel["name"] = panel["location"].map(units["name"])
    parent = panel["location"].map(units["parent_id"])
    panel["region"] = parent.map(lambda p: units.loc[int(p), "code"] if pd.notna(p) else None)
    job.locations = panel


def _panel(job: Job) -> pd.DataFrame:
    if job.locations.empty:
        raise NotAvailable(
            "linking needs an employee and a customer survey",
            "koppelen vraagt om een medewerkers- en een klantenquête",
        )
    return job.locations


def _latest(job: Job) -> pd.DataFrame:
    p = _panel(job)
    return p[p["wave"] == job.latest]


def linkage(job: Job) -> None:
    """Engagement against the grade across locations; the scatter, its line and band; the
    role groups."""
    latest = _latest(job).dropna(subset=["engagement", "grade"])
    enough_locations(latest, 5, "the link", "de koppeling")
    result = A.unit_linkage(latest, "engagement", "grade", weights="n_customers", n_boot=job.n_boot)
    columns = ("location", "name", "engagement", "grade", "n_customers", "employee_units")
    points = [
        LinkagePoint(
            location=loc,
            name=name,
            engagement=eng,
            grade=grade,
            n_customers=n,
            employee_units=[] if units == (loc,) else list(units),
        )
        for loc, name, eng, grade, n, units in zip(
            *(latest[c].tolist() for c in columns), strict=True
        )
    ]
    xs = np.linspace(latest["engagement"].min(), latest["engagement"].max(), 30)
    roles = role_model = corrected = None
    try:
        roles, role_model = role_groups.naive(job, _panel(job))
    except (ValueError, np.linalg.LinAlgError):
        job.note(
            "by role group: too few locations with every role group answered",
            "per rolgroep: te weinig locaties waar elke rolgroep antwoordde",
        )
    try:
        corrected = role_groups.corrected(job, _panel(job))
    except (ValueError, np.linalg.LinAlgError):
        job.note(
            "by role group, corrected for small groups: not available for these data",
            "per rolgroep, gecorrigeerd voor kleine groepen: niet beschikbaar voor deze gegevens",
        )
    job.out["linkage"] = Linkage(
        unit=UnitLinkage.model_validate(jsonable(result)),
        points=points,
        fit=[FitPoint.model_validate(r) for r in jsonable(_fit_band(latest, xs))],  # type: ignore[union-attr]
        role_groups=roles,
        role_groups_model=role_model,
        role_groups_corrected=corrected,
    )


def _fit_band(frame: pd.DataFrame, xs: np.ndarray) -> pd.DataFrame:
    X = sm.add_constant(frame["engagement"].to_numpy(float))
    w = frame["n_customers"].to_numpy(float)
    model = sm.WLS(frame["grade"].to_numpy(float), X, weights=w).fit()
    pred = model.get_prediction(sm.add_constant(xs)).summary_frame(alpha=0.05)
    return pd.DataFrame(
        {"x": xs, "fit": pred["mean"], "lo": pred["mean_ci_lower"], "hi": pred["mean_ci_upper"]}
    )


def _two_waves(job: Job, what: str, wat: str) -> pd.DataFrame:
    if len(job.data.waves) < 2:
        raise NotAvailable(
            f"{what} needs two waves or more", f"{wat} vraagt om twee metingen of meer"
        )
    panel = _panel(job)
    shown = panel.dropna(subset=["engagement", "grade"])
    following = dict(itertools.pairwise(job.data.waves))
    pairs = shown.assign(next_wave=shown["wave"].map(following)).merge(
        shown[["location", "wave"]].rename(columns={"wave": "next_wave"}),
        on=["location", "next_wave"],
    )
    if len(pairs) < 4:
        raise NotAvailable(
            f"{what} needs locations whose engagement and customer grade are shown in two "
            f"waves in a row; there are {len(pairs)} such pairs, at least 4 are needed",
            f"{wat} vraagt om locaties waarvan bevlogenheid en klantcijfer in twee "
            f"opeenvolgende metingen getoond worden; dat zijn er {len(pairs)}, nodig zijn "
            "er minstens 4",
        )
    return panel.rename(columns={"location": "unit"})


def lagged(job: Job) -> None:
    """Grade at t+1 on engagement at t, controlling for the grade at t."""
    panel = _two_waves(job, "the lagged effect", "het effect in de tijd")
    result = A.lagged_linkage(panel, "engagement", "grade", wave="wave", unit="unit")
    job.out["lagged"] = Lagged.model_validate(jsonable(result))


def cross_lagged(job: Job) -> None:
    """The cross-lagged panel model in both directions."""
    panel = _two_waves(job, "a cross-lagged panel model", "een cross-lagged panelmodel")
    complete = panel.dropna(subset=["engagement", "grade"]).groupby("unit")["wave"].nunique()
    n_complete, needed = int((complete == len(job.data.waves)).sum()), 2 * len(job.data.waves) + 2
    if n_complete < needed:
        raise NotAvailable(
            f"a cross-lagged panel model needs at least {needed} locations whose engagement "
            f"and customer grade are shown in every wave; there are {n_complete}",
            f"een cross-lagged panelmodel vraagt om minstens {needed} locaties waarvan "
            f"bevlogenheid en klantcijfer in elke meting getoond worden; dat zijn er "
            f"{n_complete}",
        )
    result = A.cross_lagged(
        panel[["unit", "wave", "engagement", "grade"]],
        "engagement",
        "grade",
        wave="wave",
        unit="unit",
    )
    out = jsonable(result)
    assert isinstance(out, dict)
    out.pop("parameters", None)
    out["waves"] = [str(w) for w in out["waves"]]  # type: ignore[union-attr]
    job.out["cross_lagged"] = CrossLagged.model_validate(out)


def multilevel(job: Job) -> None:
    """Customers nested in locations, with the location's engagement as predictor."""
    units = _latest(job).dropna(subset=["engagement", "grade"])[["location", "engagement"]]
    enough_locations(units, 5, "the multilevel model", "het multilevelmodel")
    latest_c = job.cust[
        (job.cust["wave"] == job.latest) & job.cust["location"].isin(units["location"])
    ]
    result = A.multilevel_linkage(
        latest_c[["location", GRADE_ITEM]], units, GRADE_ITEM, ["engagement"], "location"
    )
    job.out["multilevel"] = Multilevel.model_validate(jsonable(result))
