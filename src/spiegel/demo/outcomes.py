"""The outcome figures of each location and wave: absenteeism and turnover (percent).

Both follow the location's latent climate: absenteeism rises with exhaustion, turnover
falls with engagement and rises with exhaustion (coefficients in
:class:`spiegel.demo.truth.Truth`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.demo.organisation import Organisation
from spiegel.demo.truth import Truth

__all__ = ["outcomes"]


def outcomes(
    wave: str,
    org: Organisation,
    climate: dict[str, np.ndarray],
    truth: Truth,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Long form: ``unit``, ``period``, ``metric`` (``absenteeism``, ``turnover``), ``value``."""
    n = org.n_locations
    absent = (
        truth.absenteeism_base
        + truth.absenteeism_per_exhaustion * climate["exhaustion"]
        + rng.normal(0.0, truth.absenteeism_sd, n)
    )
    turnover = (
        truth.turnover_base
        + truth.turnover_per_engagement * climate["engagement"]
        + truth.turnover_per_exhaustion * climate["exhaustion"]
        + rng.normal(0.0, truth.turnover_sd, n)
    )
    return pd.DataFrame(
        {
            "unit": np.tile(org.location_codes, 2),
            "period": wave,
            "metric": np.repeat(["absenteeism", "turnover"], n),
            "value": np.round(
                np.concatenate([np.clip(absent, 0.3, None), np.clip(turnover, 0.0, None)]), 1
            ),
        }
    )
