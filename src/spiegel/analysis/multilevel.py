"""Random-intercept linkage model: customers nested in units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from spiegel.analysis._common import (
    InsufficientData,
    require_columns,
    require_min_rows,
    require_numeric,
)

__all__ = ["MultilevelResult", "multilevel_linkage"]


@dataclass(frozen=True)
class MultilevelResult:
    """Random-intercept model of a customer outcome on unit-level predictors.

    ``fixed_effects`` is indexed by ``intercept`` and the predictors with ``estimate``,
    ``se``, ``z``, ``p``, ``ci_low``, ``ci_high``. Variances are REML estimates;
    ``icc`` is the share of outcome variance between units given the predictors.
    """

    fixed_effects: pd.DataFrame
    random_intercept_var: float
    residual_var: float
    icc: float
    n_customers: int
    n_units: int
    n_dropped: int
    reml_loglik: float
    converged: bool
    level: float


def multilevel_linkage(
    customers: pd.DataFrame,
    units: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    group: str,
    level: float = 0.95,
) -> MultilevelResult:
    r"""Customer outcome on unit engagement, with customers nested in units.

    A linear mixed model with a random intercept per unit, fitted by restricted
    maximum likelihood (REML):

    .. math::

        y_{iu} = \gamma_0 + \sum_k \gamma_k\,z_{ku} + u_u + e_{iu}, \qquad
        u_u \sim N(0, \tau^2),\; e_{iu} \sim N(0, \sigma^2), \qquad
        \mathrm{ICC} = \frac{\tau^2}{\tau^2 + \sigma^2}

    Unit-level predictors :math:`z_{ku}` (e.g. the unit's mean engagement) are taken
    from ``units`` and joined to each customer by ``group``; a predictor found only in
    ``customers`` is used as a customer-level covariate. Unlike a regression on unit
    means, the model weighs each unit by how many customers answered and separates
    between-unit from within-unit variance. Wald z intervals and p-values are used
    for the fixed effects (lme4 reports no p-values; the z interval is
    ``confint(m, method = "Wald")``).

    Customers with a missing outcome, group or predictor, and customers whose unit is
    absent from ``units``, are left out and counted in ``n_dropped``.

    Parameters
    ----------
    customers : DataFrame
        One row per customer answer, with ``outcome`` and ``group``.
    units : DataFrame
        One row per unit, with ``group`` and the unit-level predictors.
    outcome : str
        Customer outcome column (e.g. the grade).
    predictors : sequence of str
        Predictor columns (in ``units``, or else in ``customers``).
    group : str
        Unit identifier column present in both frames.
    level : float
        Confidence level.

    Returns
    -------
    MultilevelResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a unit appears twice in ``units``,
        or fewer than 3 units or (predictors + 3) customers remain.

    References
    ----------
    Raudenbush, S. W., & Bryk, A. S. (2002). *Hierarchical linear models* (2nd ed.).
    Sage.
    Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear
    mixed-effects models using lme4. *Journal of Statistical Software* 67(1), 1–48.

    Examples
    --------
    # R: d <- merge(customers, units, by = "group")
    #    lme4::lmer(outcome ~ engagement + (1 | group), data = d, REML = TRUE)
    """
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    preds = list(predictors)
    if len(set(preds)) != len(preds) or outcome in preds or group in preds:
        raise ValueError(
            "multilevel_linkage: predictors must be distinct from each other, "
            "the outcome and the group column"
        )
    require_columns(customers, [outcome, group], "multilevel_linkage customers")
    require_columns(units, [group], "multilevel_linkage units")
    unit_preds = [p for p in preds if p in units.columns]
    customer_preds = [p for p in preds if p not in units.columns]
    require_columns(customers, customer_preds, "multilevel_linkage customers/units")
    require_numeric(customers, [outcome, *customer_preds], "multilevel_linkage customers")
    require_numeric(units, unit_preds, "multilevel_linkage units")
    unit_ids = units[group].dropna()
    if unit_ids.duplicated().any():
        raise ValueError(
            f"multilevel_linkage units: group {unit_ids[unit_ids.duplicated()].iloc[0]!r} "
            "appears more than once"
        )
    left = customers[[outcome, group, *customer_preds]]
    right = units.loc[units[group].notna(), [group, *unit_preds]]
    merged = left.merge(right, on=group, how="left", validate="many_to_one", indicator=True)
    complete = (merged["_merge"] == "both") & merged[[outcome, group, *preds]].notna().all(axis=1)
    frame = merged.loc[complete]
    n_dropped = int(len(customers) - len(frame))
    n = len(frame)
    require_min_rows(n, len(preds) + 3, "multilevel_linkage (customers)")
    codes, _ = pd.factorize(frame[group])
    n_units = int(codes.max()) + 1
    if n_units < 3:
        raise InsufficientData("multilevel_linkage", 3, n_units, "units")

    exog = np.column_stack([np.ones(n), frame[preds].to_numpy(dtype=float)])
    fit = _reml(frame[outcome].to_numpy(dtype=float), exog, codes, n_units)
    est, tau2, sigma2 = fit.beta, fit.tau2, fit.sigma2
    se = _gls_se(exog, codes, n_units, tau2, sigma2)
    zval = est / se
    q = float(stats.norm.ppf(0.5 + level / 2))
    table = pd.DataFrame(
        {
            "estimate": est,
            "se": se,
            "z": zval,
            "p": 2.0 * stats.norm.sf(np.abs(zval)),
            "ci_low": est - q * se,
            "ci_high": est + q * se,
        },
        index=pd.Index(["intercept", *preds], name="term"),
    )
    return MultilevelResult(
        fixed_effects=table,
        random_intercept_var=tau2,
        residual_var=sigma2,
        icc=tau2 / (tau2 + sigma2),
        n_customers=n,
        n_units=n_units,
        n_dropped=n_dropped,
        reml_loglik=fit.loglik,
        converged=fit.converged,
        level=float(level),
    )


@dataclass(frozen=True)
class _Fit:
    beta: np.ndarray
    tau2: float
    sigma2: float
    loglik: float
    converged: bool


def _reml(y: np.ndarray, exog: np.ndarray, codes: np.ndarray, n_units: int) -> _Fit:
    r"""REML fit of the random-intercept model from per-unit sums (exact, any covariates).

    With :math:`\rho = \tau^2/\sigma^2`, :math:`V_u = \sigma^2 (I + \rho J)` and
    :math:`(I + \rho J)^{-1} = I - d_u J`, :math:`d_u = \rho / (1 + n_u \rho)`, every
    quantity of the restricted likelihood is a sum over units of the unit's size and its
    sums of :math:`x` and :math:`y`:

    .. math::

        A = X^\top X - \sum_u d_u s_{xu} s_{xu}^\top,\quad
        b = X^\top y - \sum_u d_u s_{xu} s_{yu},\quad
        \mathrm{RSS} = y^\top y - \sum_u d_u s_{yu}^2 - b^\top A^{-1} b

    and, with :math:`\hat\sigma^2 = \mathrm{RSS}/(N - p)` profiled out,

    .. math::

        -2\ell_R(\rho) = (N - p)\bigl(1 + \log 2\pi\hat\sigma^2\bigr)
                         + \sum_u \log(1 + n_u \rho) + \log\lvert A \rvert

    minimised over :math:`\rho \ge 0` (one dimension). This is the model lme4 and
    statsmodels' ``MixedLM`` fit, without a pass over the rows per iteration.
    """
    n, p = exog.shape
    sizes = np.bincount(codes, minlength=n_units).astype(float)
    s_x = np.column_stack(
        [np.bincount(codes, weights=exog[:, k], minlength=n_units) for k in range(p)]
    )
    s_y = np.bincount(codes, weights=y, minlength=n_units)
    xtx, xty, yty = exog.T @ exog, exog.T @ y, float(y @ y)

    def parts(rho: float) -> tuple[np.ndarray, np.ndarray, float, float, float]:
        d = rho / (1.0 + sizes * rho)
        a = xtx - (s_x * d[:, None]).T @ s_x
        b = xty - s_x.T @ (d * s_y)
        beta = np.linalg.solve(a, b)
        rss = yty - float(d @ (s_y**2)) - float(b @ beta)
        logdet = float(np.linalg.slogdet(a)[1])
        return a, beta, rss, logdet, float(np.log1p(sizes * rho).sum())

    def criterion(log_rho: float) -> float:
        _a, _beta, rss, logdet, logv = parts(float(np.exp(log_rho)))
        return float((n - p) * np.log(rss / (n - p)) + logv + logdet)

    found = optimize.minimize_scalar(
        criterion, bounds=(-25.0, 12.0), method="bounded", options={"xatol": 1e-10, "maxiter": 500}
    )
    rho = float(np.exp(found.x))
    if criterion(-25.0) <= found.fun:  # the boundary: no variance between units
        rho = 0.0
    _a, beta, rss, logdet, logv = parts(rho)
    sigma2 = rss / (n - p)
    loglik = -0.5 * ((n - p) * (1.0 + np.log(2.0 * np.pi * sigma2)) + logv + logdet)
    return _Fit(beta, rho * sigma2, sigma2, float(loglik), bool(found.success))


def _gls_se(
    exog: np.ndarray, codes: np.ndarray, n_units: int, tau2: float, sigma2: float
) -> np.ndarray:
    """Standard errors of the fixed effects from :math:`(X'V^{-1}X)^{-1}`.

    For a random intercept, :math:`V_u^{-1} = \\sigma^{-2}(I - c_u J)` with
    :math:`c_u = \\tau^2/(\\sigma^2 + n_u\\tau^2)`, as in lme4's ``vcov``.
    """
    sizes = np.bincount(codes, minlength=n_units).astype(float)
    sums = np.zeros((n_units, exog.shape[1]))
    np.add.at(sums, codes, exog)
    c = tau2 / (sigma2 + sizes * tau2)
    info = (exog.T @ exog - (sums * c[:, None]).T @ sums) / sigma2
    se: np.ndarray = np.sqrt(np.diag(np.linalg.inv(info)))
    return se
