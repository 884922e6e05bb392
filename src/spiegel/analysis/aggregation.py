r"""Aggregation of respondent scores to units, and whether aggregation is justified."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.analysis._common import require_columns, require_numeric
from spiegel.analysis._grouping import group_codes, group_moments
from spiegel.analysis.agreement import icc, rwg, rwg_j

__all__ = ["AggregationCheck", "aggregate_units", "check_aggregation"]


def aggregate_units(
    scores: pd.DataFrame, unit: str, value: str, confidence: float = 0.95
) -> pd.DataFrame:
    r"""Per unit: number of respondents, mean, standard deviation and a t confidence interval.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per respondent.
    unit : str
        Column with the unit (team, location) of each respondent.
    value : str
        Numeric column to aggregate (e.g. a scale score).
    confidence : float, default 0.95
        Confidence level of the interval for the unit mean.

    Returns
    -------
    pandas.DataFrame
        Index: unit (sorted). Columns ``n``, ``mean``, ``sd`` (divisor :math:`n-1`),
        ``ci_low``, ``ci_high``. ``sd`` and the interval are NaN for a unit with one
        respondent. ``result.attrs["n_dropped"]`` counts rows left out because the value
        or the unit was missing.

    Raises
    ------
    ValueError
        A column is missing, ``value`` is not numeric, or ``confidence`` is not in (0, 1).

    Notes
    -----
    For unit :math:`j` with :math:`n_j` answers:

    .. math::

        \bar x_j \pm t_{1-(1-c)/2,\; n_j - 1}\,\frac{s_j}{\sqrt{n_j}},

    the one-sample t interval, which assumes the unit's answers are a random sample
    from a population with a roughly normal mean (fine from about 10 answers up, or
    for symmetric scales). The work is vectorised with ``numpy.bincount``: no Python
    loop over units. Anonymity thresholds are not applied here; that is the privacy
    layer's job.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["a", "a", "a", "b"], "score": [4.0, 4.0, 5.0, 3.0]})
    >>> aggregate_units(df, "team", "score")["mean"].round(3).tolist()
    [4.333, 3.0]

    # R: aggregate(score ~ team, df, mean); t.test(df$score[df$team == "a"])$conf.int
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    require_columns(scores, [unit, value], "scores")
    require_numeric(scores, [value], "scores")
    x = scores[value].to_numpy(dtype=float, na_value=np.nan)
    codes, labels = group_codes(scores[unit], len(x), f"column {unit!r}")
    missing = np.isnan(x)
    if codes.size and codes.min() < 0:
        missing |= codes < 0
    n_dropped = int(np.count_nonzero(missing))
    if n_dropped:
        keep = ~missing
        x, codes = x[keep], codes[keep]
    n, mean, ss = group_moments(x, codes, len(labels))
    present = n > 0
    n, mean, ss, labels = n[present], mean[present], ss[present], labels[present]
    df = n - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n > 1, np.sqrt(ss / df), np.nan)
        # t quantiles once per distinct unit size, not once per unit.
        sizes, inverse = np.unique(df, return_inverse=True)
        t_crit = stats.t.ppf(0.5 + confidence / 2, sizes)[inverse]
        half = t_crit * sd / np.sqrt(n)
    out = pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "mean": mean,
            "sd": sd,
            "ci_low": mean - half,
            "ci_high": mean + half,
        },
        index=labels.rename(unit),
    )
    out.attrs["n_dropped"] = n_dropped
    return out


@dataclass(frozen=True)
class AggregationCheck:
    """Whether unit means of a score are meaningful (see :func:`check_aggregation`).

    Attributes
    ----------
    icc1, icc2 : float
        ICC(1) and ICC(2) of the score across units.
    median_rwg : float
        Median over units (with at least two respondents) of :math:`r_{wg}`, or of
        :math:`r_{wg(j)}` when items were given.
    n_groups : int
        Units with data.
    n_used, n_dropped : int
        Rows used for the ICCs and rows left out (missing score or unit).
    n_dropped_agreement : int
        Rows left out of the agreement index (missing score, item or unit).
    justified : bool
        All three criteria met.
    verdict : str
        Plain-language summary of the above.
    icc1_min, icc2_min, rwg_min : float
        The thresholds used.
    """

    icc1: float
    icc2: float
    median_rwg: float
    n_groups: int
    n_used: int
    n_dropped: int
    n_dropped_agreement: int
    justified: bool
    verdict: str
    icc1_min: float
    icc2_min: float
    rwg_min: float


