r"""Factor analysis: minimum-residual (minres) loadings and confirmatory factor analysis.

The CFA is estimated with semopy and its fit statistics are computed here with lavaan's
conventions, so the numbers match ``lavaan::cfa`` (see :func:`cfa`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, stats

from spiegel._lazy import lazy_module
from spiegel.analysis._common import (
    InsufficientData,
    drop_incomplete,
    require_columns,
    require_numeric,
)

if TYPE_CHECKING:
    import semopy
else:
    semopy = lazy_module("semopy")

__all__ = ["CFAResult", "cfa", "minres_loadings"]

_PSI_LOWER = 0.005  # psych::fa's lower bound on uniquenesses


def _smc(corr: np.ndarray) -> np.ndarray:
    """Squared multiple correlations, 1 - 1 / diag(R^-1) (as psych::smc)."""
    try:
        inv = np.linalg.inv(corr)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(corr)
    smc = 1.0 - 1.0 / np.diag(inv)
    return np.clip(smc, 0.0, 1.0)


def _top_loadings(reduced: np.ndarray, n_factors: int) -> np.ndarray:
    values, vectors = np.linalg.eigh(reduced)
    order = np.argsort(values)[::-1][:n_factors]
    top: np.ndarray = vectors[:, order] * np.sqrt(np.maximum(values[order], 0.0))
    return top


def minres_loadings(corr: np.ndarray | pd.DataFrame, n_factors: int = 1) -> np.ndarray:
    r"""Unrotated minimum-residual factor loadings of a correlation matrix.

    Parameters
    ----------
    corr : array_like, shape (p, p)
        A correlation matrix (symmetric, unit diagonal).
    n_factors : int, default 1
        Number of factors.

    Returns
    -------
    numpy.ndarray, shape (p, n_factors)
        Loadings; each column's sign is chosen so that its loadings sum to a
        non-negative number (as ``psych::fa``).

    Notes
    -----
    Minres (ordinary least squares on the off-diagonal elements) chooses the
    uniquenesses :math:`\psi` that minimise

    .. math::

        F(\psi) = \sum_{i<j} \left(r_{ij} - (\Lambda\Lambda^\top)_{ij}\right)^2,
        \qquad \Lambda = V_m D_m^{1/2} \text{ of } R - \operatorname{diag}(\psi),

    where :math:`V_m, D_m` are the leading eigenvectors and eigenvalues. As in
    ``psych::fa(fm = "minres")`` the search starts at :math:`\psi = 1 - \text{SMC}`,
    keeps :math:`0.005 \le \psi \le 1`, and uses the analytic gradient
    :math:`\partial F / \partial \psi = \operatorname{diag}(\Lambda\Lambda^\top +
    \operatorname{diag}(\psi) - R)`; it is run to a tighter tolerance than psych's.

    References
    ----------
    Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing residuals
    (minres). *Psychometrika*, 31(3), 351-368.

    Revelle, W. (2024). *psych: Procedures for psychological, psychometric, and
    personality research* (R package).

    Examples
    --------
    >>> r = np.array([[1.0, 0.5, 0.4], [0.5, 1.0, 0.3], [0.4, 0.3, 1.0]])
    >>> minres_loadings(r).round(3).ravel().tolist()
    [0.816, 0.612, 0.49]

    # R: psych::fa(r, nfactors = 1, fm = "minres")$loadings
    """
    r = np.asarray(corr, dtype=float)
    if r.ndim != 2 or r.shape[0] != r.shape[1]:
        raise ValueError(f"corr must be a square matrix, got shape {r.shape}")
    p = r.shape[0]
    if not np.all(np.isfinite(r)):
        raise ValueError("corr contains missing or infinite values")
    if not np.allclose(r, r.T, atol=1e-10):
        raise ValueError("corr must be symmetric")
    if not 1 <= n_factors < p:
        raise ValueError(f"n_factors must be between 1 and {p - 1}, got {n_factors}")
    lower = np.tril_indices(p, -1)

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        reduced = r.copy()
        np.fill_diagonal(reduced, 1.0 - psi)
        load = _top_loadings(reduced, n_factors)
        model = load @ load.T
        resid = (r - model)[lower]
        # Gradient as psych's FAgr.minres: loadings of R - diag(psi).
        red2 = r - np.diag(psi)
        load2 = _top_loadings(red2, n_factors)
        grad = np.diag(load2 @ load2.T + np.diag(psi) - r)
        return float(np.sum(resid**2)), grad

    start = np.diag(r) - _smc(r)
    upper = max(1.0, float(np.max(_smc(r))))
    res = optimize.minimize(
        objective,
        np.clip(start, _PSI_LOWER, upper),
        jac=True,
        method="L-BFGS-B",
        bounds=[(_PSI_LOWER, upper)] * p,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    reduced = r - np.diag(res.x)
    load = _top_loadings(reduced, n_factors)
    signs = np.sign(load.sum(axis=0))
    signs[signs == 0] = 1.0
    signed: np.ndarray = load * signs
    return signed


@dataclass(frozen=True)
class CFAResult:
    """Fit of a confirmatory factor model (see :func:`cfa`).

    Attributes
    ----------
    chi2, df, p : float, int, float
        Likelihood-ratio test of the model against the saturated model.
    cfi, tli : float
        Comparative fit index and Tucker-Lewis index against the independence model.
    rmsea, rmsea_ci_low, rmsea_ci_high : float
        Root mean square error of approximation and its 90% confidence interval.
    srmr : float
        Standardised root mean square residual (Bentler).
    loadings : pandas.DataFrame
        Columns ``factor, item, estimate, se, std_all``; ``se`` is NaN for a loading
        fixed to 1 (the marker item of each factor).
    n_used, n_dropped : int
        Rows used, and rows left out because an item was missing.
    converged : bool
        Whether the optimiser reported convergence.
    """

    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_low: float
    rmsea_ci_high: float
    srmr: float
    loadings: pd.DataFrame
    n_used: int
    n_dropped: int
    converged: bool


def _rmsea_ci(chi2: float, df: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """Noncentral chi-square interval for the RMSEA, as lavaan's fitMeasures."""
    lo_p, hi_p = (1 + level) / 2, (1 - level) / 2  # 0.95 and 0.05

    def ncp_for(prob: float) -> float:
        if stats.chi2.cdf(chi2, df) < prob:
            return 0.0

        def f(lam: float) -> float:
            return float(stats.ncx2.cdf(chi2, df, lam)) - prob

        hi = max(chi2, 1.0)
        while f(hi) > 0:
            hi *= 2
        return float(optimize.brentq(f, 1e-12, hi, xtol=1e-12))

    lam_lo, lam_hi = ncp_for(lo_p), ncp_for(hi_p)
    return float(np.sqrt(lam_lo / (n * df))), float(np.sqrt(lam_hi / (n * df)))


