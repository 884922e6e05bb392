"""A unit's mean against the mean of a wider group it belongs to (its region, the whole
organisation), with a confidence interval."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spiegel.analysis._common import check_level
from spiegel.analysis._twosample import welch_from_moments

__all__ = ["UnitDifferenceArrays", "unit_against_group", "unit_differences_from_moments"]


@dataclass(frozen=True)
class UnitDifferenceArrays:
    """Element-wise results of :func:`unit_differences_from_moments`.

    ``n_rest`` is the size of the rest of the wider group (the wider group without the
    unit); ``difference`` is ``mean_unit - mean_group`` and ``ci_low``/``ci_high`` its
    interval; ``t``, ``df`` and ``p`` test the unit against the rest (Welch); ``d`` is
    Cohen's d of the unit against the rest.
    """

    n_rest: np.ndarray
    mean_rest: np.ndarray
    difference: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    t: np.ndarray
    df: np.ndarray
    p: np.ndarray
    d: np.ndarray


def unit_differences_from_moments(
    n_unit: np.ndarray,
    mean_unit: np.ndarray,
    var_unit: np.ndarray,
    n_group: np.ndarray,
    mean_group: np.ndarray,
    var_group: np.ndarray,
    level: float = 0.95,
) -> UnitDifferenceArrays:
    r"""A unit against the wider group that contains it, from the moments of both.

    The unit's people are part of the wider group, so the two means are not independent:
    the test compares the unit with the *rest* of the group (everyone in the group but
    the unit) by Welch's unequal-variance t-test. The rest's moments follow from the
    group's and the unit's (:math:`n_r = n_g - n_u`, and the sum of squared deviations
    splits as in Chan et al.):

    .. math::

        \bar x_r = \frac{n_g \bar x_g - n_u \bar x_u}{n_r}, \qquad
        (n_r - 1) s_r^2 = (n_g - 1) s_g^2 - (n_u - 1) s_u^2
                          - \frac{n_u n_r}{n_g} (\bar x_u - \bar x_r)^2

    The difference shown is the unit's mean minus the group's (the two means a page
    shows), which is the unit-minus-rest difference times :math:`n_r / n_g`; its interval
    is the Welch interval scaled by the same factor, so ``t``, ``df`` and ``p`` are the
    Welch test's:

    .. math::

        \bar x_u - \bar x_g = \frac{n_r}{n_g}(\bar x_u - \bar x_r)

    Elements where the rest has fewer than two people, or either side has no variance,
    get NaN statistics (as :func:`spiegel.analysis._twosample.welch_from_moments`).

    Parameters
    ----------
    n_unit, mean_unit, var_unit : numpy.ndarray
        Count, mean and variance (``ddof=1``) of the unit, one element per comparison.
    n_group, mean_group, var_group : numpy.ndarray
        The same for the wider group, which includes the unit.
    level : float
        Confidence level of the interval.

    Returns
    -------
    UnitDifferenceArrays

    Raises
    ------
    ValueError
        When ``level`` is not in (0, 1).

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34, 28–35.

    Chan, T. F., Golub, G. H., & LeVeque, R. J. (1979). Updating formulae and a pairwise
    algorithm for computing sample variances. Stanford CS report STAN-CS-79-773.

    Examples
    --------
    >>> res = unit_against_group(np.array([4.0, 4.5, 5.0]), np.array([3.0, 3.5, 4.0, 4.0,
    ...                          4.5, 5.0]))
    >>> round(float(res.difference[0]), 3)
    0.333

    # R: t.test(unit, rest)$conf.int * length(rest) / (length(unit) + length(rest))
    """
    check_level(level, "unit_differences_from_moments")
    n_u = np.asarray(n_unit, dtype=float)
    m_u = np.asarray(mean_unit, dtype=float)
    v_u = np.asarray(var_unit, dtype=float)
    n_g = np.asarray(n_group, dtype=float)
    m_g = np.asarray(mean_group, dtype=float)
    v_g = np.asarray(var_group, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_r = n_g - n_u
        m_r = np.where(n_r > 0, (n_g * m_g - n_u * m_u) / n_r, np.nan)
        ss_u = np.where(n_u >= 2, (n_u - 1) * v_u, 0.0)
        ss_r = (n_g - 1) * v_g - ss_u - n_u * n_r / n_g * (m_u - m_r) ** 2
        # Rounding can leave a constant rest a hair below zero.
        ss_r = np.maximum(ss_r, 0.0)
        v_r = np.where(n_r >= 2, ss_r / (n_r - 1), np.nan)
        welch = welch_from_moments(n_u, m_u, v_u, n_r, m_r, v_r, level)
        share = np.where(n_g > 0, n_r / n_g, np.nan)
    return UnitDifferenceArrays(
        n_rest=n_r,
        mean_rest=m_r,
        difference=m_u - m_g,
        ci_low=welch.ci_low * share,
        ci_high=welch.ci_high * share,
        t=welch.t,
        df=welch.df,
        p=welch.p,
        d=welch.d,
    )


def unit_against_group(
    unit: np.ndarray, rest: np.ndarray, level: float = 0.95
) -> UnitDifferenceArrays:
    """A unit's values against the rest of its group's (the group is both together):
    :func:`unit_differences_from_moments` of one comparison, from the raw values."""
    unit = np.asarray(unit, dtype=float)
    rest = np.asarray(rest, dtype=float)
    group = np.concatenate([unit, rest])

    def var(x: np.ndarray) -> float:
        return float(x.var(ddof=1)) if x.size >= 2 else float("nan")

    return unit_differences_from_moments(
        np.array([unit.size]), np.array([unit.mean() if unit.size else np.nan]),
        np.array([var(unit)]), np.array([group.size]),
        np.array([group.mean() if group.size else np.nan]), np.array([var(group)]), level,
    )  # fmt: skip
