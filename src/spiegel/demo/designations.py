"""The locations the seed designates: burn-out, blind spots and hidden strengths.

A burn-out location's climate drifts from ``truth.burnout_start`` on (more dissonance
and exhaustion, less recovery). At a blind spot employees rate some mirrored aspects
higher than customers will; at a hidden strength they rate one lower. The designations
are drawn once, before the first wave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spiegel.demo.customers import CustomerLayout
from spiegel.demo.employees import EmployeeLatents
from spiegel.demo.organisation import Organisation
from spiegel.demo.truth import Truth

__all__ = ["Designations", "burnout_drift", "designate"]

MIRROR_COLUMNS = ["unit", "customer_item", "employee_item", "kind", "gap"]


@dataclass(frozen=True)
class Designations:
    """What the seed decided about the locations (indices into the organisation's).

    Attributes
    ----------
    burnout : ndarray of int
        The burn-out locations, sorted.
    mirror_offset : ndarray, shape (L, A)
        How much higher than customers the employees of each location rate each
        mirrored aspect, on top of the general bias (0 where nothing is designated).
    blind_aspects : ndarray of int, shape (L, B)
        The aspects that are blind spots at each location (-1 for none).
    mirror : DataFrame
        One row per designated blind spot and hidden strength (``GroundTruth.mirror``).
    """

    burnout: np.ndarray
    mirror_offset: np.ndarray
    blind_aspects: np.ndarray
    mirror: pd.DataFrame


def designate(
    org: Organisation, layout: CustomerLayout, truth: Truth, rng: np.random.Generator
) -> Designations:
    """Draw the burn-out locations, the blind spots and the hidden strengths."""
    n_loc = org.n_locations
    order = rng.permutation(n_loc)
    n_burn = max(1, round(truth.burnout_share * n_loc))
    n_blind = max(1, round(truth.blind_spot_share * n_loc))
    n_hidden = max(1, round(truth.hidden_strength_share * n_loc)) if n_loc > 2 else 0
    burn = np.sort(order[:n_burn])
    blind = np.sort(order[n_burn : n_burn + n_blind])
    hidden = np.sort(order[n_burn + n_blind : n_burn + n_blind + n_hidden])
    n_asp = len(layout.aspects)
    mirror_offset = np.zeros((n_loc, n_asp))
    blind_aspects = np.full((n_loc, max(1, truth.blind_spot_aspects)), -1)
    mirror_rows: list[dict[str, object]] = []
    if n_asp:
        for u in blind:
            k = min(truth.blind_spot_aspects, n_asp)
            chosen = np.sort(rng.choice(n_asp, size=k, replace=False))
            mirror_offset[u, chosen] = truth.blind_spot_gap
            blind_aspects[u, :k] = chosen
        for u in hidden:
            a = int(rng.integers(0, n_asp))
            mirror_offset[u, a] = truth.hidden_strength_gap
        for u, a in zip(*np.nonzero(mirror_offset), strict=True):
            mirror_rows.append(
                {
                    "unit": org.location_codes[u],
                    "customer_item": layout.aspects[a],
                    "employee_item": layout.aspect_predictors[a],
                    "kind": "blind_spot" if mirror_offset[u, a] > 0 else "hidden_strength",
                    "gap": -(truth.mirror_bias + mirror_offset[u, a]),
                }
            )
    return Designations(
        burnout=burn,
        mirror_offset=mirror_offset,
        blind_aspects=blind_aspects,
        mirror=pd.DataFrame(mirror_rows, columns=MIRROR_COLUMNS),
    )


def burnout_drift(latents: EmployeeLatents, burnout: np.ndarray, truth: Truth) -> np.ndarray:
    """The per-wave drift of every climate group's parts: non-zero at burn-out locations."""
    k = latents.k
    drift = np.zeros_like(latents.climate)
    drift[burnout, k] = truth.burnout_drift_dissonance
    drift[burnout, k + 1] = truth.burnout_drift_exhaustion / latents.strain_coef[k + 1]
    if latents.i_recovery >= 0:
        drift[burnout, latents.i_recovery] = truth.burnout_drift_recovery
    return drift