def _loglik_discrepancy(sample: np.ndarray, sigma: np.ndarray) -> float:
    p = sample.shape[0]
    _, logdet_sigma = np.linalg.slogdet(sigma)
    _, logdet_s = np.linalg.slogdet(sample)
    return float(logdet_sigma + np.trace(sample @ np.linalg.inv(sigma)) - logdet_s - p)


def cfa(data: pd.DataFrame, model: str) -> CFAResult:
    r"""Confirmatory factor analysis by maximum likelihood, with lavaan's fit statistics.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, numeric item columns.
    model : str
        Model in lavaan syntax, one factor per line, e.g.
        ``"visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6"``. The first item of each
        factor is the marker (loading fixed to 1); factors covary freely.

    Returns
    -------
    CFAResult

    Raises
    ------
    ValueError
        When the model text cannot be parsed, an item is missing or not numeric, or
        fewer complete rows than items remain.

    Notes
    -----
    Rows with a missing item are dropped (listwise, lavaan's default for ML) and counted
    in ``n_dropped``. Estimates come from semopy (Wishart ML objective, SLSQP with
    ``ftol = 1e-14``) fitted to the sample covariance matrix with divisor :math:`N`, so
    they equal lavaan's ML estimates. With :math:`p` items, :math:`S` that covariance
    matrix and :math:`\hat\Sigma` the model-implied one, the statistics follow lavaan
    (``likelihood = "normal"``, divisor :math:`N`, not :math:`N-1`):

    .. math::

        F_{ML} = \ln|\hat\Sigma| + \operatorname{tr}(S\hat\Sigma^{-1}) - \ln|S| - p,
        \qquad \chi^2 = N F_{ML},

        \mathrm{CFI} = 1 - \frac{\max(\chi^2 - df, 0)}{\max(\chi^2 - df,
                       \chi^2_0 - df_0, 0)},
        \qquad
        \mathrm{TLI} = \frac{\chi^2_0/df_0 - \chi^2/df}{\chi^2_0/df_0 - 1},

        \mathrm{RMSEA} = \sqrt{\frac{\max(\chi^2 - df, 0)}{N\,df}},
        \qquad
        \mathrm{SRMR} = \sqrt{\frac{2}{p(p+1)} \sum_{i \le j}
                        \left(\frac{s_{ij} - \hat\sigma_{ij}}{\sqrt{s_{ii}s_{jj}}}\right)^2},

    with :math:`\chi^2_0, df_0` from the independence model (only variances). The 90%
    RMSEA interval inverts the noncentral :math:`\chi^2` distribution. Standard errors
    use the expected information matrix; ``std_all`` is
    :math:`\lambda_{if}\sqrt{\phi_{ff}}/\sqrt{\hat\sigma_{ii}}`. With :math:`df = 0` (a
    just-identified model), ``p`` is NaN and CFI = TLI = 1, RMSEA = 0, as in lavaan.

    References
    ----------
    Rosseel, Y. (2012). lavaan: An R package for structural equation modeling.
    *Journal of Statistical Software*, 48(2), 1-36.

    Igolkina, A. A., & Meshcheryakov, G. (2020). semopy: A Python package for
    structural equation modeling. *Structural Equation Modeling*, 27(6), 952-963.

    Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance
    structure analysis. *Structural Equation Modeling*, 6(1), 1-55.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> res = cfa(holzinger39.get_data(), "visual =~ x1 + x2 + x3\n"
    ...           "textual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9")
    >>> round(res.chi2, 3), res.df
    (85.306, 24)

    # R: lavaan::fitMeasures(lavaan::cfa(HS.model, data = HolzingerSwineford1939))
    """
    if not isinstance(model, str) or "=~" not in model:
        raise ValueError("model must be lavaan-style text with at least one '=~' line")
    try:
        sem = semopy.Model(model)
    except Exception as exc:  # semopy raises bare exceptions on syntax errors
        raise ValueError(f"cannot parse model text: {exc}") from exc
    observed = list(sem.vars["observed"])
    latent = set(sem.vars["latent"])
    require_columns(data, observed, "data")
    require_numeric(data, observed, "data")
    kept, n_dropped = drop_incomplete(data, observed)
    x = kept[observed].to_numpy(dtype=float)
    n, p = x.shape
    if n <= p:
        raise InsufficientData("cfa", p + 1, n, f"complete rows (more than its {p} items)")
    sample = np.cov(x, rowvar=False, bias=True)
    frame = pd.DataFrame(x, columns=observed)
    cov_frame = pd.DataFrame(sample, index=observed, columns=observed)

    # semopy 2.3.11 works with pandas 3 here: it gets plain float frames, and its
    # estimates table (with "-" for fixed parameters) is coerced to numbers below.
    res = sem.fit(
        frame,
        cov=cov_frame,
        obj="MLW",
        solver="SLSQP",
        options={"ftol": 1e-14, "maxiter": 100_000},
    )
    if not res.success:
        warnings.warn(
            f"cfa: the optimiser did not converge ({res.message}); fit statistics are "
            "unreliable (CFAResult.converged is False)",
            RuntimeWarning,
            stacklevel=2,
        )
    estimates = sem.inspect(std_est=False)

    sigma = np.asarray(sem.calc_sigma()[0], dtype=float)
    chi2 = n * _loglik_discrepancy(sample, sigma)
    df = p * (p + 1) // 2 - len(sem.param_vals)
    if df < 0:
        raise ValueError(f"cfa: model is not identified ({-df} more parameters than moments)")
    base_sigma = np.diag(np.diag(sample))
    chi2_base = n * _loglik_discrepancy(sample, base_sigma)
    df_base = p * (p - 1) // 2

    if df == 0:
        chi2 = max(chi2, 0.0)
        p_value, cfi, tli, rmsea, ci_lo, ci_hi = float("nan"), 1.0, 1.0, 0.0, 0.0, 0.0
    else:
        p_value = float(stats.chi2.sf(chi2, df))
        denom = max(chi2 - df, chi2_base - df_base, 0.0)
        cfi = 1.0 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
        tli = ((chi2_base / df_base) - (chi2 / df)) / ((chi2_base / df_base) - 1.0)
        rmsea = float(np.sqrt(max(chi2 - df, 0.0) / (n * df)))
        ci_lo, ci_hi = _rmsea_ci(chi2, df, n)

    scale = 1.0 / np.sqrt(np.diag(sample))
    resid = (sample - sigma) * np.outer(scale, scale)
    srmr = float(np.sqrt(np.mean(resid[np.tril_indices(p)] ** 2)))

    loadings = _loadings_table(estimates, observed, latent, sigma)
    return CFAResult(
        chi2=float(chi2),
        df=int(df),
        p=p_value,
        cfi=float(cfi),
        tli=float(tli),
        rmsea=float(rmsea),
        rmsea_ci_low=float(ci_lo),
        rmsea_ci_high=float(ci_hi),
        srmr=srmr,
        loadings=loadings,
        n_used=int(n),
        n_dropped=int(n_dropped),
        converged=bool(res.success),
    )


