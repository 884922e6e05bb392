"""Key drivers: how much each predictor contributes to R², and where to act first."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from math import comb

import numpy as np
import pandas as pd

from spiegel.analysis._common import (
    drop_incomplete,
    require_columns,
    require_min_rows,
    require_numeric,
)

__all__ = ["priority_matrix", "relative_importance"]

MAX_PREDICTORS = 20


@lru_cache(maxsize=8)
def _layout(
    p: int,
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, np.ndarray]]]:
    """Subsets of ``p`` predictors by size, and the Shapley terms of each predictor.

    The first list holds, per subset size k, the member indices (n_k × k) and the bit
    masks of the subsets. The second holds, per predictor j, the masks of the subsets
    without j and the weight :math:`1/(p\\binom{p-1}{|S|})` of each.
    """
    by_size = []
    for k in range(1, p + 1):
        members = np.array(list(combinations(range(p), k)), dtype=np.intp)
        by_size.append((members, np.left_shift(1, members).sum(axis=1)))
    masks = np.arange(1 << p)
    sizes = np.array([m.bit_count() for m in range(1 << p)])
    weight_of_size = np.array([1.0 / (p * comb(p - 1, k)) for k in range(p)])
    terms = []
    for j in range(p):
        without = masks[(masks & (1 << j)) == 0]
        terms.append((without, weight_of_size[sizes[without]]))
    return by_size, terms


def _subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of every subset of predictors from a correlation matrix.

    ``corr`` is the (p+1)×(p+1) correlation matrix with the outcome last. Entry
    ``mask`` of the result is the R² of the predictors whose bits are set in ``mask``:
    :math:`R^2_S = r_{yS}^\\top R_{SS}^{-1} r_{yS}`.
    """
    p = corr.shape[0] - 1
    rxx = corr[:p, :p]
    rxy = corr[:p, p]
    r2 = np.zeros(1 << p)
    for members, masks in _layout(p)[0]:
        a = rxx[members[:, :, None], members[:, None, :]]
        b = rxy[members]
        try:
            beta = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            beta = np.einsum("nij,nj->ni", np.linalg.pinv(a), b)
        r2[masks] = np.einsum("ni,ni->n", beta, b)
    return r2


def _general_dominance(r2: np.ndarray, p: int) -> np.ndarray:
    """Shapley value of each predictor in the all-subsets R² table."""
    out = np.zeros(p)
    for j, (without, weight) in enumerate(_layout(p)[1]):
        out[j] = float(np.sum(weight * (r2[without | (1 << j)] - r2[without])))
    return out


