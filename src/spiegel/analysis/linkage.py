"""Linkage between unit engagement and a customer metric: correlation and regression.

Role-group, lagged and multilevel linkage live in :mod:`spiegel.analysis.role_linkage`,
:mod:`spiegel.analysis.lagged` and :mod:`spiegel.analysis.multilevel`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from spiegel.analysis._common import (
    check_level,
    drop_incomplete,
    require_columns,
    require_min_rows,
    require_numeric,
)
from spiegel.analysis._regression import coef_table, positive_weights

__all__ = ["LinkageResult", "unit_linkage"]


@dataclass(frozen=True)
class LinkageResult:
    """Association between a unit-level engagement score and a customer metric.

    Pearson ``r`` with Fisher-z interval, Spearman ``rho``, the (weighted) least
    squares line ``y = intercept + slope * x`` with its t interval and R², and a
    percentile bootstrap interval of the slope (``boot_ci_*``, NaN when ``n_boot`` is 0).
    """

    n_units: int
    n_dropped: int
    pearson_r: float
    pearson_p: float
    pearson_ci_low: float
    pearson_ci_high: float
    spearman_rho: float
    spearman_p: float
    intercept: float
    slope: float
    slope_se: float
    slope_p: float
    slope_ci_low: float
    slope_ci_high: float
    r2: float
    boot_ci_low: float
    boot_ci_high: float
    n_boot: int
    weighted: bool
    level: float


def _boot_slopes(x: np.ndarray, y: np.ndarray, w: np.ndarray, n_boot: int, seed: int) -> np.ndarray:
    """Weighted least-squares slopes of ``n_boot`` resamples of the rows."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    xb, yb, wb = x[idx], y[idx], w[idx]
    sw = wb.sum(axis=1, keepdims=True)
    xm = (wb * xb).sum(axis=1, keepdims=True) / sw
    ym = (wb * yb).sum(axis=1, keepdims=True) / sw
    sxx = (wb * (xb - xm) ** 2).sum(axis=1)
    sxy = (wb * (xb - xm) * (yb - ym)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slopes = sxy / sxx
    slopes[sxx <= 1e-12 * np.maximum(1.0, np.abs(xm[:, 0]) ** 2)] = np.nan
    out: np.ndarray = slopes
    return out


def unit_linkage(
    units: pd.DataFrame,
    x: str,
    y: str,
    weights: str | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> LinkageResult:
    r"""Correlation and regression of a customer metric on engagement across units.

    Pearson's :math:`r` with the Fisher-z interval and Spearman's :math:`\rho`, both
    unweighted; the (weighted) least-squares slope with its t interval; and a
    percentile bootstrap interval of the slope that resamples units:

    .. math::

        \tanh\!\Big(\operatorname{artanh} r \pm \frac{z_{1-\alpha/2}}{\sqrt{n-3}}\Big),
        \qquad
        \hat\beta = \frac{\sum w_i (x_i-\bar x_w)(y_i-\bar y_w)}{\sum w_i (x_i-\bar x_w)^2},
        \qquad
        \hat\beta \pm t_{1-\alpha/2,\,n-2}\,\mathrm{SE}(\hat\beta)

    The p-value of :math:`\rho` uses the t approximation
    :math:`t = \rho\sqrt{(n-2)/(1-\rho^2)}` (R's ``exact = FALSE``). Weights (e.g. the
    number of customer responses per unit) only enter the regression.

    Assumes units are independent; the t interval assumes normal residuals with
    variance proportional to :math:`1/w_i`; the bootstrap interval does not.

    Parameters
    ----------
    units : DataFrame
        One row per unit.
    x, y : str
        Engagement column and customer-metric column.
    weights : str, optional
        Column of positive regression weights.
    n_boot : int
        Bootstrap resamples for the slope interval (0 skips it).
    seed : int
        Seed of the bootstrap.
    level : float
        Confidence level.

    Returns
    -------
    LinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a weight is not positive, fewer than
        4 complete units remain, or ``x`` or ``y`` does not vary.

    References
    ----------
    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation
    deduced from a small sample. *Metron* 1, 3–32.
    Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*.
    Chapman & Hall.

    Examples
    --------
    # R: cor.test(d$x, d$y); cor.test(d$x, d$y, method = "spearman", exact = FALSE)
    #    summary(lm(y ~ x, data = d, weights = w)); confint(lm(y ~ x, d, weights = w))
    """
    level = check_level(level)
    if n_boot < 0:
        raise ValueError(f"n_boot must be 0 or more, got {n_boot}")
    cols = [x, y] + ([weights] if weights is not None else [])
    require_columns(units, cols, "unit_linkage units")
    require_numeric(units, cols, "unit_linkage units")
    frame, n_dropped = drop_incomplete(units, cols)
    n = len(frame)
    require_min_rows(n, 4, "unit_linkage")
    xv = frame[x].to_numpy(dtype=float)
    yv = frame[y].to_numpy(dtype=float)
    w = positive_weights(frame, weights, "unit_linkage")
    for name, v in ((x, xv), (y, yv)):
        if np.ptp(v) == 0:
            raise ValueError(f"unit_linkage: column {name!r} does not vary across units")

    r = float(np.corrcoef(xv, yv)[0, 1])
    z = float(stats.norm.ppf(0.5 + level / 2))
    half = z / np.sqrt(n - 3)
    fz = float(np.arctanh(np.clip(r, -1 + 1e-15, 1 - 1e-15)))
    r_low, r_high = float(np.tanh(fz - half)), float(np.tanh(fz + half))
    pearson_p = _t_p(r, n)
    rho = float(np.corrcoef(stats.rankdata(xv), stats.rankdata(yv))[0, 1])
    spearman_p = _t_p(rho, n)

    fit = sm.WLS(yv, sm.add_constant(xv, has_constant="add"), weights=w).fit()
    table = coef_table(
        ["intercept", "slope"], np.asarray(fit.params), np.asarray(fit.bse), n - 2, level
    )
    coef = table.to_numpy(dtype=float)  # rows intercept, slope; columns as _COEF_COLUMNS
    if n_boot > 0:
        slopes = _boot_slopes(xv, yv, w, n_boot, seed)
        alpha = 1.0 - level
        b_low, b_high = (float(v) for v in np.nanquantile(slopes, [alpha / 2, 1 - alpha / 2]))
    else:
        b_low = b_high = float("nan")
    return LinkageResult(
        n_units=n,
        n_dropped=n_dropped,
        pearson_r=r,
        pearson_p=pearson_p,
        pearson_ci_low=r_low,
        pearson_ci_high=r_high,
        spearman_rho=rho,
        spearman_p=spearman_p,
        intercept=float(coef[0, 0]),
        slope=float(coef[1, 0]),
        slope_se=float(coef[1, 1]),
        slope_p=float(coef[1, 3]),
        slope_ci_low=float(coef[1, 4]),
        slope_ci_high=float(coef[1, 5]),
        r2=float(fit.rsquared),
        boot_ci_low=b_low,
        boot_ci_high=b_high,
        n_boot=int(n_boot),
        weighted=weights is not None,
        level=level,
    )


def _t_p(r: float, n: int) -> float:
    """Two-sided p-value of a correlation from the t distribution with n - 2 df."""
    if abs(r) >= 1.0:
        return 0.0
    t = r * np.sqrt((n - 2) / (1.0 - r * r))
    return float(2.0 * stats.t.sf(abs(t), n - 2))