def _loadings_table(
    estimates: pd.DataFrame, observed: list[str], latent: set[str], sigma: np.ndarray
) -> pd.DataFrame:
    """Measurement rows of semopy's estimates table, with lavaan's std.all added."""
    lval = [str(v) for v in estimates["lval"]]
    op = [str(v) for v in estimates["op"]]
    rval = [str(v) for v in estimates["rval"]]
    est = pd.to_numeric(estimates["Estimate"], errors="coerce").to_numpy(dtype=float)
    se = pd.to_numeric(estimates["Std. Err"], errors="coerce").to_numpy(dtype=float)
    variances = {
        lval[i]: est[i]
        for i in range(len(op))
        if op[i] == "~~" and lval[i] == rval[i] and lval[i] in latent
    }
    position = {item: i for i, item in enumerate(observed)}
    rows = []
    for i in range(len(op)):  # loop over model parameters (a handful), not over data
        if op[i] != "~" or rval[i] not in latent or lval[i] not in position:
            continue
        k = position[lval[i]]
        std_all = est[i] * np.sqrt(variances[rval[i]]) / np.sqrt(sigma[k, k])
        rows.append(
            {
                "factor": rval[i],
                "item": lval[i],
                "estimate": float(est[i]),
                "se": float(se[i]),
                "std_all": float(std_all),
            }
        )
    return pd.DataFrame(rows, columns=["factor", "item", "estimate", "se", "std_all"])