def _relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the correlation matrix."""
    p = corr.shape[0] - 1
    rxx = corr[:p, :p]
    rxy = corr[:p, p]
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T  # R_xx^{1/2}: X on orthogonal Z
    beta = np.linalg.pinv(lam) @ rxy  # y on the orthogonal Z
    weights: np.ndarray = (lam**2) @ (beta**2)
    return weights


def _importance(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    corr = np.corrcoef(values, rowvar=False)
    p = values.shape[1] - 1
    r2 = _subset_r2(corr)
    return _general_dominance(r2, p), _relative_weights(corr), float(r2[-1])


def relative_importance(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    r"""Relative importance of correlated drivers: dominance analysis and relative weights.

    Splits the R² of the regression of ``outcome`` on all ``predictors`` into a share
    per predictor, in two ways that both sum to R².

    *General dominance* (the LMG / Shapley decomposition): the increase in R² from
    adding predictor :math:`j` to a subset :math:`S` of the others, averaged first
    within each subset size and then over sizes:

    .. math::

        D_j = \frac{1}{p}\sum_{k=0}^{p-1}\binom{p-1}{k}^{-1}
              \sum_{S \subseteq P\setminus\{j\},\,|S|=k}
              \left[R^2_{S\cup\{j\}} - R^2_S\right],
        \qquad R^2_S = r_{yS}^\top R_{SS}^{-1} r_{yS}

    computed exactly over all :math:`2^p` subsets from the correlation matrix.

    *Relative weights* (Johnson 2000): with :math:`R_{xx} = Q\Lambda Q^\top` and
    :math:`\Lambda_* = Q\Lambda^{1/2}Q^\top`, :math:`\beta = \Lambda_*^{-1} r_{xy}` and
    :math:`\varepsilon_j = \sum_k \Lambda_{*jk}^2\,\beta_k^2`.

    Percentile bootstrap intervals resample rows (``n_boot=0`` skips them).
    Importance is descriptive: it ranks associations, it does not prove cause.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (or unit).
    outcome : str
        Outcome column (e.g. engagement, the customer grade).
    predictors : sequence of str
        Driver columns (2 to 20; beyond about 15 the exact computation gets slow).
    n_boot : int
        Bootstrap resamples (0: no intervals).
    level : float
        Confidence level of the intervals.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Indexed by predictor: ``general_dominance``, ``general_dominance_ci_low``,
        ``general_dominance_ci_high``, ``relative_weight``, ``relative_weight_ci_low``,
        ``relative_weight_ci_high``, ``rank`` (1 = largest general dominance).
        ``attrs``: ``r2``, ``n_used``, ``n_dropped``, ``n_boot``, ``level``.

    Raises
    ------
    ValueError
        When a column is missing or not numeric, fewer than 2 or more than 20
        predictors are given, a column does not vary, or too few complete rows remain.

    References
    ----------
    Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to bivariate
    and multivariate analysis*. Scott, Foresman.
    Budescu, D. V. (1993). Dominance analysis: A new approach to the problem of
    relative importance of predictors in multiple regression. *Psychological
    Bulletin* 114(3), 542–551.
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
    predictor variables in multiple regression. *Multivariate Behavioral Research*
    35(1), 1–19.

    Examples
    --------
    # R: relaimpo::calc.relimp(lm(y ~ ., d), type = "lmg")  (here: all-subset lm R²)
    """
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    if n_boot < 0:
        raise ValueError(f"n_boot must be 0 or more, got {n_boot}")
    preds = list(predictors)
    if not 2 <= len(preds) <= MAX_PREDICTORS:
        raise ValueError(
            f"relative_importance: needs 2 to {MAX_PREDICTORS} predictors, got {len(preds)}"
        )
    if len(set(preds)) != len(preds) or outcome in preds:
        raise ValueError(
            "relative_importance: predictors must be distinct and differ from the outcome"
        )
    cols = [*preds, outcome]
    require_columns(data, cols, "relative_importance data")
    require_numeric(data, cols, "relative_importance data")
    frame, n_dropped = drop_incomplete(data, cols)
    n = len(frame)
    require_min_rows(n, len(preds) + 2, "relative_importance")
    values = frame[cols].to_numpy(dtype=float)
    flat = [c for c, s in zip(cols, values.std(axis=0), strict=True) if s == 0]
    if flat:
        raise ValueError(f"relative_importance: column(s) {flat} do not vary")

    dominance, weights, r2 = _importance(values)
    result = pd.DataFrame(
        {"general_dominance": dominance, "relative_weight": weights},
        index=pd.Index(preds, name="predictor"),
    )
    alpha = 1.0 - float(level)
    bounds: dict[str, np.ndarray] = {}
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        boot = np.full((n_boot, 2, len(preds)), np.nan)
        for b in range(n_boot):
            sample = values[rng.integers(0, n, size=n)]
            if np.any(sample.std(axis=0) == 0):
                continue
            d_b, w_b, _ = _importance(sample)
            boot[b, 0], boot[b, 1] = d_b, w_b
        q = np.nanquantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
        bounds = {
            "general_dominance": q[:, 0, :],
            "relative_weight": q[:, 1, :],
        }
    for name in ("general_dominance", "relative_weight"):
        low, high = bounds.get(name, np.full((2, len(preds)), np.nan))
        result[f"{name}_ci_low"] = low
        result[f"{name}_ci_high"] = high
    result = result[
        [
            "general_dominance",
            "general_dominance_ci_low",
            "general_dominance_ci_high",
            "relative_weight",
            "relative_weight_ci_low",
            "relative_weight_ci_high",
        ]
    ]
    result["rank"] = result["general_dominance"].rank(ascending=False, method="min").astype(int)
    result.attrs.update(
        r2=r2, n_used=n, n_dropped=n_dropped, n_boot=int(n_boot), level=float(level)
    )
    return result


def priority_matrix(
    importance: pd.Series | pd.DataFrame,
    performance: pd.Series,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> pd.DataFrame:
    r"""Place each driver in an importance × performance quadrant.

    A driver is *high importance* when its importance is at least the cut (default:
    the median importance of the drivers) and *high performance* when its mean
    score is at least the cut (default: the median mean score):

    ============== ==================== ===================================
    quadrant        importance, score    reading
    ============== ==================== ===================================
    ``priority``    high, low            improve first: matters and lags
    ``strength``    high, high           keep it up: matters and does well
    ``maintain``    low, high            keep at the present level
    ``secondary``   low, low             lower priority for now
    ============== ==================== ===================================

    .. math::

        \text{high importance}_j \iff I_j \ge c_I, \qquad
        \text{high score}_j \iff \bar x_j \ge c_P

    Parameters
    ----------
    importance : Series or DataFrame
        Importance per driver, indexed by driver; a DataFrame from
        :func:`relative_importance` uses its ``general_dominance`` column.
    performance : Series
        Mean score per driver, indexed by driver.
    importance_cut, performance_cut : float, optional
        Cut points; the medians when omitted.

    Returns
    -------
    DataFrame
        Indexed by driver with ``importance``, ``performance``, ``high_importance``,
        ``high_performance`` and ``quadrant``; cut points in ``attrs``.

    Raises
    ------
    ValueError
        When a driver lacks a performance score (or the reverse) or a value is missing.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis.
    *Journal of Marketing* 41(1), 77–79.

    Examples
    --------
    # R: transform(d, quadrant = ifelse(imp >= median(imp),
    #      ifelse(perf >= median(perf), "strength", "priority"),
    #      ifelse(perf >= median(perf), "maintain", "secondary")))
    """
    if isinstance(importance, pd.DataFrame):
        require_columns(importance, ["general_dominance"], "priority_matrix importance")
        imp = importance["general_dominance"]
    else:
        imp = importance
    imp = pd.Series(imp, dtype=float)
    perf = pd.Series(performance, dtype=float)
    only_imp = [str(i) for i in imp.index.difference(perf.index)]
    only_perf = [str(i) for i in perf.index.difference(imp.index)]
    if only_imp or only_perf:
        raise ValueError(
            "priority_matrix: importance and performance must cover the same drivers; "
            f"no performance for {only_imp}, no importance for {only_perf}"
        )
    if imp.isna().any() or perf.isna().any():
        raise ValueError("priority_matrix: importance and performance must not be missing")
    perf = perf.reindex(imp.index)
    c_imp = float(imp.median()) if importance_cut is None else float(importance_cut)
    c_perf = float(perf.median()) if performance_cut is None else float(performance_cut)
    high_imp = imp >= c_imp
    high_perf = perf >= c_perf
    quadrant = np.where(
        high_imp,
        np.where(high_perf, "strength", "priority"),
        np.where(high_perf, "maintain", "secondary"),
    )
    out = pd.DataFrame(
        {
            "importance": imp,
            "performance": perf,
            "high_importance": high_imp,
            "high_performance": high_perf,
            "quadrant": quadrant,
        }
    )
    out.index.name = "driver"
    out.attrs.update(importance_cut=c_imp, performance_cut=c_perf)
    return out
