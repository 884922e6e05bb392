"""Outcomes (absenteeism, turnover) of units flagged at risk against the other units."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.analysis._common import check_level, require_columns, require_numeric
from spiegel.analysis._twosample import welch_test
from spiegel.analysis.risk import LEVEL_CODE, RISK_LEVELS

__all__ = ["RiskOutcomeLink", "risk_outcome_link"]


@dataclass(frozen=True)
class RiskOutcomeLink:
    """Outcome of flagged units versus the other units (see :func:`risk_outcome_link`)."""

    risk_column: str
    outcome: str
    n_flagged: int
    n_other: int
    mean_flagged: float
    mean_other: float
    difference: float
    t: float
    df: float
    p: float
    ci_low: float
    ci_high: float
    d: float
    r: float
    r_p: float
    r_ci_low: float
    r_ci_high: float
    n: int
    n_dropped: int

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame."""
        return pd.DataFrame([asdict(self)])


def _pearson(x: np.ndarray, y: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Pearson r, two-sided p and Fisher-z CI as R ``cor.test`` (CI needs n >= 4)."""
    n = x.size
    nan = float("nan")
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return nan, nan, nan, nan
    r = float(np.corrcoef(x, y)[0, 1])
    r = max(-1.0, min(1.0, r))
    if abs(r) == 1:
        return r, 0.0, r, r
    t = r * math.sqrt((n - 2) / (1 - r * r))
    p = float(2 * stats.t.sf(abs(t), n - 2))
    if n < 4:
        return r, p, nan, nan
    z = math.atanh(r)
    half = float(stats.norm.ppf(1 - (1 - level) / 2)) / math.sqrt(n - 3)
    return r, p, math.tanh(z - half), math.tanh(z + half)


def risk_outcome_link(
    unit_scores: pd.DataFrame,
    risk_column: str,
    outcome: str,
    *,
    flagged: Collection[object] | None = None,
    cutoff: float | None = None,
    higher_is_risk: bool = True,
    level: float = 0.95,
) -> RiskOutcomeLink:
    r"""Compare an outcome (absenteeism, turnover, ...) between flagged and other units.

    Two views of the same question — do units at risk have worse outcomes?

    1. **Group comparison**: the mean outcome of the flagged units against the others,
       Welch's t-test and Cohen's d (pooled SD), as in :func:`mirror_gaps`, with
       difference = flagged − other.
    2. **Correlation**: Pearson's r between a risk score and the outcome, with the
       t-test :math:`t = r\sqrt{(n-2)/(1-r^2)}` and a Fisher-z interval
       :math:`\tanh(\operatorname{atanh} r \pm z_{1-\alpha/2}/\sqrt{n-3})`.

    What counts as flagged, and the risk score, follow the type of ``risk_column``:

    - boolean (e.g. ``exhaustion_high``): flagged when true; score 0/1 (point-biserial r);
    - risk levels from :func:`risk_flags` (``risk_level``): flagged when in ``flagged``
      (default ``{"high"}``); score none = 0, watch = 1, high = 2 (a linear trend over
      the levels); ``"unknown"`` units are left out;
    - numeric (a scale mean, e.g. ``exhaustion``): flagged when at or above ``cutoff``
      (at or below when ``higher_is_risk`` is false); score the value itself;
    - other labels: flagged when in ``flagged`` (required); score 0/1.

    Parameters
    ----------
    unit_scores : pandas.DataFrame
        One row per unit, e.g. the result of :func:`risk_flags` with outcome columns.
    risk_column : str
        Column that marks risk (see above).
    outcome : str
        Numeric outcome column.
    flagged : collection, optional
        Values of a label column that count as flagged.
    cutoff : float, optional
        Threshold for a numeric ``risk_column`` (required then).
    higher_is_risk : bool
        For a numeric ``risk_column``: whether high values are the risk (exhaustion) or
        low values (recovery).
    level : float
        Confidence level of both intervals.

    Returns
    -------
    RiskOutcomeLink
        Group sizes, means, difference with Welch t, df, p and CI, Cohen's d, and r with
        its p and CI, ``n`` units used and ``n_dropped`` units left out for a missing
        outcome or risk value. Statistics that need more data are NaN.

    Raises
    ------
    ValueError
        When a column is missing, ``outcome`` is not numeric, or ``cutoff``/``flagged``
        is needed and not given.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34, 28–35.

    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced
    from a small sample. *Metron*, 1, 3–32.

    Examples
    --------
    >>> u = pd.DataFrame({"flag": [True, True, False, False, False],
    ...                   "absenteeism": [7.0, 9.0, 4.0, 5.0, 6.0]})
    >>> risk_outcome_link(u, "flag", "absenteeism").difference
    3.0

    # R: t.test(absenteeism ~ !flag, data = u); cor.test(as.numeric(u$flag), u$absenteeism)
    """
    what = "risk_outcome_link: unit_scores"
    require_columns(unit_scores, [risk_column, outcome], what)
    require_numeric(unit_scores, [outcome], what)
    check_level(level, "risk_outcome_link")

    col = unit_scores[risk_column]
    y = unit_scores[outcome].to_numpy(dtype=float, na_value=np.nan)
    if pd.api.types.is_bool_dtype(col):
        known = col.notna().to_numpy()
        is_flagged = col.fillna(False).to_numpy(dtype=bool)
        score = is_flagged.astype(float)
    elif pd.api.types.is_numeric_dtype(col):
        if cutoff is None:
            raise ValueError(
                f"risk_outcome_link: {risk_column!r} is numeric; give cutoff= to say which "
                "units count as flagged"
            )
        score = col.to_numpy(dtype=float, na_value=np.nan)
        known = ~np.isnan(score)
        with np.errstate(invalid="ignore"):
            is_flagged = score >= cutoff if higher_is_risk else score <= cutoff
    else:
        labels = col.astype("object")
        present = set(labels.dropna().unique())
        if present <= set(RISK_LEVELS):
            chosen = {"high"} if flagged is None else set(flagged)
            codes = labels.map(LEVEL_CODE)
            score = codes.to_numpy(dtype=float, na_value=np.nan)
        elif flagged is None:
            raise ValueError(
                f"risk_outcome_link: {risk_column!r} holds labels; give flagged= with the "
                "values that count as flagged"
            )
        else:
            chosen = set(flagged)
            score = labels.isin(chosen).to_numpy(dtype=float)
            score[labels.isna().to_numpy()] = np.nan
        known = ~np.isnan(score)
        is_flagged = labels.isin(chosen).to_numpy(dtype=bool)

    keep = known & ~np.isnan(y)
    n_dropped = int((~keep).sum())
    y, score, is_flagged = y[keep], score[keep], is_flagged[keep]
    res = welch_test(y[is_flagged], y[~is_flagged], level)
    r, r_p, r_lo, r_hi = _pearson(score, y, level)
    return RiskOutcomeLink(
        risk_column=risk_column,
        outcome=outcome,
        n_flagged=res.n_x,
        n_other=res.n_y,
        mean_flagged=res.mean_x,
        mean_other=res.mean_y,
        difference=res.difference,
        t=res.t,
        df=res.df,
        p=res.p,
        ci_low=res.ci_low,
        ci_high=res.ci_high,
        d=res.d,
        r=r,
        r_p=r_p,
        r_ci_low=r_lo,
        r_ci_high=r_hi,
        n=int(keep.sum()),
        n_dropped=n_dropped,
    )
