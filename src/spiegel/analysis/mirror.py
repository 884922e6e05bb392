"""Mirror survey (spiegelonderzoek): customers' ratings versus what employees think they are."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.analysis._common import check_level, require_columns, require_numeric
from spiegel.analysis._twosample import welch_from_moments

__all__ = ["MIRROR_LABELS", "mirror_gaps"]

#: Labels given by :func:`mirror_gaps`, in reporting order.
MIRROR_LABELS: tuple[str, ...] = (
    "blind spot",
    "hidden strength",
    "aligned",
    "cannot tell",
    "insufficient data",
)


def _moments(data: pd.DataFrame, keys: list[str], value: str) -> tuple[pd.DataFrame, int]:
    """n, mean, variance and rows left out per group, and rows without a group."""
    has_key = data[keys].notna().all(axis=1)
    grouped = data.loc[has_key].groupby(keys, sort=False, observed=True)[value]
    moments = pd.DataFrame(
        {"n": grouped.count(), "mean": grouped.mean(), "var": grouped.var(ddof=1)}
    )
    moments["dropped"] = grouped.size() - moments["n"]
    return moments, int((~has_key).sum())


def mirror_gaps(
    customer_scores: pd.DataFrame,
    employee_predictions: pd.DataFrame,
    aspect: str = "aspect",
    value: str = "value",
    unit: str | None = None,
    level: float = 0.95,
    equivalence_d: float = 0.5,
) -> pd.DataFrame:
    r"""Blind spots and hidden strengths: customers' ratings versus employees' predictions.

    A mirror survey asks customers to rate each aspect of the service and asks employees
    how they think customers rate it. Per aspect (and per unit when ``unit`` is given)
    the gap is the customers' mean minus the employees' mean prediction, tested with
    Welch's unequal-variance t-test, with Cohen's d as the size of the gap.

    .. math::

        \text{gap} = \bar x_c - \bar x_e, \qquad
        t = \frac{\text{gap}}{\sqrt{s_c^2/n_c + s_e^2/n_e}}, \qquad
        \nu = \frac{(s_c^2/n_c + s_e^2/n_e)^2}
                   {\frac{(s_c^2/n_c)^2}{n_c-1} + \frac{(s_e^2/n_e)^2}{n_e-1}}

    .. math::

        d = \frac{\text{gap}}{s_p}, \qquad
        s_p = \sqrt{\frac{(n_c-1)s_c^2 + (n_e-1)s_e^2}{n_c+n_e-2}}

    The label is read from the interval of the gap, not from a fixed size: an aspect is
    a **blind spot** when the whole interval lies below zero (employees think customers
    rate it higher than they do), a **hidden strength** when it lies above zero
    (customers rate it higher than employees think). An interval that spans zero is
    **aligned** when it lies wholly within ``±equivalence_d`` pooled standard deviations
    (whatever the true gap, it is smaller than that: an equivalence check in the spirit
    of two one-sided tests), and **cannot tell** otherwise (the data allow a gap either
    way). Cohen's d says how large a gap is; it never turns a gap whose interval excludes
    zero into "aligned". Groups with fewer than two answers on either side, or with no
    variance on both sides (where R's ``t.test`` stops with "data are essentially
    constant"), get NaN statistics and the label **insufficient data**.

    Parameters
    ----------
    customer_scores, employee_predictions : pandas.DataFrame
        Long format, one row per answer, with columns ``aspect``, ``value`` and, when
        given, ``unit``. Both must use the same response scale.
    aspect, value : str
        Column names of the aspect and the numeric answer.
    unit : str, optional
        Column name of the unit; gaps are then computed per unit and aspect.
    level : float
        Confidence level of the interval of the gap (which decides the label).
    equivalence_d : float
        Half-width, in pooled standard deviations, of the band an interval spanning zero
        must lie within to be "aligned" (0.5: Cohen's "medium" effect).

    Returns
    -------
    pandas.DataFrame
        One row per (unit,) aspect, in order of first appearance: ``n_customer``,
        ``mean_customer``, ``sd_customer``, ``n_employee``, ``mean_employee``,
        ``sd_employee``, ``gap``, ``t``, ``df``, ``p``, ``ci_low``, ``ci_high``, ``d``,
        ``label`` and ``n_dropped`` (answers of that group left out for a missing value).
        ``result.attrs["n_dropped"]`` is the total number of rows left out, including rows
        without an aspect or unit.

    Raises
    ------
    ValueError
        When a column is missing, ``value`` is not numeric, ``level`` is not in (0, 1) or
        ``equivalence_d`` is negative.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34, 28–35.

    Lakens, D. (2017). Equivalence tests: A practical primer for t tests, correlations,
    and meta-analyses. *Social Psychological and Personality Science*, 8(4), 355–362.

    Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.).
    Erlbaum.

    Examples
    --------
    >>> cust = pd.DataFrame({"aspect": ["intake"] * 4, "value": [6.0, 7, 7, 8]})
    >>> emp = pd.DataFrame({"aspect": ["intake"] * 3, "value": [8.0, 8, 9]})
    >>> round(float(mirror_gaps(cust, emp)["gap"].iloc[0]), 3)
    -1.333

    # R: t.test(cust$value, emp$value)   # Welch; gap = estimate[1] - estimate[2]
    """
    what_c, what_e = "mirror_gaps: customer_scores", "mirror_gaps: employee_predictions"
    keys = [aspect] if unit is None else [unit, aspect]
    require_columns(customer_scores, [*keys, value], what_c)
    require_columns(employee_predictions, [*keys, value], what_e)
    require_numeric(customer_scores, [value], what_c)
    require_numeric(employee_predictions, [value], what_e)
    check_level(level, "mirror_gaps")
    if not equivalence_d >= 0:
        raise ValueError(
            f"mirror_gaps: equivalence_d must be zero or positive, got {equivalence_d!r}"
        )

    cust, cust_nokey = _moments(customer_scores, keys, value)
    emp, emp_nokey = _moments(employee_predictions, keys, value)
    groups = cust.index.append(emp.index).drop_duplicates()
    cust = cust.reindex(groups)
    emp = emp.reindex(groups)
    n_c = cust["n"].fillna(0).to_numpy(dtype=int)
    n_e = emp["n"].fillna(0).to_numpy(dtype=int)
    res = welch_from_moments(
        n_c, cust["mean"].to_numpy(dtype=float), cust["var"].to_numpy(dtype=float),
        n_e, emp["mean"].to_numpy(dtype=float), emp["var"].to_numpy(dtype=float), level,
    )  # fmt: skip

    var_c, var_e = cust["var"].to_numpy(dtype=float), emp["var"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled_sd = np.sqrt(((n_c - 1) * var_c + (n_e - 1) * var_e) / (n_c + n_e - 2))
    margin = equivalence_d * pooled_sd
    within = (res.ci_low >= -margin) & (res.ci_high <= margin)
    label = np.select(
        [np.isnan(res.t) | np.isnan(res.ci_low), res.ci_high < 0, res.ci_low > 0, within],
        ["insufficient data", "blind spot", "hidden strength", "aligned"],
        default="cannot tell",
    )
    result = groups.to_frame(index=False)
    result.columns = pd.Index(keys)
    result["n_customer"] = n_c
    result["mean_customer"] = cust["mean"].to_numpy(dtype=float)
    result["sd_customer"] = np.sqrt(cust["var"].to_numpy(dtype=float))
    result["n_employee"] = n_e
    result["mean_employee"] = emp["mean"].to_numpy(dtype=float)
    result["sd_employee"] = np.sqrt(emp["var"].to_numpy(dtype=float))
    result["gap"] = res.difference
    result["t"] = res.t
    result["df"] = res.df
    result["p"] = res.p
    result["ci_low"] = res.ci_low
    result["ci_high"] = res.ci_high
    result["d"] = res.d
    result["label"] = label
    dropped = (cust["dropped"].fillna(0) + emp["dropped"].fillna(0)).to_numpy(dtype=int)
    result["n_dropped"] = dropped
    result.attrs["n_dropped"] = cust_nokey + emp_nokey + int(dropped.sum())
    result.attrs["level"] = level
    result.attrs["equivalence_d"] = equivalence_d
    return result
