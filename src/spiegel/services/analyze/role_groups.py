"""The link of each role group's engagement with the customer grade.

Naive: the grade on each role group's observed mean engagement per location. Corrected:
the same with each mean replaced by its empirical-Bayes estimate, because a role group of
one or two people per location (a location has one manager) gives means that are mostly
noise, which flattens the naive slopes (``spiegel.analysis.corrected_role_group_linkage``).
The role groups' figures per location are never shown; only these organisation-wide
slopes and, for role groups whose own figures pass the gate, how reliable their means are.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from spiegel import analysis as A
from spiegel.results import (
    CorrectedCoefficient,
    CorrectedRoleGroupLinkage,
    RoleGroupLinkage,
    RoleReliability,
)
from spiegel.services.analyze.drivers import records
from spiegel.services.analyze.job import ENGAGEMENT, ROLE_GROUPS, Job
from spiegel.services.dataset import ancestors
from spiegel.services.jsonable import jsonable
from spiegel.services.unit_tables import expand_to_ancestors

LAGGED = "grade at t+1 on engagement at t, controlling for the grade at t"
SAME_WAVE = "same wave"
#: A role group enters the corrected model only when this many units measure it.
MIN_MEASURING_UNITS = 10


def role_engagement(job: Job) -> pd.DataFrame:
    """Engagement of each role group per location and wave.

    A role group present in the location (its teams included) is measured there. One that
    is not (senior management, back office) is measured over everyone in that role
    attached directly to the units above the location (its region, the organisation):
    their engagement applies to every location below them.
    """
    units = job.data.units
    emp = job.emp.dropna(subset=["role_group", ENGAGEMENT])
    expanded = expand_to_ancestors(emp[["unit_id", "wave", "role_group", ENGAGEMENT]], units)
    inside = expanded.groupby(["group_unit", "wave", "role_group"])[ENGAGEMENT].mean().to_dict()
    direct = emp.groupby(["unit_id", "wave", "role_group"])[ENGAGEMENT].agg(["sum", "count"])
    direct_lookup = {k: (float(v["sum"]), int(v["count"])) for k, v in direct.iterrows()}
    chains = ancestors(units)
    loc_ids = sorted({int(x) for x in job.emp["location"].dropna()})
    rows = []
    for wave in job.data.waves:
        for loc in loc_ids:
            row: dict[str, object] = {"location": loc, "wave": wave}
            for role in ROLE_GROUPS:
                value = inside.get((loc, wave, role), np.nan)
                if np.isnan(value):
                    above = [direct_lookup.get((a, wave, role)) for a in chains[loc][:-1]]
                    total = sum(x[0] for x in above if x)
                    count = sum(x[1] for x in above if x)
                    value = total / count if count else np.nan
                row[f"eng_{role}"] = value
            rows.append(row)
    return pd.DataFrame(rows).set_index(["location", "wave"])


def _rows(job: Job, panel: pd.DataFrame) -> tuple[pd.DataFrame, str, str, list[str]]:
    """The location rows of the model: (rows, outcome, estimand, covariates)."""
    waves = job.data.waves
    if len(waves) < 2:
        return panel[panel["wave"] == job.latest], "grade", SAME_WAVE, []
    following = dict(itertools.pairwise(waves))
    now = panel[panel["wave"].isin(following)].copy()
    now["next_wave"] = now["wave"].map(following)
    later = panel[["location", "wave", "grade"]].rename(
        columns={"wave": "next_wave", "grade": "grade_next"}
    )
    return now.merge(later, on=["location", "next_wave"]), "grade_next", LAGGED, ["grade"]


def naive(job: Job, panel: pd.DataFrame) -> tuple[RoleGroupLinkage, str]:
    """The grade on the observed engagement of each role group, as separate predictors:
    with two waves or more the grade at t+1 on each role group at t and the grade at t,
    pooled over consecutive waves (the lagged form, which is how the effect works); with
    one wave the grade on engagement in the same wave."""
    rows, outcome, estimand, covariates = _rows(job, panel)
    roles = [f"eng_{r}" for r in ROLE_GROUPS]
    rows = rows.dropna(subset=[*roles, *covariates, outcome])
    found = A.role_group_linkage(rows, [*roles, *covariates], outcome)
    return RoleGroupLinkage.model_validate(jsonable(found)), estimand


def corrected(job: Job, panel: pd.DataFrame) -> CorrectedRoleGroupLinkage:
    """The role-group linkage with each group's unit mean calibrated for its reliability."""
    rows, outcome, _estimand, covariates = _rows(job, panel)
    rows = rows.dropna(subset=[outcome, *covariates]).rename(columns={"location": "unit"})
    emp = job.emp.dropna(subset=["role_group", ENGAGEMENT])
    # The unit whose mean a person's answer enters: their location, or the unit above the
    # locations they are attached to (a region's senior managers).
    measured_by = emp["location"].where(emp["location"].notna(), emp["unit_id"])
    people = pd.DataFrame(
        {
            "unit": measured_by.astype(int).to_numpy(),
            "wave": emp["wave"].astype(str).to_numpy(),
            "role_group": emp["role_group"].astype(str).to_numpy(),
            "engagement": emp[ENGAGEMENT].to_numpy(float),
        }
    )
    present = set(zip(people["unit"], people["wave"], people["role_group"], strict=True))
    chains = ancestors(job.data.units)
    sizes = people.groupby(["role_group", "wave", "unit"]).size()
    kept, few_units, single = [], [], []
    for role in ROLE_GROUPS:
        sources = [
            next((a for a in reversed(chains[int(u)]) if (a, str(w), role) in present), np.nan)
            for u, w in zip(rows["unit"], rows["wave"], strict=True)
        ]
        rows[f"src_{role}"] = sources
        of_role = sizes[sizes.index.get_level_values("role_group") == role]
        pairs = (of_role >= 2).groupby(level="wave").sum()
        if pd.Series(sources).nunique() < MIN_MEASURING_UNITS:
            few_units.append(role)
        elif len(pairs) < len(set(rows["wave"])) or int(pairs.min()) < 2:
            single.append(role)  # one person per unit: reliability cannot be estimated
        else:
            kept.append(role)
    _note_left_out(job, few_units, single)
    if not kept:
        raise ValueError("no role group can be corrected")
    rows = rows.dropna(subset=[f"src_{r}" for r in kept])
    for role in kept:
        rows[f"src_{role}"] = rows[f"src_{role}"].astype(int)
    found = A.corrected_role_group_linkage(
        people[people["role_group"].isin(kept)],
        rows,
        outcome,
        roles=kept,
        covariates=covariates,
        sources={r: f"src_{r}" for r in kept},
        n_boot=job.n_boot,
    )
    table = job.figures.get("employee")
    root = job.root
    shown = [
        r
        for r in records(found.reliability)
        if table is not None
        and root is not None
        and table.shown(root, str(r["wave"]), ENGAGEMENT, str(r["role"]))
    ]
    return CorrectedRoleGroupLinkage(
        coefficients=[
            CorrectedCoefficient.model_validate(r)
            for r in records(found.coefficients.reset_index())
        ],
        reliability=[RoleReliability.model_validate(_reliability(r)) for r in shown],
        intercept=found.intercept,
        naive_intercept=found.naive_intercept,
        r2=found.r2,
        naive_r2=found.naive_r2,
        n_units=found.n_units,
        n_clusters=found.n_clusters,
        n_dropped=found.n_dropped,
        n_boot=found.n_boot,
        n_boot_failed=found.n_boot_failed,
        level=found.level,
        problem=found.problem,
        left_out=[*few_units, *single],
    )


