"""The facts of one wave that the ground truth records, per location and per small unit.

:func:`location_facts` gives each location's latent climate, expected and observed
grade, customers, the role groups' measured engagement and the respondents;
:func:`small_units` the teams and locations whose respondents number 1 to
``PRIVACY_MINIMUM - 1``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.demo.data import PRIVACY_MINIMUM
from spiegel.demo.organisation import Organisation

__all__ = ["location_facts", "location_respondents", "small_units", "team_location"]


def location_facts(
    wave: str,
    org: Organisation,
    burnout: np.ndarray,
    climate: dict[str, np.ndarray],
    expected_grade: np.ndarray,
    mean_grade: np.ndarray,
    customers: np.ndarray,
    engagement: dict[str, np.ndarray],
    respondents: np.ndarray,
) -> pd.DataFrame:
    """One row per location (see ``GroundTruth.locations``)."""
    n_loc = org.n_locations
    return pd.DataFrame(
        {
            "unit": org.location_codes,
            "wave": wave,
            "burnout": np.isin(np.arange(n_loc), burnout),
            "climate_engagement": climate["engagement"],
            "climate_dissonance": climate["dissonance"],
            "climate_exhaustion": climate["exhaustion"],
            "climate_recovery": climate.get("recovery", np.full(n_loc, np.nan)),
            "expected_grade": expected_grade,
            "mean_grade": mean_grade,
            "customers": customers,
            "front_line_engagement": engagement["front_line"],
            "manager_engagement": engagement["manager"],
            "senior_management_engagement": engagement["senior_management"],
            "back_office_engagement": engagement["back_office"],
            "respondents": respondents,
        }
    )


def small_units(
    wave: str,
    org: Organisation,
    team_location: np.ndarray,
    respond: np.ndarray,
    location_respondents: np.ndarray,
) -> pd.DataFrame:
    """The teams and locations with 1 to ``PRIVACY_MINIMUM - 1`` respondents in ``wave``.

    ``team_location`` is :func:`team_location`'s result, ``respond`` tells which employees
    responded, ``location_respondents`` is :func:`location_respondents`'s result.
    """
    n_loc = org.n_locations
    unit_codes = org.units["code"].to_numpy()
    is_team = org.units["kind"].to_numpy() == "team"
    team_n = np.bincount(org.emp_unit[respond], minlength=len(unit_codes))[is_team]
    return pd.DataFrame(
        {
            "unit": np.concatenate([unit_codes[is_team], org.location_codes]),
            "kind": ["team"] * int(is_team.sum()) + ["location"] * n_loc,
            "wave": wave,
            "respondents": np.concatenate([team_n, location_respondents]),
            "location": np.concatenate(
                [org.location_codes[team_location[is_team]], org.location_codes]
            ),
        }
    ).query(f"respondents > 0 and respondents < {PRIVACY_MINIMUM}")


def location_respondents(org: Organisation, respond: np.ndarray) -> np.ndarray:
    """The number of responding staff of each location."""
    is_location_staff = org.emp_location >= 0
    return np.bincount(org.emp_location[respond & is_location_staff], minlength=org.n_locations)


def team_location(org: Organisation) -> np.ndarray:
    """For each unit row: the location index of a team (or location), else -1."""
    codes = org.units["code"].to_numpy()
    parent = org.units["parent"].to_numpy()
    loc_index = {c: i for i, c in enumerate(org.location_codes)}
    out = np.full(codes.size, -1)
    for row, (code, par) in enumerate(zip(codes, parent, strict=True)):
        if code in loc_index:
            out[row] = loc_index[code]
        elif par in loc_index:
            out[row] = loc_index[par]
    return out
