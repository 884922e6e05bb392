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

__all__ = ["ESTIMANDS", "LaggedLinkageResult", "lagged_linkage"]

#: The two lagged estimands, by the code in the ``estimand`` column of the tables.
ESTIMANDS: tuple[str, ...] = ("adjusted", "unadjusted")


@dataclass(frozen=True)
class LaggedLinkageResult:
    """Customer metric at wave t+1 on engagement at wave t, two estimands.

    ``coefficients`` (the *adjusted* estimand: controlling for the customer metric at t)
    is indexed by ``intercept``, the engagement column name (its value at t) and the
    customer column name (its value at t); ``unadjusted`` (not controlling for it) by
    ``intercept`` and the engagement column. Both have ``estimand`` (``"adjusted"`` or
    ``"unadjusted"``, see :data:`ESTIMANDS`), ``estimate``, ``se``, ``t``, ``p``,
    ``ci_low``, ``ci_high``; ``estimands`` says in words what each code means;
    :meth:`all_coefficients` stacks both. Both are fitted on the same stacked pairs.
    ``se_type`` is ``"classical"`` for one pair of waves and ``"cluster"`` (robust,
    clustered by unit) for more.
    """

    coefficients: pd.DataFrame
    unadjusted: pd.DataFrame
    estimands: dict[str, str]
    r2: float
    r2_unadjusted: float
    n_pairs: int
    n_units: int
    n_wave_pairs: int
    se_type: str
    n_dropped: int
    level: float

    def all_coefficients(self) -> pd.DataFrame:
        """Both tables stacked: columns ``estimand``, ``term``, then the statistics."""
        both = pd.concat([self.coefficients, self.unadjusted]).reset_index()
        columns = ["estimand", "term", *(c for c in both.columns if c not in ("estimand", "term"))]
        return both[columns].reset_index(drop=True)


def lagged_linkage(
    panel: pd.DataFrame,
    x: str,
    y: str,
    wave: str = "wave",
    unit: str = "unit",
    level: float = 0.95,
) -> LaggedLinkageResult:
    r"""Does engagement at wave t predict the customer metric at wave t+1?

    The customer metric one wave later is regressed on engagement now, on all pairs of
    consecutive waves stacked (a unit contributes one row per pair in which it has both
    waves complete), twice — controlling for the customer metric now (*adjusted*) and
    not (*unadjusted*):

    .. math::

        \text{adjusted:}\quad
        y_{u,t+1} = \beta_0 + \beta_x\,x_{u,t} + \beta_y\,y_{u,t} + \varepsilon_{u,t},
        \qquad
        \text{unadjusted:}\quad
        y_{u,t+1} = \gamma_0 + \gamma_x\,x_{u,t} + e_{u,t}

    :math:`\beta_x` is the difference in the later customer metric between units that
    differ in engagement but start from the same customer metric (a change estimand;
    measurement error in :math:`y_{u,t}` and stable unit differences bias it).
    :math:`\gamma_x` is the plain predictive association: it also carries the
    association of engagement with the current customer metric forward through that
    metric's persistence. The two answer different questions and can differ a lot;
    report both.

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
    groups = pd.factorize(pairs[unit])[0]
    n_units = int(groups.max()) + 1
    se_type = "cluster" if n_wave_pairs > 1 else "classical"
    adjusted, r2 = _fit(pairs, [x, y], groups, se_type, level)
    unadjusted, r2_unadjusted = _fit(pairs, [x], groups, se_type, level)
    adjusted.insert(0, "estimand", "adjusted")
    unadjusted.insert(0, "estimand", "unadjusted")
    return LaggedLinkageResult(
        coefficients=adjusted,
        unadjusted=unadjusted,
        estimands={
            "adjusted": f"{y} at t+1 on {x} at t, controlling for {y} at t",
            "unadjusted": f"{y} at t+1 on {x} at t, not controlling for {y} at t",
        },
        r2=r2,
        r2_unadjusted=r2_unadjusted,
        n_pairs=n_pairs,
        n_units=n_units,
        n_wave_pairs=n_wave_pairs,
        se_type=se_type,
        n_dropped=n_dropped,
        level=level,
    )


def _fit(
    pairs: pd.DataFrame, columns: list[str], groups: np.ndarray, se_type: str, level: float
) -> tuple[pd.DataFrame, float]:
    """OLS of the next customer metric on ``columns``: coefficient table and R²."""
    design = sm.add_constant(pairs[columns].to_numpy(dtype=float), has_constant="add")
    model = sm.OLS(pairs["__y_next"].to_numpy(dtype=float), design)
    if se_type == "cluster":
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        df = int(groups.max())  # units - 1
    else:
        fit = model.fit()
        df = len(pairs) - len(columns) - 1
    table = coef_table(
        ["intercept", *columns], np.asarray(fit.params), np.asarray(fit.bse), df, level
    )
    return table, float(fit.rsquared)
