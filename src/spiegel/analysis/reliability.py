r"""Internal-consistency reliability of a scale: Cronbach's alpha and McDonald's omega."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from spiegel.analysis._common import drop_incomplete, require_min_rows, require_numeric
from spiegel.analysis.factor import minres_loadings

__all__ = [
    "AlphaResult",
    "NanPolicy",
    "OmegaResult",
    "cronbach_alpha",
    "mcdonald_omega",
    "mcdonald_omega_details",
]

NanPolicy = Literal["pairwise", "listwise"]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha of a set of items (see :func:`cronbach_alpha`).

    Attributes
    ----------
    alpha : float
        Raw alpha, from the item covariances (psych's ``raw_alpha``).
    standardized_alpha : float
        Alpha from the item correlations (psych's ``std.alpha``).
    n_items : int
        Number of items.
    n_used : int
        Rows that entered the covariances: with ``"pairwise"`` every row with at least
        one answer, with ``"listwise"`` the complete rows.
    n_dropped : int
        Rows left out (no answer at all, or, listwise, any missing answer).
    n_incomplete : int
        Rows with at least one missing answer (used partly under ``"pairwise"``).
    nan_policy : str
        ``"pairwise"`` or ``"listwise"``.
    alpha_if_dropped : pandas.DataFrame
        Index: item; columns ``alpha`` and ``standardized_alpha`` of the scale without
        that item (psych's ``alpha.drop``). NaN for two-item scales.
    """

    alpha: float
    standardized_alpha: float
    n_items: int
    n_used: int
    n_dropped: int
    n_incomplete: int
    nan_policy: str
    alpha_if_dropped: pd.DataFrame


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total from a one-factor model (see :func:`mcdonald_omega`).

    Attributes
    ----------
    omega_total : float
        Omega total.
    loadings : pandas.Series
        One-factor minres loadings per item (after flipping, all non-negative).
    flipped : tuple of str
        Items whose sign was reversed because they loaded negatively.
    n_used, n_dropped : int
        Rows used and rows left out for missing answers.
    nan_policy : str
        ``"listwise"`` or ``"pairwise"``.
    """

    omega_total: float
    loadings: pd.Series
    flipped: tuple[str, ...]
    n_used: int
    n_dropped: int
    nan_policy: str


def _check_items(items: pd.DataFrame, nan_policy: str) -> list[str]:
    if not isinstance(items, pd.DataFrame):
        raise ValueError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    if nan_policy not in ("pairwise", "listwise"):
        raise ValueError(f"nan_policy must be 'pairwise' or 'listwise', got {nan_policy!r}")
    columns = [str(c) for c in items.columns]
    if len(columns) < 2:
        raise ValueError(f"items: needs at least 2 item columns, got {len(columns)}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"items: duplicate column names {columns}")
    require_numeric(items, list(items.columns), "items")
    return columns


def _prepare(items: pd.DataFrame, nan_policy: str) -> tuple[pd.DataFrame, int, int, int]:
    """Return the rows to use, n_used, n_dropped, n_incomplete."""
    frame = items.astype(float)
    answered = frame.notna()
    n_incomplete = int((~answered.all(axis=1)).sum())
    if nan_policy == "listwise":
        kept, n_dropped = drop_incomplete(frame, list(frame.columns))
    else:
        mask = answered.any(axis=1)
        kept, n_dropped = frame.loc[mask], int((~mask).sum())
    return kept, len(kept), n_dropped, n_incomplete


def _covariance(kept: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Pairwise-complete covariances (R: ``cov(x, use = "pairwise")``)."""
    cov = kept.cov(min_periods=2).to_numpy()
    if np.isnan(cov).any():
        i, j = np.argwhere(np.isnan(cov))[0]
        raise ValueError(
            f"items {columns[i]!r} and {columns[j]!r} have fewer than 2 rows answered together"
        )
    zero = [columns[k] for k in range(len(columns)) if cov[k, k] <= 0]
    if zero:
        raise ValueError(f"items: item(s) {zero} have no variance; remove them first")
    return cov


def _alpha_from(cov: np.ndarray) -> tuple[float, float]:
    k = cov.shape[0]
    raw = (1.0 - np.trace(cov) / cov.sum()) * k / (k - 1)
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    std = (1.0 - k / corr.sum()) * k / (k - 1)
    return float(raw), float(std)


def cronbach_alpha(items: pd.DataFrame, nan_policy: NanPolicy = "pairwise") -> AlphaResult:
    r"""Cronbach's alpha of the items of one scale.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least two), already reverse-keyed; one row per
        respondent; missing answers NaN.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"`` computes each covariance from the rows that answered both items,
        as ``psych::alpha`` does by default (``use = "pairwise"``); ``"listwise"`` uses
        only complete rows.

    Returns
    -------
    AlphaResult

    Raises
    ------
    ValueError
        Fewer than two items, a non-numeric item, an item without variance, a pair of
        items never answered together, or fewer than two usable rows.

    Notes
    -----
    With :math:`k` items, item covariance matrix :math:`C` and correlation matrix
    :math:`R`:

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\mathbf 1^\top C
        \mathbf 1}\right),
        \qquad
        \alpha_{std} = \frac{k}{k-1}\left(1 - \frac{k}{\mathbf 1^\top R \mathbf 1}\right).

    Alpha is a lower bound to reliability when items are essentially tau-equivalent
    (equal loadings on one factor) and errors are uncorrelated; it says nothing about
    unidimensionality (Sijtsma, 2009). Unlike ``psych::alpha`` this function never
    reverses or deletes items on its own: reverse-key first (:func:`score_scales` uses
    the same rule), and an item without variance is an error.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.

    Sijtsma, K. (2009). On the use, the misuse, and the very limited usefulness of
    Cronbach's alpha. *Psychometrika*, 74(1), 107-120.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 3, 5], "c": [1, 3, 3, 4]})
    >>> round(cronbach_alpha(x).alpha, 4)
    0.9474

    # R: psych::alpha(x)$total$raw_alpha
    """
    columns = _check_items(items, nan_policy)
    kept, n_used, n_dropped, n_incomplete = _prepare(items, nan_policy)
    require_min_rows(n_used, 2, "cronbach_alpha")
    cov = _covariance(kept, columns)
    alpha, std = _alpha_from(cov)
    k = len(columns)
    dropped = np.full((k, 2), np.nan)
    if k > 2:
        for i in range(k):
            keep = [j for j in range(k) if j != i]
            dropped[i] = _alpha_from(cov[np.ix_(keep, keep)])
    alpha_if_dropped = pd.DataFrame(
        dropped, index=pd.Index(columns, name="item"), columns=["alpha", "standardized_alpha"]
    )
    return AlphaResult(
        alpha=alpha,
        standardized_alpha=std,
        n_items=k,
        n_used=n_used,
        n_dropped=n_dropped,
        n_incomplete=n_incomplete,
        nan_policy=nan_policy,
        alpha_if_dropped=alpha_if_dropped,
    )


