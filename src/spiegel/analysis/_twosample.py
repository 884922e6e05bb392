"""Two-sample comparisons shared by the mirror and risk analyses (Welch t-test, Cohen's d)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

_NAN = float("nan")


@dataclass(frozen=True)
class WelchArrays:
    """Welch t-tests of many pairs of groups at once (difference ``mean_x - mean_y``)."""

    difference: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    d: np.ndarray


def welch_from_moments(
    n_x: np.ndarray,
    mean_x: np.ndarray,
    var_x: np.ndarray,
    n_y: np.ndarray,
    mean_y: np.ndarray,
    var_y: np.ndarray,
    level: float = 0.95,
) -> WelchArrays:
    """Welch's unequal-variance t-test, as R ``t.test(x, y)``, from group moments.

    Works element-wise on arrays (one element per pair of groups). Test statistics are
    NaN when either group has fewer than two values or when both are (essentially)
    constant, the case in which R stops with "data are essentially constant". Cohen's d
    uses the pooled standard deviation and is NaN when that is zero or undefined.
    """
    n_x = np.asarray(n_x, dtype=float)
    n_y = np.asarray(n_y, dtype=float)
    mean_x = np.asarray(mean_x, dtype=float)
    mean_y = np.asarray(mean_y, dtype=float)
    var_x = np.asarray(var_x, dtype=float)
    var_y = np.asarray(var_y, dtype=float)
    enough = (n_x >= 2) & (n_y >= 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = mean_x - mean_y
        vx = np.where(enough, var_x / n_x, np.nan)
        vy = np.where(enough, var_y / n_y, np.nan)
        se = np.sqrt(vx + vy)
        # Same guard as R's stats:::t.test.default.
        scale = np.maximum(np.abs(mean_x), np.abs(mean_y))
        testable = enough & (se > 0) & ~(se < 10 * np.finfo(float).eps * scale)
        se = np.where(testable, se, np.nan)
        df = (vx + vy) ** 2 / (vx**2 / (n_x - 1) + vy**2 / (n_y - 1))
        df = np.where(testable, df, np.nan)
        t = diff / se
        p = 2 * stats.t.sf(np.abs(t), df)
        q = stats.t.ppf(1 - (1 - level) / 2, df)
        pooled = ((n_x - 1) * var_x + (n_y - 1) * var_y) / (n_x + n_y - 2)
        d = np.where(enough & (pooled > 0), diff / np.sqrt(pooled), np.nan)
    return WelchArrays(diff, t, df, p, diff - q * se, diff + q * se, d)


@dataclass(frozen=True)
class WelchResult:
    """Welch two-sample t-test of ``x`` against ``y`` (difference ``mean(x) - mean(y)``)."""

    n_x: int
    mean_x: float
    sd_x: float
    n_y: int
    mean_y: float
    sd_y: float
    difference: float
    t: float
    df: float
    p: float
    ci_low: float
    ci_high: float
    d: float


def welch_test(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> WelchResult:
    """Welch's t-test of two samples (see :func:`welch_from_moments`)."""
    mean_x = float(x.mean()) if x.size else _NAN
    mean_y = float(y.mean()) if y.size else _NAN
    var_x = float(x.var(ddof=1)) if x.size >= 2 else _NAN
    var_y = float(y.var(ddof=1)) if y.size >= 2 else _NAN
    res = welch_from_moments(
        np.array([x.size]), np.array([mean_x]), np.array([var_x]),
        np.array([y.size]), np.array([mean_y]), np.array([var_y]), level,
    )  # fmt: skip
    return WelchResult(
        int(x.size), mean_x, math.sqrt(var_x), int(y.size), mean_y, math.sqrt(var_y),
        float(res.difference[0]), float(res.t[0]), float(res.df[0]), float(res.p[0]),
        float(res.ci_low[0]), float(res.ci_high[0]), float(res.d[0]),
    )  # fmt: skip
