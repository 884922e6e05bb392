"""Empirical-Bayes (shrunken) group means from a one-way random-intercept model.

A unit mean of one or two people is a noisy measure of the unit: the random-intercept
model ``value ~ 1 + (1 | group)`` fitted by REML gives the between-group variance
:math:`\\tau^2`, the within-group variance :math:`\\sigma^2`, and for each group the
reliability of its mean and the mean shrunken towards the grand mean (the BLUP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from spiegel.analysis._common import drop_incomplete, require_columns, require_numeric

__all__ = ["shrunken_group_means"]

# Grid of sqrt(tau^2 / sigma^2) that brackets the REML optimum before Brent refines it.
_PHI_GRID = np.concatenate([[0.0], np.geomspace(1e-4, 1e3, 57)])


@dataclass(frozen=True)
class GroupStats:
    """Sufficient statistics of each group: size, mean and within-group sum of squares."""

    n: np.ndarray
    mean: np.ndarray
    within_ss: np.ndarray


@dataclass(frozen=True)
class OneWayFit:
    """REML estimates of the one-way random-intercept model."""

    mu: float
    tau2: float
    sigma2: float

    def reliability(self, n: np.ndarray) -> np.ndarray:
        """Reliability of a group mean of ``n`` people: tau² / (tau² + sigma² / n)."""
        out: np.ndarray = self.tau2 / (self.tau2 + self.sigma2 / np.asarray(n, dtype=float))
        return out


def group_stats(values: np.ndarray, codes: np.ndarray, n_groups: int) -> GroupStats:
    """:class:`GroupStats` of ``values`` grouped by integer ``codes`` (0 .. n_groups - 1)."""
    n = np.bincount(codes, minlength=n_groups).astype(float)
    mean = np.bincount(codes, weights=values, minlength=n_groups) / n
    ss = np.bincount(codes, weights=(values - mean[codes]) ** 2, minlength=n_groups)
    return GroupStats(n=n, mean=mean, within_ss=ss)


def _deviance(
    theta: np.ndarray, s: GroupStats, total_ss_within: float, n_total: float
) -> np.ndarray:
    """Profiled REML deviance (up to a constant) at each theta = tau² / sigma²."""
    nt = np.outer(theta, s.n)
    w = s.n / (1.0 + nt)
    sw = w.sum(axis=1)
    mu = (w @ s.mean) / sw
    q = total_ss_within + (w * (s.mean[None, :] - mu[:, None]) ** 2).sum(axis=1)
    out: np.ndarray = (n_total - 1.0) * np.log(q) + np.log1p(nt).sum(axis=1) + np.log(sw)
    return out


def one_way_reml(s: GroupStats, what: str = "one_way_reml") -> OneWayFit:
    r"""REML fit of :math:`y_{ij} = \mu + u_j + e_{ij}` from group sufficient statistics.

    With :math:`\theta = \tau^2/\sigma^2`, :math:`w_j = n_j / (1 + n_j\theta)`,
    :math:`\hat\mu = \sum w_j \bar y_j / \sum w_j` and
    :math:`Q = \sum_j \sum_i (y_{ij} - \bar y_j)^2 + \sum_j w_j (\bar y_j - \hat\mu)^2`,
    the profiled REML deviance
    :math:`(N-1)\log Q + \sum_j \log(1 + n_j\theta) + \log \sum_j w_j`
    is minimised over :math:`\theta \ge 0` (grid, then Brent), and
    :math:`\hat\sigma^2 = Q/(N-1)`, :math:`\hat\tau^2 = \hat\theta\hat\sigma^2`.
    Raises ``ValueError`` (prefixed with ``what``) with fewer than 3 groups or when no
    group has two people (the two variances cannot be told apart).

    References
    ----------
    Searle, S. R., Casella, G., & McCulloch, C. E. (1992). *Variance components*.
    Wiley, ch. 6.

    Examples
    --------
    # R: lme4::lmer(y ~ 1 + (1 | group), REML = TRUE); lme4::VarCorr(m); lme4::fixef(m)
    """
    if s.n.size < 3:
        raise ValueError(f"{what}: needs at least 3 units, got {s.n.size}")
    n_total = float(s.n.sum())
    within = float(s.within_ss.sum())
    if n_total - s.n.size < 1:
        raise ValueError(
            f"{what}: every unit has one person, so the spread between units cannot be "
            "told apart from the spread between people"
        )
    if within <= 0.0:
        raise ValueError(f"{what}: the people within each unit all give the same answer")
    dev = _deviance(_PHI_GRID**2, s, within, n_total)
    best = int(np.argmin(dev))
    lo = _PHI_GRID[max(best - 1, 0)]
    hi = _PHI_GRID[min(best + 1, _PHI_GRID.size - 1)]
    res = optimize.minimize_scalar(
        lambda p: float(_deviance(np.array([p * p]), s, within, n_total)[0]),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-12, "maxiter": 500},
    )
    phi = float(res.x)
    if dev[0] <= float(res.fun):  # the boundary tau² = 0 (_PHI_GRID starts at 0)
        phi = 0.0
    theta = phi * phi
    w = s.n / (1.0 + s.n * theta)
    mu = float((w * s.mean).sum() / w.sum())
    q = within + float((w * (s.mean - mu) ** 2).sum())
    sigma2 = q / (n_total - 1.0)
    return OneWayFit(mu=mu, tau2=theta * sigma2, sigma2=sigma2)


def shrunken_group_means(
    people: pd.DataFrame,
    value: str = "engagement",
    group: str = "unit",
    by: Sequence[str] = (),
) -> pd.DataFrame:
    r"""Observed and empirical-Bayes group means with the reliability of each mean.

    For each cell of ``by`` (e.g. role group and wave) the random-intercept model
    :math:`y_{ij} = \mu + u_j + e_{ij}`, :math:`u_j \sim N(0, \tau^2)`,
    :math:`e_{ij} \sim N(0, \sigma^2)` is fitted by REML across the groups (units), and
    each group mean of :math:`n_j` people is replaced by its BLUP

    .. math::

        \tilde y_j = \hat\mu + \lambda_j\,(\bar y_j - \hat\mu), \qquad
        \lambda_j = \frac{\hat\tau^2}{\hat\tau^2 + \hat\sigma^2 / n_j}

    where :math:`\lambda_j` is the reliability of the observed mean (ICC(2) for a group
    of :math:`n_j`). A unit with one manager and :math:`\tau^2 = \sigma^2/4` has
    :math:`\lambda = 0.2`: four fifths of the spread of such means between units is
    noise, and a regression on them is attenuated towards zero.

    Parameters
    ----------
    people : DataFrame
        One row per person: ``group``, ``value`` and the ``by`` columns.
    value : str
        Numeric column averaged per group.
    group : str
        Column of the group (unit) a person's answer is averaged in.
    by : sequence of str
        Columns whose cells are fitted separately (e.g. ``["role_group", "wave"]``).

    Returns
    -------
    DataFrame
        One row per cell and group: the ``by`` columns, ``group``, ``n``, ``mean``,
        ``eb_mean``, ``reliability``, and the cell's ``mu``, ``tau2``, ``sigma2`` and
        ``icc`` (:math:`\tau^2/(\tau^2+\sigma^2)`). ``attrs["n_dropped"]`` counts people
        left out for a missing value, group or ``by`` entry.

    Raises
    ------
    ValueError
        When a column is missing or ``value`` is not numeric, or a cell has fewer than
        3 groups or no group with two people (the cell is named).

    References
    ----------
    Lüdtke, O., Marsh, H. W., Robitzsch, A., Trautwein, U., Asparouhov, T., & Muthén, B.
    (2008). The multilevel latent covariate model. *Psychological Methods* 13(3),
    203–229.
    Raudenbush, S. W., & Bryk, A. S. (2002). *Hierarchical linear models* (2nd ed.).
    Sage, ch. 3.

    Examples
    --------
    # R: m <- lme4::lmer(engagement ~ 1 + (1 | unit), data = cell, REML = TRUE)
    #    coef(m)$unit   # eb_mean;  as.data.frame(lme4::VarCorr(m))$vcov  # tau2, sigma2
    """
    keys = list(by)
    if group in keys or value in keys:
        raise ValueError("shrunken_group_means: by must not contain the group or value column")
    require_columns(people, [value, group, *keys], "shrunken_group_means people")
    require_numeric(people, [value], "shrunken_group_means people")
    data, n_dropped = drop_incomplete(people, [value, group, *keys])
    parts = []
    cells = data.groupby(keys, sort=True) if keys else [((), data)]
    for cell, rows in cells:
        label = dict(zip(keys, cell if isinstance(cell, tuple) else (cell,), strict=True))
        codes, groups = pd.factorize(rows[group], sort=True)
        s = group_stats(rows[value].to_numpy(dtype=float), codes, len(groups))
        where = ", ".join(f"{k}={v!r}" for k, v in label.items()) or "all rows"
        fit = one_way_reml(s, f"shrunken_group_means ({where})")
        lam = fit.reliability(s.n)
        part = pd.DataFrame(
            {
                **{k: [v] * len(groups) for k, v in label.items()},
                group: groups,
                "n": s.n.astype(int),
                "mean": s.mean,
                "eb_mean": fit.mu + lam * (s.mean - fit.mu),
                "reliability": lam,
                "mu": fit.mu,
                "tau2": fit.tau2,
                "sigma2": fit.sigma2,
                "icc": fit.tau2 / (fit.tau2 + fit.sigma2),
            }
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out.attrs["n_dropped"] = n_dropped
    return out
