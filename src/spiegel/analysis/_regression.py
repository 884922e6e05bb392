"""Least-squares helpers shared by the linkage functions: weights and coefficient tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

COEF_COLUMNS = ["estimate", "se", "t", "p", "ci_low", "ci_high"]


def positive_weights(frame: pd.DataFrame, weights: str | None, what: str) -> np.ndarray:
    if weights is None:
        return np.ones(len(frame))
    w = frame[weights].to_numpy(dtype=float)
    if np.any(w <= 0):
        raise ValueError(f"{what}: weights column {weights!r} must be positive")
    return w


def coef_table(
    names: Sequence[str], est: np.ndarray, se: np.ndarray, df: float, level: float
) -> pd.DataFrame:
    tval = est / se
    p = 2.0 * stats.t.sf(np.abs(tval), df)
    q = float(stats.t.ppf(0.5 + level / 2, df))
    return pd.DataFrame(
        {
            "estimate": est,
            "se": se,
            "t": tval,
            "p": p,
            "ci_low": est - q * se,
            "ci_high": est + q * se,
        },
        index=pd.Index(list(names), name="term"),
    )
