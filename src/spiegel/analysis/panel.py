"""Cross-lagged panel models: does engagement drive customer scores, or the reverse?

The random-intercept cross-lagged panel model (RI-CLPM) separates stable differences
between units from their wave-to-wave fluctuations and estimates the lagged effects on
the fluctuations; the classic CLPM does not separate them. Models are written in
lavaan syntax and fitted by maximum likelihood with semopy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from spiegel._lazy import lazy_module
from spiegel.analysis._common import (
    check_level,
    require_columns,
    require_min_rows,
    require_numeric,
)
from spiegel.analysis._fit_indices import fit_indices

if TYPE_CHECKING:
    import semopy
    from semopy import inspector
else:
    semopy = lazy_module("semopy")
    inspector = lazy_module("semopy.inspector")

__all__ = ["CrossLaggedResult", "cross_lagged", "cross_lagged_syntax"]

_SOLVER_OPTIONS = {"ftol": 1e-14, "maxiter": 20000}


@dataclass(frozen=True)
class CrossLaggedResult:
    """A fitted cross-lagged panel model.

    ``estimates`` has one row per lagged path: ``lhs`` (variable at ``wave_to``),
    ``rhs`` (variable at ``wave_from``), ``kind`` (``"autoregressive"`` or
    ``"cross-lagged"``), ``estimate``, ``se``, ``z``, ``p``, ``ci_low`` and ``ci_high``
    (Wald interval at ``level``) and ``std`` (standardised, lavaan's ``std.all``). In
    the RI-CLPM the paths connect the within-unit components. ``parameters`` lists
    every model parameter with the internal names of ``syntax`` (fixed parameters have
    no standard error or interval). Fit indices are NaN where undefined (the p-value of a saturated
    model). ``converged`` is False when the optimiser stopped short of its tolerance:
    do not interpret such estimates.
    """

    model: str
    estimates: pd.DataFrame
    parameters: pd.DataFrame
    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    n_units: int
    n_dropped: int
    waves: list[object]
    syntax: str
    converged: bool
    level: float


def cross_lagged_syntax(n_waves: int, random_intercepts: bool = True) -> str:
    r"""lavaan model syntax of the (RI-)CLPM for ``n_waves`` waves.

    Observed variables are ``x1..xT`` and ``y1..yT``. Each is split into a within
    component (``wx``, ``wy``; loading fixed at 1, observed residual variance fixed at
    0) and, with random intercepts, a stable between component (``RIx``, ``RIy``;
    all loadings fixed at 1):

    .. math::

        x_{it} = \mu_{xt} + \kappa_i + w^x_{it}, \qquad
        w^x_{it} = \alpha_t\,w^x_{i,t-1} + \beta_t\,w^y_{i,t-1} + u_{it}

    and likewise for :math:`y`. Lagged paths are free for every pair of waves; the
    within components covary at wave 1 and their residuals covary at later waves;
    the random intercepts covary with each other but not with the wave-1 within
    components (Mulder & Hamaker 2021). Without random intercepts this is the CLPM.

    References
    ----------
    Mulder, J. D., & Hamaker, E. L. (2021). Three extensions of the random intercept
    cross-lagged panel model. *Structural Equation Modeling* 28(4), 638–648.

    Examples
    --------
    # R: lavaan::lavaan(cross_lagged_syntax(3), data = wide, missing = "ML",
    #                   meanstructure = TRUE, int.ov.free = TRUE)
    """
    if n_waves < 2:
        raise ValueError(f"cross-lagged model needs at least 2 waves, got {n_waves}")
    t_all = range(1, n_waves + 1)
    lines: list[str] = []
    if random_intercepts:
        lines.append("RIx =~ " + " + ".join(f"1*x{t}" for t in t_all))
        lines.append("RIy =~ " + " + ".join(f"1*y{t}" for t in t_all))
    lines += [f"wx{t} =~ 1*x{t}" for t in t_all]
    lines += [f"wy{t} =~ 1*y{t}" for t in t_all]
    for t in range(2, n_waves + 1):
        lines.append(f"wx{t} ~ wx{t - 1} + wy{t - 1}")
        lines.append(f"wy{t} ~ wx{t - 1} + wy{t - 1}")
    lines += [f"wx{t} ~~ wy{t}" for t in t_all]
    for t in t_all:
        lines.append(f"wx{t} ~~ wx{t}")
        lines.append(f"wy{t} ~~ wy{t}")
    if random_intercepts:
        lines += ["RIx ~~ RIx", "RIy ~~ RIy", "RIx ~~ RIy"]
        lines += [f"{ri} ~~ 0*{w}1" for ri in ("RIx", "RIy") for w in ("wx", "wy")]
    lines += [f"{v}{t} ~~ 0*{v}{t}" for v in ("x", "y") for t in t_all]
    return "\n".join(lines) + "\n"


def _wide(
    panel: pd.DataFrame, x: str, y: str, wave: str, unit: str
) -> tuple[pd.DataFrame, list[object], int]:
    require_columns(panel, [x, y, wave, unit], "cross_lagged panel")
    require_numeric(panel, [x, y], "cross_lagged panel")
    if x == y:
        raise ValueError("cross_lagged: x and y must be different columns")
    ids = panel[[unit, wave]]
    if ids.isna().any().any():
        raise ValueError(
            f"cross_lagged panel: {int(ids.isna().any(axis=1).sum())} row(s) have no "
            f"{unit!r} or {wave!r}"
        )
    dup = panel.duplicated([unit, wave])
    if dup.any():
        first = panel.loc[dup].iloc[0]
        raise ValueError(
            f"cross_lagged panel: unit {first[unit]!r} has more than one row for wave "
            f"{first[wave]!r}"
        )
    waves = sorted(panel[wave].unique())
    if len(waves) < 2:
        raise ValueError(f"cross_lagged: needs at least 2 waves, got {len(waves)}")
    wide = panel.pivot(index=unit, columns=wave, values=[x, y])
    columns: dict[str, pd.Series] = {}
    for prefix, col in (("x", x), ("y", y)):
        for k, w in enumerate(waves, start=1):
            columns[f"{prefix}{k}"] = wide[(col, w)].astype(float)
    data = pd.DataFrame(columns)
    complete = data.notna().all(axis=1)
    return data.loc[complete], waves, int((~complete).sum())


def cross_lagged(
    panel: pd.DataFrame,
    x: str,
    y: str,
    wave: str = "wave",
    unit: str = "unit",
    random_intercepts: bool = True,
    level: float = 0.95,
) -> CrossLaggedResult:
    r"""Cross-lagged panel model of engagement and a customer metric over waves.

    Asks whether a unit's engagement at one wave predicts its customer score at the
    next (and the reverse), controlling for each score's own past. With three or
    more waves and ``random_intercepts=True`` the RI-CLPM (Hamaker, Kuiper & Grasman
    2015) is fitted: stable between-unit differences are taken out as random
    intercepts, so the lagged paths describe *within-unit* change. Otherwise the
    classic CLPM is fitted (the RI-CLPM is not identified with two waves). See
    :func:`cross_lagged_syntax` for the model. Estimation is maximum likelihood on
    the units observed in every wave (incomplete units are left out and counted in
    ``n_dropped``), with standard errors from the observed information, as lavaan
    with ``missing = "ML"`` gives for complete data:

    .. math::

        F_{ML} = \log|\Sigma(\theta)| + \operatorname{tr}(S\Sigma(\theta)^{-1})
                 - \log|S| - p, \qquad \chi^2 = N\,F_{ML}(\hat\theta)

    with :math:`S` the covariance matrix with divisor :math:`N`. Every free parameter
    gets the Wald z test and interval :math:`\hat\theta \pm z_{1-\alpha/2}\,
    \mathrm{SE}(\hat\theta)` (lavaan's ``parameterEstimates(fit, ci = TRUE, level)``),
    symmetric and resting on the same large-sample normality as the SEs. CFI and TLI use the
    independence baseline, RMSEA :math:`\sqrt{\max(\chi^2-df,0)/(df\,N)}`, SRMR as
    lavaan's ``srmr``. Assumes multivariate normality, equally spaced waves and the
    same units across waves.

    Parameters
    ----------
    panel : DataFrame
        Long panel: one row per unit and wave.
    x, y : str
        Engagement column and customer-metric column.
    wave, unit : str
        Wave and unit columns; waves are ordered by sorting their labels.
    random_intercepts : bool
        Fit the RI-CLPM when there are 3+ waves (else the CLPM).
    level : float
        Confidence level of the Wald intervals.

    Returns
    -------
    CrossLaggedResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a row lacks its unit or wave, a unit
        has two rows for one wave, there are fewer than 2 waves, or fewer than
        :math:`2T + 2` complete units remain.

    References
    ----------
    Hamaker, E. L., Kuiper, R. M., & Grasman, R. P. P. P. (2015). A critique of the
    cross-lagged panel model. *Psychological Methods* 20(1), 102–116.
    Mulder, J. D., & Hamaker, E. L. (2021). Three extensions of the random intercept
    cross-lagged panel model. *Structural Equation Modeling* 28(4), 638–648.
    Igolkina, A. A., & Meshcheryakov, G. (2020). semopy: A Python package for
    structural equation modeling. *Structural Equation Modeling* 27(6), 952–963.

    Examples
    --------
    # R: lavaan::lavaan(model, data = wide, missing = "ML", meanstructure = TRUE,
    #                   int.ov.free = TRUE)   # model: see cross_lagged_syntax()
    #    lavaan::parameterEstimates(fit, standardized = TRUE, ci = TRUE, level = 0.95)
    """
    level = check_level(level)
    data, waves, n_dropped = _wide(panel, x, y, wave, unit)
    n_waves = len(waves)
    n = len(data)
    require_min_rows(n, 2 * n_waves + 2, "cross_lagged (units complete in every wave)")
    use_ri = random_intercepts and n_waves >= 3
    syntax = cross_lagged_syntax(n_waves, random_intercepts=use_ri)
    model = semopy.Model(syntax)
    res = model.fit(data, obj="MLW", solver="SLSQP", options=dict(_SOLVER_OPTIONS))
    table = inspector.inspect_list(model, information=None, std_est=True, index_names=True)
    se = _observed_se(model, n)
    params = _parameters(table, model, se, level)
    observed = [f"{v}{k}" for v in ("x", "y") for k in range(1, n_waves + 1)]
    sample_cov = np.cov(data[observed].to_numpy(dtype=float), rowvar=False, bias=True)
    implied = _implied_cov(model, observed)
    fit = fit_indices(sample_cov, implied, float(res.fun), n, len(model.param_vals))
    estimates = _lagged_paths(params, x, y, waves)
    return CrossLaggedResult(
        model="RI-CLPM" if use_ri else "CLPM",
        estimates=estimates,
        parameters=params,
        chi2=fit["chi2"],
        df=int(fit["df"]),
        p=fit["p"],
        cfi=fit["cfi"],
        tli=fit["tli"],
        rmsea=fit["rmsea"],
        srmr=fit["srmr"],
        n_units=n,
        n_dropped=n_dropped,
        waves=list(waves),
        syntax=syntax,
        converged=bool(res.success),
        level=level,
    )


def _implied_cov(model: semopy.Model, observed: list[str]) -> np.ndarray:
    sigma, _ = model.calc_sigma()
    names = list(model.names_lambda[0])
    order = [names.index(v) for v in observed]
    return np.asarray(sigma)[np.ix_(order, order)]


def _observed_se(model: semopy.Model, n: int) -> np.ndarray:
    """Standard errors of the free parameters from the observed information.

    The Hessian of :math:`F_{ML}` is taken by central differences of semopy's
    analytic gradient; the covariance of the estimates is
    :math:`(\\tfrac{N}{2}\\,\\partial^2 F_{ML})^{-1}`, as lavaan's observed information.
    """
    _, grad = model.get_objective("MLW")
    x = np.asarray(model.param_vals, dtype=float).copy()
    k = x.size
    step = 1e-5 * np.maximum(1.0, np.abs(x))
    hess = np.empty((k, k))
    try:
        for i in range(k):
            e = np.zeros(k)
            e[i] = step[i]
            hess[:, i] = (np.asarray(grad(x + e)) - np.asarray(grad(x - e))) / (2 * step[i])
    finally:
        model.update_matrices(x)
    hess = (hess + hess.T) / 2
    cov = np.linalg.pinv(hess) / (n / 2)
    var = np.diag(cov).copy()
    var[var < 0] = np.nan
    return np.sqrt(var)


def _parameters(
    table: pd.DataFrame, model: semopy.Model, se: np.ndarray, level: float
) -> pd.DataFrame:
    """semopy's estimates in lavaan's layout (lhs op rhs; ``=~`` for loadings)."""
    active = [name for name, par in model.parameters.items() if par.active]
    position = {name: i for i, name in enumerate(active)}
    se_rows = np.array(
        [se[position[str(name)]] if name in position else np.nan for name in table.index]
    )
    lhs = table["lval"].astype(str).to_numpy()
    op = table["op"].astype(str).to_numpy()
    rhs = table["rval"].astype(str).to_numpy()
    # semopy writes a loading as "x1 ~ RIx"; lavaan writes it as "RIx =~ x1".
    loading = (op == "~") & np.array([v[:1] in ("x", "y") for v in lhs])
    lhs, rhs = np.where(loading, rhs, lhs), np.where(loading, lhs, rhs)
    op = np.where(loading, "=~", op)
    out = pd.DataFrame(
        {
            "lhs": lhs,
            "op": op,
            "rhs": rhs,
            "estimate": pd.to_numeric(table["Estimate"], errors="coerce").to_numpy(),
            "se": se_rows,
            "std": pd.to_numeric(table["Est. Std"], errors="coerce").to_numpy(),
        }
    )
    out.insert(5, "z", out["estimate"] / out["se"])
    out.insert(6, "p", 2.0 * stats.norm.sf(np.abs(out["z"])))
    half = float(stats.norm.ppf(0.5 + level / 2)) * out["se"]
    out.insert(7, "ci_low", out["estimate"] - half)
    out.insert(8, "ci_high", out["estimate"] + half)
    return out


def _lagged_paths(params: pd.DataFrame, x: str, y: str, waves: list[object]) -> pd.DataFrame:
    names = {"wx": x, "wy": y}
    rows = []
    for _, row in params.loc[params["op"] == "~"].iterrows():
        lhs, rhs = str(row["lhs"]), str(row["rhs"])
        if not (lhs[:2] in names and rhs[:2] in names):
            continue  # loadings of observed variables on their components
        to, frm = int(lhs[2:]), int(rhs[2:])
        rows.append(
            {
                "lhs": names[lhs[:2]],
                "rhs": names[rhs[:2]],
                "wave_from": waves[frm - 1],
                "wave_to": waves[to - 1],
                "kind": "autoregressive" if lhs[:2] == rhs[:2] else "cross-lagged",
                "estimate": row["estimate"],
                "se": row["se"],
                "z": row["z"],
                "p": row["p"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "std": row["std"],
            }
        )
    out = pd.DataFrame(rows)
    order = {"autoregressive": 0, "cross-lagged": 1}
    out["_k"] = out["kind"].map(order)
    out["_w"] = [waves.index(w) for w in out["wave_from"]]
    out = out.sort_values(["_w", "_k", "lhs"]).drop(columns=["_k", "_w"])
    return out.reset_index(drop=True)
