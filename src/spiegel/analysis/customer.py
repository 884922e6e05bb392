"""Customer metrics: Net Promoter Score, the 1–10 school grade and moments of truth.

Each function takes raw answers (one value per customer), leaves missing answers out and
reports how many it left out, and returns the estimate with a confidence interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.analysis._common import as_float_array, check_level, require_columns, require_numeric

__all__ = ["GradeSummary", "NPSResult", "grade_summary", "moments_of_truth", "nps"]

#: Pseudo-observations added by the adjusted Wald interval (Rocks 2016):
#: detractors, passives, promoters.
ADJUSTED_WALD_PSEUDO: tuple[float, float, float] = (0.75, 1.5, 0.75)


@dataclass(frozen=True)
class NPSResult:
    """Net Promoter Score with its standard error and confidence interval.

    ``nps``, ``se``, ``ci_low`` and ``ci_high`` are on the −100..100 scale.
    ``promoters``, ``passives`` and ``detractors`` are counts; ``n`` is their sum and
    ``n_dropped`` the number of missing answers left out.
    """

    nps: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    promoters: int
    passives: int
    detractors: int
    n_dropped: int
    method: str
    level: float


@dataclass(frozen=True)
class GradeSummary:
    """Summary of a 1–10 school grade.

    ``distribution`` holds the count of every grade 1..10 (zeros included);
    ``share_8_plus`` is the proportion of grades of 8 or higher.
    """

    n: int
    mean: float
    sd: float
    se: float
    ci_low: float
    ci_high: float
    distribution: dict[int, int]
    share_8_plus: float
    n_dropped: int
    level: float


def _integer_scores(values: object, low: int, high: int, what: str) -> tuple[np.ndarray, int]:
    """Non-missing values as floats, checked to be integers in [low, high]."""
    arr = as_float_array(values, what)
    missing = np.isnan(arr)
    kept = arr[~missing]
    bad = kept[(kept < low) | (kept > high) | (kept != np.round(kept))]
    if bad.size:
        shown = ", ".join(f"{v:g}" for v in np.unique(bad)[:5])
        raise ValueError(f"{what} must be whole numbers from {low} to {high}; found {shown}")
    return kept, int(missing.sum())


def nps(
    scores: object,
    method: Literal["wald", "adjusted_wald"] = "wald",
    level: float = 0.95,
) -> NPSResult:
    r"""Net Promoter Score of 0–10 likelihood-to-recommend answers, with a CI.

    Promoters answer 9 or 10, passives 7 or 8, detractors 0 to 6. With proportions
    :math:`p` (promoters) and :math:`d` (detractors) out of :math:`n` answers:

    .. math::

        \mathrm{NPS} = 100\,(p - d), \qquad
        \widehat{\mathrm{Var}}(p - d) = \frac{p + d - (p - d)^2}{n}

    ``method="wald"`` gives :math:`100\,[(p - d) \pm z_{1-\alpha/2}\,\mathrm{SE}]`.
    ``method="adjusted_wald"`` first adds pseudo-observations — 3/4 of a detractor,
    3/2 of a passive and 3/4 of a promoter, so :math:`\tilde n = n + 3` — and computes
    the same Wald interval from the adjusted proportions
    :math:`\tilde p = (P + 3/4)/\tilde n`, :math:`\tilde d = (D + 3/4)/\tilde n`; the
    interval is centred on :math:`\tilde p - \tilde d` (the point estimate ``nps``
    stays the observed score and ``se`` is the adjusted standard error). The interval
    is clipped to [−100, 100]. The Wald interval always contains the observed score;
    the adjusted one is shrunk towards 0 and, with very few answers (e.g. a single
    detractor), can leave the observed score outside — it has the better coverage of
    the true score nonetheless (Rocks 2016). Answers are assumed independent.

    Parameters
    ----------
    scores : array-like
        Answers 0–10 (whole numbers); NaN answers are left out and counted.
    method : {"wald", "adjusted_wald"}
        Interval method.
    level : float
        Confidence level.

    Returns
    -------
    NPSResult

    Raises
    ------
    ValueError
        When an answer is not a whole number from 0 to 10, no answer is left, or the
        method or level is invalid.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*
    81(12), 46–54.
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> nps([10, 9, 8, 7, 3]).nps
    20.0

    # R: p <- mean(x >= 9); d <- mean(x <= 6); 100 * (p - d)
    #    ± 100 * qnorm(.975) * sqrt((p + d - (p - d)^2) / length(x))
    #    (R package NPS: nps_test(x, test = "adjusted.wald"))
    """
    if method not in ("wald", "adjusted_wald"):
        raise ValueError(f"method must be 'wald' or 'adjusted_wald', got {method!r}")
    level = check_level(level)
    kept, n_dropped = _integer_scores(scores, 0, 10, "NPS scores")
    n = int(kept.size)
    if n == 0:
        raise ValueError("NPS scores: no non-missing answers")
    promoters = int(np.sum(kept >= 9))
    detractors = int(np.sum(kept <= 6))
    passives = n - promoters - detractors
    point = (promoters - detractors) / n
    z = float(stats.norm.ppf(0.5 + level / 2))
    if method == "wald":
        n_eff = float(n)
        p = promoters / n_eff
        d = detractors / n_eff
    else:
        add_d, add_pas, add_p = ADJUSTED_WALD_PSEUDO
        n_eff = n + add_d + add_pas + add_p
        p = (promoters + add_p) / n_eff
        d = (detractors + add_d) / n_eff
    centre = p - d
    se = float(np.sqrt(max(p + d - centre**2, 0.0) / n_eff))
    low = max(centre - z * se, -1.0)
    high = min(centre + z * se, 1.0)
    return NPSResult(
        nps=100.0 * point,
        se=100.0 * se,
        ci_low=100.0 * low,
        ci_high=100.0 * high,
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        n_dropped=n_dropped,
        method=method,
        level=level,
    )


def _mean_ci(values: np.ndarray, level: float) -> tuple[float, float, float, float, float]:
    """Mean, sd, se and t-based CI of ``values`` (NaN where undefined)."""
    n = values.size
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan"), float("nan"), float("nan")
    sd = float(values.std(ddof=1))
    se = sd / np.sqrt(n)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se
    return mean, sd, float(se), mean - half, mean + half


def grade_summary(grades: object, level: float = 0.95) -> GradeSummary:
    r"""Summarise customer school grades (1–10): mean with CI, spread and distribution.

    .. math::

        \bar x \pm t_{1-\alpha/2,\,n-1}\,\frac{s}{\sqrt n}, \qquad
        \text{share}_{\ge 8} = \frac{\#\{x_i \ge 8\}}{n}

    Parameters
    ----------
    grades : array-like
        Grades 1–10 (whole numbers); NaN grades are left out and counted.
    level : float
        Confidence level of the t interval for the mean.

    Returns
    -------
    GradeSummary

    Raises
    ------
    ValueError
        When a grade is not a whole number from 1 to 10 or no grade is left.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1–25.

    Examples
    --------
    >>> grade_summary([7, 8, 8, 9, 6]).share_8_plus
    0.6

    # R: t.test(x, conf.level = 0.95); table(factor(x, levels = 1:10)); mean(x >= 8)
    """
    level = check_level(level)
    kept, n_dropped = _integer_scores(grades, 1, 10, "grades")
    if kept.size == 0:
        raise ValueError("grades: no non-missing grades")
    mean, sd, se, low, high = _mean_ci(kept, level)
    distribution = {g: int(np.sum(kept == g)) for g in range(1, 11)}
    return GradeSummary(
        n=int(kept.size),
        mean=mean,
        sd=sd,
        se=se,
        ci_low=low,
        ci_high=high,
        distribution=distribution,
        share_8_plus=float(np.mean(kept >= 8)),
        n_dropped=n_dropped,
        level=level,
    )


def moments_of_truth(
    data: pd.DataFrame,
    aspects: Sequence[str],
    unit: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Mean rating with a t confidence interval for each moment of truth.

    Every aspect (e.g. first contact, intake, drop-off, complaint handling) is
    summarised on its own answers, so a customer who skipped one aspect still counts
    for the others:

    .. math::

        \bar x_a \pm t_{1-\alpha/2,\,n_a-1}\,\frac{s_a}{\sqrt{n_a}}

    Parameters
    ----------
    data : DataFrame
        One row per customer, one numeric column per aspect.
    aspects : sequence of str
        Aspect columns.
    unit : str, optional
        Column identifying the unit; when given, each aspect is summarised per unit.
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        Columns ``aspect`` (and ``unit`` when given), ``n``, ``mean``, ``sd``, ``se``,
        ``ci_low``, ``ci_high`` and ``n_dropped`` (missing answers to that aspect, in
        that unit). With ``unit``, rows whose unit is missing are left out of every
        summary and counted in ``attrs["n_dropped_unit"]``.

    Raises
    ------
    ValueError
        When a column is missing or not numeric, or no aspect is given.

    References
    ----------
    Carlzon, J. (1987). *Moments of truth*. Cambridge, MA: Ballinger.
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1–25.

    Examples
    --------
    >>> df = pd.DataFrame({"intake": [8, 9, 7], "pickup": [6, 7, None]})
    >>> moments_of_truth(df, ["intake", "pickup"])["n"].tolist()
    [3, 2]

    # R: sapply(df[aspects], function(x) t.test(na.omit(x))$conf.int)
    """
    level = check_level(level)
    aspects = list(aspects)
    if not aspects:
        raise ValueError("moments_of_truth: give at least one aspect column")
    columns = [*aspects, unit] if unit is not None else aspects
    require_columns(data, columns, "moments_of_truth data")
    require_numeric(data, aspects, "moments_of_truth data")
    n_dropped_unit = 0
    if unit is not None:
        unit_missing = data[unit].isna()
        n_dropped_unit = int(unit_missing.sum())
        frame = data.loc[~unit_missing]
        groups: list[tuple[object, pd.DataFrame]] = list(frame.groupby(unit, sort=True))
    else:
        groups = [(None, data)]
    rows: list[dict[str, object]] = []
    for key, part in groups:
        for aspect in aspects:
            values = part[aspect].to_numpy(dtype=float)
            kept = values[~np.isnan(values)]
            mean, sd, se, low, high = _mean_ci(kept, level)
            row: dict[str, object] = {"aspect": aspect}
            if unit is not None:
                row["unit"] = key
            row.update(
                n=int(kept.size),
                mean=mean,
                sd=sd,
                se=se,
                ci_low=low,
                ci_high=high,
                n_dropped=int(values.size - kept.size),
            )
            rows.append(row)
    result = pd.DataFrame(rows)
    result.attrs["n_dropped_unit"] = n_dropped_unit
    result.attrs["level"] = level
    return result
