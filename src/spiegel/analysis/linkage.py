"""Linkage between employee engagement and customer metrics across units.

Unit-level correlation and (weighted) regression, the customer metric regressed on the
engagement of each role group, a lagged model over waves, and a random-intercept model
with customers nested in units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

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

__all__ = [
    "LaggedLinkageResult",
    "LinkageResult",
    "RoleGroupLinkageResult",
    "lagged_linkage",
    "role_group_linkage",
    "unit_linkage",
]

_COEF_COLUMNS = ["estimate", "se", "t", "p", "ci_low", "ci_high"]


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


@dataclass(frozen=True)
class RoleGroupLinkageResult:
    """Customer metric regressed on the engagement of several role groups at once.

    ``coefficients`` is indexed by role column with ``estimate``, ``se``, ``t``, ``p``,
    ``ci_low``, ``ci_high`` (raw units) and ``std_estimate``, ``std_ci_low``,
    ``std_ci_high`` (standardised: both sides in standard deviations).
    """

    coefficients: pd.DataFrame
    intercept: float
    r2: float
    adj_r2: float
    n_units: int
    n_dropped: int
    weighted: bool
    level: float


@dataclass(frozen=True)
class LaggedLinkageResult:
    """Customer metric at wave t+1 on engagement and the customer metric at wave t.

    ``coefficients`` is indexed by ``intercept``, the engagement column name (its value
    at t) and the customer column name (its value at t), with ``estimate``, ``se``,
    ``t``, ``p``, ``ci_low``, ``ci_high``. ``se_type`` is ``"classical"`` for one pair
    of waves and ``"cluster"`` (robust, clustered by unit) for more.
    """

    coefficients: pd.DataFrame
    r2: float
    n_pairs: int
    n_units: int
    n_wave_pairs: int
    se_type: str
    n_dropped: int
    level: float


def _weights(frame: pd.DataFrame, weights: str | None, what: str) -> np.ndarray:
    if weights is None:
        return np.ones(len(frame))
    w = frame[weights].to_numpy(dtype=float)
    if np.any(w <= 0):
        raise ValueError(f"{what}: weights column {weights!r} must be positive")
    return w


def _coef_table(
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
    w = _weights(frame, weights, "unit_linkage")
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
    table = _coef_table(
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


def role_group_linkage(
    units: pd.DataFrame,
    role_columns: Sequence[str],
    y: str,
    weights: str | None = None,
    level: float = 0.95,
) -> RoleGroupLinkageResult:
    r"""Customer metric regressed on the engagement of each role group together.

    One (weighted) multiple regression across units, with the mean engagement of each
    role group (e.g. senior management, managers, front line, back office) as a
    separate predictor, so each coefficient is the link of that group's engagement
    with the customer metric holding the other groups constant:

    .. math::

        y_u = \beta_0 + \sum_g \beta_g\,x_{gu} + \varepsilon_u, \qquad
        \beta^{*}_g = \beta_g\,\frac{s_{x_g}}{s_y}

    Standardised coefficients :math:`\beta^*` (and their intervals) are the raw ones
    rescaled by the unweighted sample standard deviations, i.e. the coefficients of
    the same weighted regression on z-scored variables.

    Assumes independent units and, for the intervals, normal residuals with variance
    proportional to :math:`1/w_u`. Strongly correlated role groups give wide
    intervals: look at ``se`` before ranking groups.

    Parameters
    ----------
    units : DataFrame
        One row per unit.
    role_columns : sequence of str
        Engagement column of each role group.
    y : str
        Customer-metric column.
    weights : str, optional
        Column of positive regression weights.
    level : float
        Confidence level.

    Returns
    -------
    RoleGroupLinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a weight is not positive, or fewer
        than (number of role groups + 2) complete units remain.

    References
    ----------
    Cohen, J., Cohen, P., West, S. G., & Aiken, L. S. (2003). *Applied multiple
    regression/correlation analysis for the behavioral sciences* (3rd ed.). Erlbaum.

    Examples
    --------
    # R: lm(y ~ senior + manager + front + back, data = d, weights = w)
    #    lm(scale(y) ~ scale(senior) + scale(manager) + ..., data = d, weights = w)
    """
    level = check_level(level)
    roles = list(role_columns)
    if not roles:
        raise ValueError("role_group_linkage: give at least one role column")
    if len(set(roles)) != len(roles) or y in roles:
        raise ValueError("role_group_linkage: role columns must be distinct and differ from y")
    cols = [*roles, y] + ([weights] if weights is not None else [])
    require_columns(units, cols, "role_group_linkage units")
    require_numeric(units, cols, "role_group_linkage units")
    frame, n_dropped = drop_incomplete(units, cols)
    n = len(frame)
    require_min_rows(n, len(roles) + 2, "role_group_linkage")
    xmat = frame[roles].to_numpy(dtype=float)
    yv = frame[y].to_numpy(dtype=float)
    w = _weights(frame, weights, "role_group_linkage")
    fit = sm.WLS(yv, sm.add_constant(xmat, has_constant="add"), weights=w).fit()
    df_resid = n - len(roles) - 1
    table = _coef_table(
        ["intercept", *roles], np.asarray(fit.params), np.asarray(fit.bse), df_resid, level
    )
    coefs = table.loc[roles].copy()
    scale = xmat.std(axis=0, ddof=1) / yv.std(ddof=1)
    coefs["std_estimate"] = coefs["estimate"].to_numpy() * scale
    coefs["std_ci_low"] = coefs["ci_low"].to_numpy() * scale
    coefs["std_ci_high"] = coefs["ci_high"].to_numpy() * scale
    coefs.index.name = "role"
    return RoleGroupLinkageResult(
        coefficients=coefs,
        intercept=float(np.asarray(fit.params)[0]),
        r2=float(fit.rsquared),
        adj_r2=float(fit.rsquared_adj),
        n_units=n,
        n_dropped=n_dropped,
        weighted=weights is not None,
        level=level,
    )


def lagged_linkage(
    panel: pd.DataFrame,
    x: str,
    y: str,
    wave: str = "wave",
    unit: str = "unit",
    level: float = 0.95,
) -> LaggedLinkageResult:
    r"""Does engagement at wave t predict the customer metric at wave t+1?

    The customer metric one wave later is regressed on engagement now, controlling
    for the customer metric now, on all pairs of consecutive waves stacked
    (a unit contributes one row per pair in which it has both waves complete):

    .. math::

        y_{u,t+1} = \beta_0 + \beta_x\,x_{u,t} + \beta_y\,y_{u,t} + \varepsilon_{u,t}

    Waves are ordered by sorting their labels; "consecutive" means adjacent in that
    order across the whole panel (a unit missing wave 2 contributes no 1→2 or 2→3
    pair). With one pair of waves the standard errors are the ordinary OLS ones. With
    more pairs a unit appears several times, so the standard errors are
    cluster-robust by unit (CR1: :math:`\frac{G}{G-1}\frac{N-1}{N-K}` small-sample
    factor) and the intervals and p-values use a t distribution with
    :math:`G-1` degrees of freedom (:math:`G` units). The coefficients are a plain
    pooled OLS: they assume the lagged effect is the same for every pair of waves
    and do not separate stable between-unit differences from within-unit change
    (use :func:`cross_lagged` for that).

    Parameters
    ----------
    panel : DataFrame
        Long panel: one row per unit and wave.
    x, y : str
        Engagement column and customer-metric column.
    wave, unit : str
        Wave and unit columns.
    level : float
        Confidence level.

    Returns
    -------
    LaggedLinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a unit has two rows for one wave,
        there are fewer than two waves, or fewer than 4 stacked pairs remain.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources* 50(2), 317–372.
    Schneider, B., White, S. S., & Paul, M. C. (1998). Linking service climate and
    customer perceptions of service quality. *Journal of Applied Psychology* 83(2),
    150–163.

    Examples
    --------
    # R: m <- lm(y_next ~ x + y, data = pairs)
    #    lmtest::coeftest(m, vcov = sandwich::vcovCL(m, cluster = ~unit))
    """
    level = check_level(level)
    if x == y:
        raise ValueError("lagged_linkage: x and y must be different columns")
    require_columns(panel, [x, y, wave, unit], "lagged_linkage panel")
    require_numeric(panel, [x, y], "lagged_linkage panel")
    frame, n_dropped = drop_incomplete(panel, [x, y, wave, unit])
    dup = frame.duplicated([unit, wave])
    if dup.any():
        first = frame.loc[dup].iloc[0]
        raise ValueError(
            f"lagged_linkage: unit {first[unit]!r} has more than one row for wave {first[wave]!r}"
        )
    waves = sorted(frame[wave].unique())
    if len(waves) < 2:
        raise ValueError(f"lagged_linkage: needs at least two waves, got {len(waves)}")
    indexed = frame.set_index([unit, wave])[[x, y]]
    parts = []
    for before, after in pairwise(waves):
        now = indexed.xs(before, level=wave)
        nxt = indexed.xs(after, level=wave)[y].rename("__y_next")
        joined = now.join(nxt, how="inner")
        parts.append(joined.reset_index())
    pairs = pd.concat(parts, ignore_index=True)
    n_pairs = len(pairs)
    require_min_rows(n_pairs, 4, "lagged_linkage (stacked wave pairs)")
    n_wave_pairs = len(waves) - 1
    design = sm.add_constant(pairs[[x, y]].to_numpy(dtype=float), has_constant="add")
    model = sm.OLS(pairs["__y_next"].to_numpy(dtype=float), design)
    groups = pd.factorize(pairs[unit])[0]
    n_units = int(groups.max()) + 1
    if n_wave_pairs > 1:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        df = n_units - 1
        se_type = "cluster"
    else:
        fit = model.fit()
        df = n_pairs - 3
        se_type = "classical"
    table = _coef_table(["intercept", x, y], np.asarray(fit.params), np.asarray(fit.bse), df, level)
    return LaggedLinkageResult(
        coefficients=table,
        r2=float(fit.rsquared),
        n_pairs=n_pairs,
        n_units=n_units,
        n_wave_pairs=n_wave_pairs,
        se_type=se_type,
        n_dropped=n_dropped,
        level=level,
    )
