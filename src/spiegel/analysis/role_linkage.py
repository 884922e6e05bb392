"""The customer metric regressed on the engagement of each role group across units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
from spiegel.analysis._regression import coef_table, positive_weights

__all__ = ["RoleGroupLinkageResult", "role_group_linkage"]


@dataclass(frozen=True)
class RoleGroupLinkageResult:
    """Customer metric regressed on the engagement of several role groups at once.

    ``coefficients`` is indexed by role column with ``estimate``, ``se``, ``t``, ``p``,
    ``ci_low``, ``ci_high`` (raw units) and ``std_estimate``, ``std_ci_low``,
    ``std_ci_high`` (standardised: both sides in standard deviations).
    """

    coefficients: pd.DataFrame
    intercept: float
    r2: float
    adj_r2: float
    n_units: int
    n_dropped: int
    weighted: bool
    level: float


def role_group_linkage(
    units: pd.DataFrame,
    role_columns: Sequence[str],
    y: str,
    weights: str | None = None,
    level: float = 0.95,
) -> RoleGroupLinkageResult:
    r"""Customer metric regressed on the engagement of each role group together.

    One (weighted) multiple regression across units, with the mean engagement of each
    role group (e.g. senior management, managers, front line, back office) as a
    separate predictor, so each coefficient is the link of that group's engagement
    with the customer metric holding the other groups constant:

    .. math::

        y_u = \beta_0 + \sum_g \beta_g\,x_{gu} + \varepsilon_u, \qquad
        \beta^{*}_g = \beta_g\,\frac{s_{x_g}}{s_y}

    Standardised coefficients :math:`\beta^*` (and their intervals) are the raw ones
    rescaled by the unweighted sample standard deviations, i.e. the coefficients of
    the same weighted regression on z-scored variables.

    Assumes independent units and, for the intervals, normal residuals with variance
    proportional to :math:`1/w_u`. Strongly correlated role groups give wide
    intervals: look at ``se`` before ranking groups. Each role-group mean is taken as
    measured without error; with one or two people per unit it is not, the slopes are
    attenuated and their intervals miss the true link: see
    :func:`corrected_role_group_linkage`.

    Parameters
    ----------
    units : DataFrame
        One row per unit.
    role_columns : sequence of str
        Engagement column of each role group.
    y : str
        Customer-metric column.
    weights : str, optional
        Column of positive regression weights.
    level : float
        Confidence level.

    Returns
    -------
    RoleGroupLinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a weight is not positive, or fewer
        than (number of role groups + 2) complete units remain.

    References
    ----------
    Cohen, J., Cohen, P., West, S. G., & Aiken, L. S. (2003). *Applied multiple
    regression/correlation analysis for the behavioral sciences* (3rd ed.). Erlbaum.

    Examples
    --------
    # R: lm(y ~ senior + manager + front + back, data = d, weights = w)
    #    lm(scale(y) ~ scale(senior) + scale(manager) + ..., data = d, weights = w)
    """
    level = check_level(level)
    roles = list(role_columns)
    if not roles:
        raise ValueError("role_group_linkage: give at least one role column")
    if len(set(roles)) != len(roles) or y in roles:
        raise ValueError("role_group_linkage: role columns must be distinct and differ from y")
    cols = [*roles, y] + ([weights] if weights is not None else [])
    require_columns(units, cols, "role_group_linkage units")
    require_numeric(units, cols, "role_group_linkage units")
    frame, n_dropped = drop_incomplete(units, cols)
    n = len(frame)
    require_min_rows(n, len(roles) + 2, "role_group_linkage")
    xmat = frame[roles].to_numpy(dtype=float)
    yv = frame[y].to_numpy(dtype=float)
    w = positive_weights(frame, weights, "role_group_linkage")
    fit = sm.WLS(yv, sm.add_constant(xmat, has_constant="add"), weights=w).fit()
    df_resid = n - len(roles) - 1
    table = coef_table(
        ["intercept", *roles], np.asarray(fit.params), np.asarray(fit.bse), df_resid, level
    )
    coefs = table.loc[roles].copy()
    scale = xmat.std(axis=0, ddof=1) / yv.std(ddof=1)
    coefs["std_estimate"] = coefs["estimate"].to_numpy() * scale
    coefs["std_ci_low"] = coefs["ci_low"].to_numpy() * scale
    coefs["std_ci_high"] = coefs["ci_high"].to_numpy() * scale
    coefs.index.name = "role"
    return RoleGroupLinkageResult(
        coefficients=coefs,
        intercept=float(np.asarray(fit.params)[0]),
        r2=float(fit.rsquared),
        adj_r2=float(fit.rsquared_adj),
        n_units=n,
        n_dropped=n_dropped,
        weighted=weights is not None,
        level=level,
    )
