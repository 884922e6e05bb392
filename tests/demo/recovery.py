"""Analysis of a generated organisation with the ``spiegel.analysis`` functions.

Shared by the ground-truth recovery test: from the generated *frames* (as a user would
have them after an import) to unit-level role-group engagement, mean grades, and the
lagged, role-group and driver analyses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from spiegel.analysis import (
    aggregate_units,
    lagged_linkage,
    relative_importance,
    role_group_linkage,
    score_scales,
)
from spiegel.demo import DemoData
from spiegel.demo.population import driver_scores, engagement_spec
from spiegel.instruments import get_instrument

ROLE_COLUMNS = ("senior_management", "front_line", "manager", "back_office")


def _unit_maps(units: pd.DataFrame) -> tuple[dict[str, str], dict[str, str], str]:
    """unit code -> location code (teams and locations); location -> region; root code."""
    kind = dict(zip(units["code"], units["kind"], strict=True))
    parent = dict(zip(units["code"], units["parent"], strict=True))
    location_of = {}
    for code, k in kind.items():
        if k == "location":
            location_of[code] = code
        elif k == "team":
            location_of[code] = parent[code]
    region_of = {c: parent[c] for c, k in kind.items() if k == "location"}
    root = next(c for c, k in kind.items() if k == "organisation")
    return location_of, region_of, root


def location_panel(data: DemoData) -> pd.DataFrame:
    """One row per location and wave: measured engagement per role group and mean grade.

    Front line and manager: the location's own respondents. Senior management: the
    respondents of the location's region together with those of the organisation (they
    lead all locations under them). Back office: the respondents of the region's office.
    """
    instrument = get_instrument(data.config.employee_instrument)
    spec = {"engagement": engagement_spec(instrument)}
    location_of, region_of, root = _unit_maps(data.units)
    regions = sorted(set(region_of.values()))
    rows = []
    for wave in data.wave_names:
        frame = data.employee_responses[wave]
        scores = frame[["unit", "role_group"]].assign(
            engagement=score_scales(frame, spec)["engagement"]
        )
        scores["location"] = scores["unit"].map(location_of)
        parts = {}
        for role in ("front_line", "manager"):
            own = scores[(scores["role_group"] == role) & scores["location"].notna()]
            parts[role] = aggregate_units(own, "location", "engagement")["mean"]
        for role in ("senior_management", "back_office"):
            staff = scores[scores["role_group"] == role]
            # Senior management of the organisation leads every region; the central
            # office's back office is not attached to any region's locations.
            central = staff[staff["unit"] == root] if role == "senior_management" else staff[:0]
            stacked = pd.concat(
                [staff[staff["unit"] == r].assign(region=r) for r in regions]
                + [central.assign(region=r) for r in regions]
            )
            per_region = aggregate_units(stacked, "region", "engagement")["mean"]
            parts[role] = pd.Series(region_of).map(per_region)
        grades = aggregate_units(data.customer_responses[wave], "unit", "overall_grade")
        panel = pd.DataFrame(parts)
        panel["grade"] = grades["mean"]
        panel["customers"] = grades["n"]
        panel.index.name = "unit"
        rows.append(panel.reset_index().assign(wave=wave))
    return pd.concat(rows, ignore_index=True)


def lagged_pairs(panel: pd.DataFrame) -> pd.DataFrame:
    """Consecutive-wave pairs: role-group engagement and grade at t, grade at t+1."""
    waves = sorted(panel["wave"].unique())
    nxt = dict(itertools.pairwise(waves))
    now = panel[panel["wave"].isin(nxt)].copy()
    now["next_wave"] = now["wave"].map(nxt)
    later = panel[["unit", "wave", "grade"]].rename(
        columns={"wave": "next_wave", "grade": "grade_next"}
    )
    return now.merge(later, on=["unit", "next_wave"], how="inner")


@dataclass(frozen=True)
class Recovery:
    """The estimates of one generated organisation."""

    roles: pd.DataFrame  # lagged regression: estimate, se, ci_low, ci_high per column
    simple_lagged: pd.Series  # lagged_linkage front-line row: estimate, ci_low, ci_high
    drivers: pd.DataFrame  # relative_importance result


def analyse(data: DemoData, n_boot: int = 400) -> Recovery:
    """Run the lagged regressions and the driver analysis on ``data``.

    The lagged regression is ``role_group_linkage`` of the grade at t+1 on the four role
    groups' engagement at t and the grade at t (the lagged grade as a fifth column).
    """
    panel = location_panel(data)
    pairs = lagged_pairs(panel)
    roles = role_group_linkage(pairs, [*ROLE_COLUMNS, "grade"], "grade_next")
    simple = lagged_linkage(panel, x="front_line", y="grade", wave="wave", unit="unit")
    instrument = get_instrument(data.config.employee_instrument)
    truth = data.truth.params
    first = data.employee_responses[data.wave_names[0]]
    scores = driver_scores(first, instrument, truth)
    drivers = relative_importance(
        scores, "engagement", list(truth.driver_names), n_boot=n_boot, seed=data.config.seed
    )
    return Recovery(
        roles=roles.coefficients[["estimate", "se", "ci_low", "ci_high"]],
        simple_lagged=simple.coefficients.loc["front_line", ["estimate", "ci_low", "ci_high"]],
        drivers=drivers,
    )