def check_aggregation(
    scores: pd.DataFrame,
    unit: str,
    value: str,
    options: int | None = None,
    *,
    items: Sequence[str] | None = None,
    null_variance: float | None = None,
    icc1_min: float = 0.05,
    icc2_min: float = 0.70,
    rwg_min: float = 0.70,
) -> AggregationCheck:
    r"""Judge whether aggregating ``value`` to units is justified: ICC(1), ICC(2), r_wg.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per respondent.
    unit : str
        Column with the unit of each respondent.
    value : str
        Numeric column with the score to aggregate.
    options : int
        Number of response options of the items (for the r_wg null variance
        :math:`(A^2-1)/12`).
    items : sequence of str, optional
        Item columns of the scale; when given, agreement is :math:`r_{wg(j)}` on them,
        otherwise :math:`r_{wg}` on ``value``.
    null_variance : float, optional
        Another null variance for r_wg; overrides ``options``.
    icc1_min, icc2_min, rwg_min : float
        Thresholds; the defaults follow LeBreton & Senter (2008): ICC(1) of .05 is a
        small-to-medium effect of the unit, ICC(2) of .70 a reliable unit mean, and
        :math:`r_{wg}` above .70 strong agreement.

    Returns
    -------
    AggregationCheck

    Notes
    -----
    Aggregation is called justified when

    .. math::

        \mathrm{ICC}(1) > 0.05 \;\wedge\; \mathrm{ICC}(2) > 0.70 \;\wedge\;
        \operatorname{median}_j r_{wg,j} > 0.70,

    i.e. units differ (non-independence), their means are reliable, and members agree
    (see :func:`~spiegel.analysis.agreement.icc` and
    :func:`~spiegel.analysis.agreement.rwg` for the formulas). These are rules of thumb,
    not tests: a low ICC(2) with a fine ICC(1) usually means too few respondents per
    unit.

    References
    ----------
    LeBreton, J. M., & Senter, J. L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods*, 11(4),
    815-852.

    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability:
    Implications for data aggregation and analysis. In K. J. Klein & S. W. J.
    Kozlowski (Eds.), *Multilevel theory, research, and methods in organizations*
    (pp. 349-381). Jossey-Bass.

    Examples
    --------
    >>> df = pd.DataFrame({"team": list("aaabbbccc"),
    ...                    "score": [4, 4, 5, 2, 2, 1, 3, 3, 3]})
    >>> check_aggregation(df, "team", "score", options=5).justified
    True

    # R: multilevel::ICC1(aov(score ~ as.factor(team), df)); ICC2(...);
    #    median(multilevel::rwg(df$score, df$team, ranvar = (5^2 - 1) / 12)$rwg, na.rm = TRUE)
    """
    require_columns(scores, [unit, value, *(items or [])], "scores")
    require_numeric(scores, [value], "scores")
    icc_result = icc(scores[value].to_numpy(dtype=float, na_value=np.nan), scores[unit].to_numpy())
    if items:
        agreement = rwg_j(
            scores[list(items)],
            scores[unit].to_numpy(),
            options,
            null_variance=null_variance,
        )
        column, label = "rwg_j", "r_wg(j)"
    else:
        agreement = rwg(
            scores[value].to_numpy(dtype=float, na_value=np.nan),
            scores[unit].to_numpy(),
            options,
            null_variance=null_variance,
        )
        column, label = "rwg", "r_wg"
    defined = agreement[column].dropna()
    median_rwg = float(defined.median()) if len(defined) else float("nan")

    checks = [
        (
            icc_result.icc1 > icc1_min,
            f"ICC(1) = {icc_result.icc1:.2f}",
            icc1_min,
            "units hardly differ from each other",
        ),
        (
            icc_result.icc2 > icc2_min,
            f"ICC(2) = {icc_result.icc2:.2f}",
            icc2_min,
            "unit means are not reliable; more respondents per unit are needed",
        ),
        (
            median_rwg > rwg_min,
            f"median {label} = {median_rwg:.2f}",
            rwg_min,
            "members of a unit do not agree enough",
        ),
    ]
    justified = all(ok for ok, *_ in checks)
    if justified:
        verdict = (
            "Aggregation to units is justified: "
            + ", ".join(f"{text} (> {limit:.2f})" for _, text, limit, _ in checks)
            + "."
        )
    else:
        problems = [
            f"{text} is not above {limit:.2f} ({why})" for ok, text, limit, why in checks if not ok
        ]
        verdict = "Aggregation to units is not justified: " + "; ".join(problems) + "."
    return AggregationCheck(
        icc1=icc_result.icc1,
        icc2=icc_result.icc2,
        median_rwg=median_rwg,
        n_groups=icc_result.n_groups,
        n_used=icc_result.n_used,
        n_dropped=icc_result.n_dropped,
        n_dropped_agreement=int(agreement.attrs["n_dropped"]),
        justified=justified,
        verdict=verdict,
        icc1_min=icc1_min,
        icc2_min=icc2_min,
        rwg_min=rwg_min,
    )
