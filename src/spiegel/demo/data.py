"""What the demo generator returns: its configuration, the ground truth, the data.

:class:`DemoConfig` is the size and shape asked for, :class:`GroundTruth` the
parameters plus the facts the seed decided (with :meth:`GroundTruth.to_dict`, what
``ground_truth.json`` holds), :class:`DemoData` the generated organisation with its
answers and outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.demo.truth import Truth

__all__ = ["PRIVACY_MINIMUM", "DemoConfig", "DemoData", "GroundTruth"]

#: The reporting minimum the demo's small units are measured against.
PRIVACY_MINIMUM = 5


@dataclass(frozen=True)
class DemoConfig:
    """The size and shape of a generated organisation (regions default to locations/20)."""

    seed: int = 0
    employees: int = 1200
    locations: int = 80
    regions: int = 4
    customers_per_wave: int = 10_000
    waves: int = 4
    first_wave: str = "2025-H1"
    employee_instrument: str = "employee"
    customer_instrument: str = "customer"


@dataclass(frozen=True)
class GroundTruth:
    """What the generator put in: parameters plus the facts the seed decided.

    Attributes
    ----------
    params : Truth
        The parameters of the data-generating process.
    config : DemoConfig
    organisation : str
    waves : tuple of str
    reference_engagement : mapping
        :math:`r_g`, the first-wave mean measured engagement of each role group over
        locations; the lagged equation is centred at these.
    intercept : float
        The intercept of the lagged equation written without centring:
        :math:`m_{u,t+1} = a + \\rho\\,\\bar y_{u,t} + \\sum_g \\beta_g E_{g,u,t} + e`.
    items : DataFrame
        Measurement parameters of every generated agreement item.
    locations : DataFrame
        Per location and wave: latent climate engagement, dissonance, exhaustion and
        recovery; the expected grade :math:`m_{u,t}`; the observed mean grade and number
        of customers; the measured engagement of each role group used by the lagged
        equation; respondents; burn-out flag.
    mirror : DataFrame
        Every designated blind spot and hidden strength: location, customer item,
        employee item, ``kind`` and ``gap`` (customers' expected mean minus employees'
        expected mean prediction, the sign of ``spiegel.analysis.mirror_gaps``).
    burnout_locations : tuple of str
    small_units : DataFrame
        Teams and locations with 1 to ``PRIVACY_MINIMUM - 1`` respondents, per wave.
    response_rates : mapping
        Realised employee response rate per wave.
    """

    params: Truth
    config: DemoConfig
    organisation: str
    waves: tuple[str, ...]
    reference_engagement: Mapping[str, float]
    intercept: float
    items: pd.DataFrame
    locations: pd.DataFrame
    mirror: pd.DataFrame
    burnout_locations: tuple[str, ...]
    small_units: pd.DataFrame
    response_rates: Mapping[str, float]

    def to_dict(self, population: pd.DataFrame | None = None) -> dict[str, object]:
        """JSON-ready dictionary: what ``ground_truth.json`` holds.

        ``population`` is :func:`spiegel.demo.population.population_driver_importance`'s
        result, added under ``drivers.population`` when given.
        """
        p = self.params
        drivers: dict[str, object] = {
            "outcome": "latent engagement",
            "standardised_weights": dict(p.driver_weight_map),
            "top_three": list(p.top_drivers),
            "workload_curvature": p.workload_curvature,
            "explained_variance": round(p.explained_variance, 10),
        }
        if population is not None:
            drivers["population"] = {
                "outcome": "observed engagement score (mean of the engagement items)",
                "predictors": "observed driver scale scores",
                "wave": self.waves[0],
                "r2": round(float(population.attrs["r2"]), 6),
                "general_dominance": {
                    str(k): round(float(v), 6) for k, v in population["general_dominance"].items()
                },
                "share": {str(k): round(float(v), 6) for k, v in population["share"].items()},
                "computed_from_respondents": int(population.attrs["n"]),
            }
        return {
            "organisation": self.organisation,
            "config": self.config.__dict__.copy(),
            "waves": list(self.waves),
            "parameters": p.to_dict(),
            "linkage": {
                "outcome": "mean customer grade of a location at wave t+1",
                "equation": (
                    "m[u,t+1] = grade_mean + grade_persistence * (mean_grade[u,t] - "
                    "grade_mean) + sum_g role_weights[g] * (E[g,u,t] - "
                    "reference_engagement[g]) + N(0, grade_shock_sd^2)"
                ),
                "role_weights": dict(p.role_weight_map),
                "role_order": list(p.role_order),
                "lagged_effect": {"role_group": "front_line", "coefficient": p.lagged_effect},
                "grade_persistence": p.grade_persistence,
                "intercept": self.intercept,
                "reference_engagement": dict(self.reference_engagement),
                "estimated_by": (
                    "the lagged regression of the mean grade at t+1 on the four role groups' "
                    "measured engagement at t and the mean grade at t, over location x "
                    "consecutive-wave pairs (correctly specified: its coefficients are "
                    "role_weights and grade_persistence)"
                ),
                "note": (
                    "a lagged regression on front-line engagement alone (lagged_linkage) "
                    "omits the other role groups, whose engagement persists over waves; its "
                    "estimand is smaller than the front-line weight"
                ),
                "engagement_measure": (
                    "mean over the role group's respondents of the mean of their answered "
                    "engagement items (vigor, dedication, absorption), reverse keying applied; "
                    "senior_management: the region's and the organisation's; back_office: "
                    "the region office's"
                ),
            },
            "drivers": drivers,
            "mirror": {
                "general_bias": p.mirror_bias,
                "gap_sign": "customers' mean minus employees' mean prediction",
                "designated": _records(self.mirror),
            },
            "burnout": {
                "locations": [str(u) for u in self.burnout_locations],
                "from_wave": self.waves[min(p.burnout_start, len(self.waves) - 1)],
            },
            "small_units": _records(self.small_units),
            "response_rates": dict(self.response_rates),
            "items": _records(self.items),
            "locations": _records(self.locations),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, object] = {}
        for k, v in row.items():
            if isinstance(v, float | np.floating):
                clean[str(k)] = None if np.isnan(v) else round(float(v), 6)
            elif isinstance(v, np.integer):
                clean[str(k)] = int(v)
            elif isinstance(v, np.bool_):
                clean[str(k)] = bool(v)
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


@dataclass(frozen=True)
class DemoData:
    """A generated organisation with its answers, outcomes and ground truth.

    Attributes
    ----------
    config : DemoConfig
    units : DataFrame
        ``code``, ``name``, ``parent``, ``kind``, ``unit_type``.
    employees : DataFrame
        ``key``, ``unit``, ``role_group``.
    waves : DataFrame
        ``name``, ``starts_on``, ``ends_on``.
    employee_responses, customer_responses : mapping of wave name to DataFrame
        One row per respondent: ``respondent_id``, ``unit``, (employees:
        ``role_group``), ``wave``, then one column per instrument item in questionnaire
        order (numbers as float with NaN for a skipped item, open text as str or None).
    outcomes : DataFrame
        ``unit``, ``period``, ``metric`` (``absenteeism``, ``turnover``; percent),
        ``value``.
    truth : GroundTruth
    """

    config: DemoConfig
    units: pd.DataFrame
    employees: pd.DataFrame
    waves: pd.DataFrame
    employee_responses: Mapping[str, pd.DataFrame]
    customer_responses: Mapping[str, pd.DataFrame]
    outcomes: pd.DataFrame
    truth: GroundTruth
    employee_items: tuple[str, ...] = field(default=())
    customer_items: tuple[str, ...] = field(default=())

    @property
    def wave_names(self) -> tuple[str, ...]:
        """The waves in order."""
        return tuple(self.waves["name"])

    def all_employee_responses(self) -> pd.DataFrame:
        """Every wave's employee responses stacked (the ``wave`` column tells them apart)."""
        return pd.concat(list(self.employee_responses.values()), ignore_index=True)

    def all_customer_responses(self) -> pd.DataFrame:
        """Every wave's customer responses stacked."""
        return pd.concat(list(self.customer_responses.values()), ignore_index=True)
