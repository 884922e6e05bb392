r"""Within-group agreement and reliability of group means: ICC(1), ICC(2), r_wg, r_wg(j).

All group computations are vectorised (``numpy.bincount`` over integer group codes), so
they scale to millions of rows and thousands of groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from spiegel.analysis._common import (
    InsufficientData,
    as_float_array,
    require_columns,
    require_numeric,
)
from spiegel.analysis._grouping import compact_codes, group_codes, group_moments

__all__ = ["ICCResult", "icc", "rwg", "rwg_j", "uniform_null_variance"]


@dataclass(frozen=True)
class ICCResult:
    """Intraclass correlations from a one-way ANOVA (see :func:`icc`).

    Attributes
    ----------
    icc1 : float
        ICC(1): share of variance between groups (reliability of one member's answer
        as an estimate of the group mean).
    icc2 : float
        ICC(2): reliability of the group means.
    n_groups : int
        Groups with at least one usable row.
    n_used, n_dropped : int
        Rows used, and rows left out because the value or the group was missing.
    ms_between, ms_within : float
        ANOVA mean squares.
    mean_group_size : float
        :math:`N / J`, the group size used in ICC(1) (as ``multilevel::ICC1``).
    """

    icc1: float
    icc2: float
    n_groups: int
    n_used: int
    n_dropped: int
    ms_between: float
    ms_within: float
    mean_group_size: float


def _prepare_single(values: object, groups: object) -> tuple[np.ndarray, np.ndarray, pd.Index, int]:
    x = as_float_array(values, "values")
    codes, labels = group_codes(groups, len(x))
    keep = ~np.isnan(x) & (codes >= 0)
    n_dropped = int((~keep).sum())
    codes, labels = compact_codes(codes[keep], labels)
    return x[keep], codes, labels, n_dropped


def icc(values: object, groups: object) -> ICCResult:
    r"""ICC(1) and ICC(2) of individual answers nested in groups (one-way ANOVA).

    Parameters
    ----------
    values : array_like of float
        One answer (or scale score) per respondent; NaN is left out.
    groups : array_like
        The group (unit) of each respondent, same length; missing is left out.

    Returns
    -------
    ICCResult

    Raises
    ------
    ValueError
        Lengths differ, values are not numeric, fewer than two groups, no
        within-group degrees of freedom, or all values equal.

    Notes
    -----
    With :math:`N` respondents in :math:`J` groups, group sizes :math:`n_j`, group means
    :math:`\bar x_j` and grand mean :math:`\bar x`:

    .. math::

        MS_B = \frac{\sum_j n_j(\bar x_j - \bar x)^2}{J-1},\quad
        MS_W = \frac{\sum_j\sum_i (x_{ij} - \bar x_j)^2}{N-J},\quad
        k = N/J,

        \mathrm{ICC}(1) = \frac{MS_B - MS_W}{MS_B + (k-1)MS_W},\qquad
        \mathrm{ICC}(2) = \frac{MS_B - MS_W}{MS_B}.

    As in ``multilevel::ICC1``, :math:`k` is the mean group size (not the adjusted
    :math:`n_0` of unbalanced ANOVA). ICC(1) can be negative when groups differ less
    than chance would make them.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability:
    Implications for data aggregation and analysis. In K. J. Klein & S. W. J.
    Kozlowski (Eds.), *Multilevel theory, research, and methods in organizations*
    (pp. 349-381). Jossey-Bass.

    Examples
    --------
    >>> r = icc([1, 2, 2, 3, 4, 5], ["a", "a", "a", "b", "b", "b"])
    >>> round(r.icc1, 4), round(r.icc2, 4)
    (0.7895, 0.9184)

    # R: multilevel::ICC1(aov(y ~ as.factor(g))); multilevel::ICC2(aov(y ~ as.factor(g)))
    """
    x, codes, labels, n_dropped = _prepare_single(values, groups)
    k = len(labels)
    n_total = len(x)
    if k < 2:
        raise InsufficientData("icc", 2, k, "groups with data")
    if n_total <= k:
        raise ValueError(f"icc: needs more rows ({n_total}) than groups ({k})")
    n, mean, ss = group_moments(x, codes, k)
    grand = x.mean()
    ms_between = float(np.sum(n * (mean - grand) ** 2) / (k - 1))
    ms_within = float(ss.sum() / (n_total - k))
    if ms_between == 0 and ms_within == 0:
        raise ValueError("icc: all values are equal; the ICC is undefined")
    size = n_total / k
    with np.errstate(divide="ignore", invalid="ignore"):
        icc1 = (ms_between - ms_within) / (ms_between + (size - 1) * ms_within)
        icc2 = (ms_between - ms_within) / ms_between if ms_between > 0 else -np.inf
    return ICCResult(
        icc1=float(icc1),
        icc2=float(icc2),
        n_groups=k,
        n_used=n_total,
        n_dropped=n_dropped,
        ms_between=ms_between,
        ms_within=ms_within,
        mean_group_size=float(size),
    )


def uniform_null_variance(options: int) -> float:
    r"""Variance of a uniform answer over ``options`` response options, :math:`(A^2-1)/12`.

    Examples
    --------
    >>> uniform_null_variance(5)
    2.0

    # R: (A^2 - 1) / 12
    """
    if isinstance(options, bool) or not isinstance(options, int | np.integer) or options < 2:
        raise ValueError(
            f"options must be an integer number of response options >= 2, got {options!r}"
        )
    return (float(options) ** 2 - 1.0) / 12.0


def _null_variance(options: int | None, null_variance: float | None) -> float:
    if null_variance is not None:
        if not np.isfinite(null_variance) or null_variance <= 0:
            raise ValueError(f"null_variance must be a positive number, got {null_variance}")
        return float(null_variance)
    if options is None:
        raise ValueError("give options (number of response options) or null_variance")
    return uniform_null_variance(options)


def rwg(
    values: object,
    groups: object,
    options: int | None = None,
    *,
    null_variance: float | None = None,
) -> pd.DataFrame:
    r"""Within-group agreement :math:`r_{wg}` on a single item, per group.

    Parameters
    ----------
    values : array_like of float
        One answer per respondent on a scale with ``options`` response options.
    groups : array_like
        The group of each respondent.
    options : int
        Number of response options :math:`A` (e.g. 5 for a five-point scale); the null
        (no agreement) variance is that of a uniform answer, :math:`(A^2-1)/12`.
    null_variance : float, optional
        Another null variance :math:`\sigma^2_E` (e.g. a slightly skewed null, LeBreton &
        Senter 2008, table 2); overrides ``options``.

    Returns
    -------
    pandas.DataFrame
        Index: group (sorted). Columns ``rwg``, ``variance`` (observed within-group
        variance :math:`s^2_x`, not truncated) and ``n``. ``rwg`` is NaN for a group of
        one. ``result.attrs["n_dropped"]`` counts rows left out for a missing value or
        group.

    Notes
    -----
    .. math::

        r_{wg} = 1 - \frac{\min(s^2_x, \sigma^2_E)}{\sigma^2_E},
        \qquad \sigma^2_E = \frac{A^2 - 1}{12}.

    An observed variance above the null variance is truncated to it, giving
    :math:`r_{wg} = 0`, exactly as ``multilevel::rwg``.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *Journal of Applied Psychology*, 69(1),
    85-98.

    LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods*, 11(4),
    815-852.

    Examples
    --------
    >>> rwg([4, 4, 5, 1, 5], ["a", "a", "a", "b", "b"], options=5)["rwg"].round(4).tolist()
    [0.8333, 0.0]

    # R: multilevel::rwg(x, grpid, ranvar = (A^2 - 1) / 12)
    """
    sigma2 = _null_variance(options, null_variance)
    x, codes, labels, n_dropped = _prepare_single(values, groups)
    k = len(labels)
    n, _, ss = group_moments(x, codes, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(n > 1, ss / (n - 1), np.nan)
    value = np.where(n > 1, 1.0 - np.minimum(variance, sigma2) / sigma2, np.nan)
    out = pd.DataFrame(
        {"rwg": value, "variance": variance, "n": n.astype(np.int64)},
        index=labels.rename("group"),
    )
    out.attrs["n_dropped"] = n_dropped
    return out


def rwg_j(
    items: pd.DataFrame,
    groups: object,
    options: int | None = None,
    *,
    null_variance: float | None = None,
) -> pd.DataFrame:
    r"""Within-group agreement :math:`r_{wg(j)}` on a multi-item scale, per group.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (:math:`J` items, same response format), one row per
        respondent.
    groups : array_like
        The group of each respondent (same length as ``items``), or the name of a
        column of ``items`` that holds it.
    options : int
        Number of response options :math:`A`; null variance :math:`(A^2-1)/12`.
    null_variance : float, optional
        Another null variance; overrides ``options``.

    Returns
    -------
    pandas.DataFrame
        Index: group (sorted). Columns ``rwg_j``, ``mean_variance`` (mean of the item
        variances :math:`\bar s^2_{x_j}`, not truncated) and ``n``. NaN for a group of
        one. ``result.attrs["n_dropped"]`` counts rows left out: rows with any missing
        item or a missing group are dropped (listwise, as ``multilevel::rwg.j``).

    Notes
    -----
    .. math::

        r_{wg(j)} = \frac{J\,(1 - \bar s^2_{x_j}/\sigma^2_E)}
                         {J\,(1 - \bar s^2_{x_j}/\sigma^2_E) + \bar s^2_{x_j}/\sigma^2_E},

    with :math:`\bar s^2_{x_j}` truncated at :math:`\sigma^2_E` (then
    :math:`r_{wg(j)} = 0`), as ``multilevel::rwg.j``.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *Journal of Applied Psychology*, 69(1),
    85-98.

    LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods*, 11(4),
    815-852.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [4, 4, 5], "b": [4, 5, 5]})
    >>> round(float(rwg_j(x, ["t", "t", "t"], options=5)["rwg_j"].iloc[0]), 4)
    0.9091

    # R: multilevel::rwg.j(x, grpid, ranvar = (A^2 - 1) / 12)
    """
    sigma2 = _null_variance(options, null_variance)
    if isinstance(groups, str):
        require_columns(items, [groups], "items")
        group_values: object = items[groups]
        items = items.drop(columns=[groups])
    else:
        group_values = groups
    if not isinstance(items, pd.DataFrame):
        raise ValueError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    columns: Sequence[str] = list(items.columns)
    if not columns:
        raise ValueError("items: needs at least one item column")
    require_numeric(items, columns, "items")
    data = items.to_numpy(dtype=float, na_value=np.nan)
    codes, labels = group_codes(group_values, len(data))
    keep = ~np.isnan(data).any(axis=1) & (codes >= 0)
    n_dropped = int((~keep).sum())
    data = data[keep]
    codes, labels = compact_codes(codes[keep], labels)
    k = len(labels)
    n = np.bincount(codes, minlength=k)
    variances = np.empty((k, data.shape[1]))
    for j in range(data.shape[1]):  # loop over items, not groups
        _, _, ss = group_moments(data[:, j], codes, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            variances[:, j] = ss / (n - 1)
    mean_var = np.where(n > 1, variances.mean(axis=1), np.nan)
    ratio = np.minimum(mean_var, sigma2) / sigma2
    n_items = data.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = n_items * (1 - ratio) / (n_items * (1 - ratio) + ratio)
    value = np.where(n > 1, value, np.nan)
    out = pd.DataFrame(
        {"rwg_j": value, "mean_variance": mean_var, "n": n.astype(np.int64)},
        index=labels.rename("group"),
    )
    out.attrs["n_dropped"] = n_dropped
    return out