def _reliability(row: dict[str, object]) -> dict[str, object]:
    """The fields of a reliability row that say nothing about the group's own answers
    (its mean and variances are left out)."""
    renamed = {"role_group" if k == "role" else k: v for k, v in row.items()}
    return {k: v for k, v in renamed.items() if k in RoleReliability.model_fields}


def _note_left_out(job: Job, few_units: list[str], single: list[str]) -> None:
    if few_units:
        names = ", ".join(few_units)
        job.note(
            f"by role group, corrected for small groups: left out {names}, measured in fewer "
            f"than {MIN_MEASURING_UNITS} units",
            f"per rolgroep, gecorrigeerd voor kleine groepen: {names} weggelaten, in minder "
            f"dan {MIN_MEASURING_UNITS} eenheden gemeten",
        )
    if single:
        names = ", ".join(single)
        job.note(
            f"by role group, corrected for small groups: left out {names}, one person per "
            "unit, so how much of a unit's mean is chance cannot be estimated; their naive "
            "slope is flattened by an unknown amount",
            f"per rolgroep, gecorrigeerd voor kleine groepen: {names} weggelaten, één persoon "
            "per eenheid, dus hoeveel van een gemiddelde toeval is valt niet te schatten; "
            "hun gewone helling is in onbekende mate afgevlakt",
        )
