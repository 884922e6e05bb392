"""Generate ``panel.csv``: a small synthetic unit panel for the linkage tests.

200 units measured in 3 waves. Each unit has a stable trait for engagement and for
the customer score (random intercepts, correlated 0.5) plus within-unit deviations
that follow a cross-lagged process: engagement at wave t raises the customer score
at t+1 (0.30), the reverse path is small (0.05), both autoregressions are 0.40.

Run from the repository root to regenerate (the file is committed; the tests and the
R scripts in ``tests/analysis/r/`` read the committed file)::

    uv run python tests/analysis/data/make_panel.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def make_panel(n_units: int = 200, n_waves: int = 3, seed: int = 20260) -> pd.DataFrame:
    """Long panel with columns unit, wave, engagement, customer."""
    rng = np.random.default_rng(seed)
    between = rng.multivariate_normal([0.0, 0.0], [[0.5, 0.25], [0.25, 0.5]], size=n_units)
    wx = np.empty((n_units, n_waves))
    wy = np.empty((n_units, n_waves))
    first = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.3], [0.3, 1.0]], size=n_units)
    wx[:, 0], wy[:, 0] = first[:, 0], first[:, 1]
    for t in range(1, n_waves):
        shock = rng.multivariate_normal([0.0, 0.0], [[0.7, 0.15], [0.15, 0.7]], size=n_units)
        wx[:, t] = 0.40 * wx[:, t - 1] + 0.05 * wy[:, t - 1] + shock[:, 0]
        wy[:, t] = 0.30 * wx[:, t - 1] + 0.40 * wy[:, t - 1] + shock[:, 1]
    rows = []
    for i in range(n_units):
        for t in range(n_waves):
            rows.append(
                {
                    "unit": f"u{i + 1:03d}",
                    "wave": t + 1,
                    "engagement": round(3.5 + 0.1 * t + between[i, 0] + wx[i, t], 3),
                    "customer": round(7.2 + 0.05 * t + between[i, 1] + wy[i, t], 3),
                }
            )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    out = Path(__file__).with_name("panel.csv")
    make_panel().to_csv(out, index=False)
    print(f"wrote {out}")