def mcdonald_omega_details(
    items: pd.DataFrame, nan_policy: NanPolicy = "listwise", flip: bool = True
) -> OmegaResult:
    r"""McDonald's omega total with its loadings and the count of rows left out.

    Same computation as :func:`mcdonald_omega`, returning an :class:`OmegaResult`.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least three for a meaningful one-factor model).
    nan_policy : {"listwise", "pairwise"}, default "listwise"
        ``"listwise"`` drops rows with any missing answer (``n_dropped``);
        ``"pairwise"`` uses pairwise-complete correlations as ``psych::omega`` does.
    flip : bool, default True
        Reverse items that load negatively before summing (psych's default).

    Returns
    -------
    OmegaResult

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4],
    ...                   "c": [1, 3, 3, 4, 5]})
    >>> mcdonald_omega_details(x).n_dropped
    0

    # R: psych::omega(na.omit(x), nfactors = 1)$omega.tot
    """
    columns = _check_items(items, nan_policy)
    if len(columns) < 3:
        raise ValueError(f"mcdonald_omega: needs at least 3 items, got {len(columns)}")
    kept, n_used, n_dropped, _ = _prepare(items, nan_policy)
    require_min_rows(n_used, 3, "mcdonald_omega")
    _covariance(kept, columns)  # checks variances and pair coverage
    # R: cor(x, use = "pairwise"): each correlation from its own pairwise-complete rows.
    corr = kept.corr(min_periods=2).to_numpy(copy=True)
    np.fill_diagonal(corr, 1.0)
    loadings = minres_loadings(corr, 1)[:, 0]
    key = np.ones(len(columns))
    if flip:
        key = np.where(loadings < 0, -1.0, 1.0)
    corr = corr * np.outer(key, key)
    loadings = loadings * key
    total = corr.sum()
    uniqueness = 1.0 - loadings**2
    omega = (total - uniqueness.sum()) / total
    return OmegaResult(
        omega_total=float(omega),
        loadings=pd.Series(loadings, index=pd.Index(columns, name="item"), name="loading"),
        flipped=tuple(c for c, s in zip(columns, key, strict=True) if s < 0),
        n_used=n_used,
        n_dropped=n_dropped,
        nan_policy=nan_policy,
    )


def mcdonald_omega(
    items: pd.DataFrame, nan_policy: NanPolicy = "listwise", flip: bool = True
) -> float:
    r"""McDonald's omega total of a scale, from a one-factor minres model.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (at least three); one row per respondent.
    nan_policy : {"listwise", "pairwise"}, default "listwise"
        ``"listwise"`` drops rows with a missing answer; ``"pairwise"`` uses
        pairwise-complete correlations, as ``psych::omega`` does on raw data.
    flip : bool, default True
        Reverse the sign of items that load negatively (psych's default).

    Returns
    -------
    float
        Omega total. Rows left out are not silent: :func:`mcdonald_omega_details`
        returns the same value with ``n_used`` and ``n_dropped``.

    Raises
    ------
    ValueError
        Fewer than three items, a non-numeric item, an item without variance, or fewer
        than three usable rows.

    Notes
    -----
    The items' correlation matrix :math:`R` is fitted with one factor by minimum
    residuals (:func:`~spiegel.analysis.factor.minres_loadings`), giving loadings
    :math:`\lambda_i` and uniquenesses :math:`u_i = 1 - \lambda_i^2`. Items with
    :math:`\lambda_i < 0` are reversed (``flip``), then

    .. math::

        \omega_t = \frac{\mathbf 1^\top R \mathbf 1 - \sum_i u_i}{\mathbf 1^\top R
        \mathbf 1}
        = \frac{(\sum_i \lambda_i)^2 + \sum_{i \ne j} r^{res}_{ij}}{\mathbf 1^\top R
        \mathbf 1}.

    Omega does not assume equal loadings (unlike alpha), only one common factor and
    uncorrelated errors. It equals ``psych::omega(x, nfactors = 1)$omega.tot``
    (psych warns that omega hierarchical is meaningless with one factor; omega total
    is what is reported here).

    References
    ----------
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Lawrence Erlbaum.

    Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the glb:
    Comments on Sijtsma. *Psychometrika*, 74(1), 145-154.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4],
    ...                   "c": [1, 3, 3, 4, 5]})
    >>> 0 < mcdonald_omega(x) <= 1
    True

    # R: psych::omega(x, nfactors = 1)$omega.tot
    """
    return mcdonald_omega_details(items, nan_policy=nan_policy, flip=flip).omega_total
