"""Lagged linkage: engagement at one wave and the customer metric at the next."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
import statsmodels.api as sm

from spiegel.analysis._common import (
    check_level,
    drop_incomplete,
    require_columns,
    require_min_rows,
    require_numeric,
)
from spiegel.analysis._regression import coef_table

__all__ = ["LaggedLinkageResult", "lagged_linkage"]


@dataclass(frozen=True)
class LaggedLinkageResult:
    """Customer metric at wave t+1 on engagement and the customer metric at wave t.

    ``coefficients`` is indexed by ``intercept``, the engagement column name (its value
    at t) and the customer column name (its value at t), with ``estimate``, ``se``,
    ``t``, ``p``, ``ci_low``, ``ci_high``. ``se_type`` is ``"classical"`` for one pair
    of waves and ``"cluster"`` (robust, clustered by unit) for more.
    """

    coefficients: pd.DataFrame
    r2: float
    n_pairs: int
    n_units: int
    n_wave_pairs: int
    se_type: str
    n_dropped: int
    level: float


def lagged_linkage(
    panel: pd.DataFrame,
    x: str,
    y: str,
    wave: str = "wave",
    unit: str = "unit",
    level: float = 0.95,
) -> LaggedLinkageResult:
    r"""Does engagement at wave t predict the customer metric at wave t+1?

    The customer metric one wave later is regressed on engagement now, controlling
    for the customer metric now, on all pairs of consecutive waves stacked
    (a unit contributes one row per pair in which it has both waves complete):

    .. math::

        y_{u,t+1} = \beta_0 + \beta_x\,x_{u,t} + \beta_y\,y_{u,t} + \varepsilon_{u,t}

    Waves are ordered by sorting their labels; "consecutive" means adjacent in that
    order across the whole panel (a unit missing wave 2 contributes no 1→2 or 2→3
    pair). With one pair of waves the standard errors are the ordinary OLS ones. With
    more pairs a unit appears several times, so the standard errors are
    cluster-robust by unit (CR1: :math:`\frac{G}{G-1}\frac{N-1}{N-K}` small-sample
    factor) and the intervals and p-values use a t distribution with
    :math:`G-1` degrees of freedom (:math:`G` units). The coefficients are a plain
    pooled OLS: they assume the lagged effect is the same for every pair of waves
    and do not separate stable between-unit differences from within-unit change
    (use :func:`cross_lagged` for that).

    Parameters
    ----------
    panel : DataFrame
        Long panel: one row per unit and wave.
    x, y : str
        Engagement column and customer-metric column.
    wave, unit : str
        Wave and unit columns.
    level : float
        Confidence level.

    Returns
    -------
    LaggedLinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a unit has two rows for one wave,
        there are fewer than two waves, or fewer than 4 stacked pairs remain.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. *Journal of Human Resources* 50(2), 317–372.
    Schneider, B., White, S. S., & Paul, M. C. (1998). Linking service climate and
    customer perceptions of service quality. *Journal of Applied Psychology* 83(2),
    150–163.

    Examples
    --------
    # R: m <- lm(y_next ~ x + y, data = pairs)
    #    lmtest::coeftest(m, vcov = sandwich::vcovCL(m, cluster = ~unit))
    """
    level = check_level(level)
    if x == y:
        raise ValueError("lagged_linkage: x and y must be different columns")
    require_columns(panel, [x, y, wave, unit], "lagged_linkage panel")
    require_numeric(panel, [x, y], "lagged_linkage panel")
    frame, n_dropped = drop_incomplete(panel, [x, y, wave, unit])
    dup = frame.duplicated([unit, wave])
    if dup.any():
        first = frame.loc[dup].iloc[0]
        raise ValueError(
            f"lagged_linkage: unit {first[unit]!r} has more than one row for wave {first[wave]!r}"
        )
    waves = sorted(frame[wave].unique())
    if len(waves) < 2:
        raise ValueError(f"lagged_linkage: needs at least two waves, got {len(waves)}")
    indexed = frame.set_index([unit, wave])[[x, y]]
    parts = []
    for before, after in pairwise(waves):
        now = indexed.xs(before, level=wave)
        nxt = indexed.xs(after, level=wave)[y].rename("__y_next")
        joined = now.join(nxt, how="inner")
        parts.append(joined.reset_index())
    pairs = pd.concat(parts, ignore_index=True)
    n_pairs = len(pairs)
    require_min_rows(n_pairs, 4, "lagged_linkage (stacked wave pairs)")
    n_wave_pairs = len(waves) - 1
    design = sm.add_constant(pairs[[x, y]].to_numpy(dtype=float), has_constant="add")
    model = sm.OLS(pairs["__y_next"].to_numpy(dtype=float), design)
    groups = pd.factorize(pairs[unit])[0]
    n_units = int(groups.max()) + 1
    if n_wave_pairs > 1:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        df = n_units - 1
        se_type = "cluster"
    else:
        fit = model.fit()
        df = n_pairs - 3
        se_type = "classical"
    table = coef_table(["intercept", x, y], np.asarray(fit.params), np.asarray(fit.bse), df, level)
    return LaggedLinkageResult(
        coefficients=table,
        r2=float(fit.rsquared),
        n_pairs=n_pairs,
        n_units=n_units,
        n_wave_pairs=n_wave_pairs,
        se_type=se_type,
        n_dropped=n_dropped,
        level=level,
    )
