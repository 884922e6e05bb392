"""Realistic ambition: the customer grade a unit can reach, and targets beyond it."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.analysis._common import require_columns, require_min_rows, require_numeric

__all__ = ["AMBITION_FLAGS", "LinkageLine", "reachable_target"]

#: Flags given by :func:`reachable_target`.
AMBITION_FLAGS: tuple[str, ...] = ("beyond reach", "within reach", "no target", "unknown")

_TOL = 1e-9


@dataclass(frozen=True)
class LinkageLine:
    """Unit-level OLS line ``outcome = intercept + slope * engagement`` (as R ``lm``)."""

    intercept: float
    slope: float
    slope_se: float
    slope_p: float
    r_squared: float
    n: int


def _fit_line(x: np.ndarray, y: np.ndarray) -> LinkageLine:
    n = x.size
    xc, yc = x - x.mean(), y - y.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ yc) / sxx
    intercept = float(y.mean() - slope * x.mean())
    resid = y - intercept - slope * x
    sse, sst = float(resid @ resid), float(yc @ yc)
    sigma2 = sse / (n - 2)
    se = math.sqrt(sigma2 / sxx)
    p = float(2 * stats.t.sf(abs(slope / se), n - 2)) if se > 0 else 0.0
    r2 = 1 - sse / sst if sst > 0 else float("nan")
    return LinkageLine(intercept, slope, se, p, r2, n)


def _fmt(x: float) -> str:
    return f"{round(float(x), 2):g}"


def reachable_target(
    units: pd.DataFrame,
    engagement: str,
    outcome: str,
    targets: str | None = None,
    unit: str = "unit",
    peers: str | None = None,
    quantile: float = 0.9,
    max_engagement_gain: float = 0.5,
    *,
    min_peers: int = 3,
    outcome_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    r"""The customer grade each unit can realistically reach, and targets beyond it.

    "An ambition of 9+ with a reality of 7 exhausts people": a target should rest on
    what the data says is reachable. Two pieces of evidence are combined per unit *i*
    with current outcome :math:`y_i` (e.g. mean customer grade) and engagement
    :math:`x_i`.

    **(a) The linkage model.** OLS over all units with both values,
    :math:`\hat y = b_0 + b_1 x`. The unit raises engagement by a realistic step: at most
    ``max_engagement_gain`` scale points and no further than the ``quantile`` of its
    comparable units' engagement :math:`Q_x` (never a step down):

    .. math::

        x_i^{*} = \max\bigl(x_i,\ \min(x_i + \Delta_{\max},\ Q_{x,\text{peers}(i)})\bigr),
        \qquad m_i = y_i + b_1 (x_i^{*} - x_i)

    The unit keeps its own distance from the line (its residual: location, clientele and
    everything else the model does not see); only the engagement-linked part changes.
    ``m_i`` equals ``y_i + predict(fit, x*) - predict(fit, x)`` in R.

    **(b) The best comparable units.** The ``quantile`` (default 0.9, R's type 7) of the
    outcome among the unit's peers (same value of ``peers``, including the unit itself;
    all units when ``peers`` is not given or the peer group has fewer than ``min_peers``
    units with an outcome): :math:`B_i = Q_{y,\text{peers}(i)}`.

    **Reachable** is the lesser of the two, but never below what the unit already
    achieves:

    .. math::

        \text{reachable}_i = \max\bigl(y_i,\ \min(m_i,\ B_i)\bigr)

    Reasoning: the model says how far a realistic engagement step carries *this* unit;
    the best comparable units show which level is actually achieved in similar
    circumstances. A target needs both kinds of support, so the lower one binds — a
    grade no comparable unit achieves is not realistic however steep the line, and a
    grade others achieve is not reachable by an engagement step alone when the linkage
    is weak. The current level is always reachable (a structural 7 is worth keeping;
    it tends to become an 8 in time), so a unit at the top of its peers is asked to hold
    its level, not to chase a 9+. With a zero or negative slope the model adds nothing
    and reachable is the current level. When ``outcome_range`` is given, the model
    prediction is clipped to it.

    A ``targets`` value above reachable is flagged ``"beyond reach"`` with the
    ``shortfall`` (target − reachable).

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit.
    engagement, outcome : str
        Numeric columns: unit mean engagement and unit customer outcome (mean grade,
        NPS, ...).
    targets : str, optional
        Numeric column with each unit's target for ``outcome``.
    unit : str
        Column with the unit identifier (one row per unit).
    peers : str, optional
        Column grouping comparable units (unit type, region, ...).
    quantile : float
        Quantile of comparable units used for both the engagement ceiling and the
        outcome benchmark, in (0, 1].
    max_engagement_gain : float
        Largest realistic rise in engagement between waves, in scale points.
    min_peers : int
        Smallest peer group (units with an outcome) used as its own benchmark.
    outcome_range : (float, float), optional
        Range of the outcome scale (e.g. ``(1, 10)`` for a school grade).

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit``, ``peers`` (when given), ``engagement``,
        ``engagement_target`` (:math:`x^*`), ``current``, ``model_prediction``,
        ``peer_benchmark``, ``reachable``, ``target``, ``shortfall``, ``flag`` (see
        :data:`AMBITION_FLAGS`) and ``reason`` in plain words. A unit missing
        engagement or outcome gets NaN and the reason says which. ``attrs`` holds
        ``n_dropped`` (rows without a unit identifier), ``n_model`` and
        ``n_not_in_model`` (units left out of the OLS fit for a missing value) and
        ``model`` (the fitted :class:`LinkageLine` as a dict).

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a unit appears twice, fewer than three
        units have both values, engagement does not vary, or an argument is out of
        range.

    References
    ----------
    Schneider, B., Hanges, P. J., Smith, D. B., & Salvaggio, A. N. (2003). Which comes
    first: Employee attitudes or organizational financial and market performance?
    *Journal of Applied Psychology*, 88(5), 836–851.

    Locke, E. A., & Latham, G. P. (2002). Building a practically useful theory of goal
    setting and task motivation. *American Psychologist*, 57(9), 705–717.

    Camp, R. C. (1989). *Benchmarking: The search for industry best practices that lead
    to superior performance*. ASQC Quality Press.

    Examples
    --------
    >>> u = pd.DataFrame({"unit": list("ABCD"), "eng": [3.0, 3.5, 4.0, 4.5],
    ...                   "grade": [7.0, 7.4, 7.6, 8.2], "target": [9.0, 7.5, 7.8, 8.2]})
    >>> reachable_target(u, "eng", "grade", "target")["flag"].tolist()
    ['beyond reach', 'within reach', 'within reach', 'within reach']

    # R: fit <- lm(grade ~ eng, u); u$grade + predict(fit, data.frame(eng = x_star)) -
    #    predict(fit, u); quantile(u$grade, 0.9)
    """
    what = "reachable_target: units"
    numeric = [engagement, outcome, *([targets] if targets else [])]
    require_columns(units, [unit, *numeric, *([peers] if peers else [])], what)
    require_numeric(units, numeric, what)
    if not 0 < quantile <= 1:
        raise ValueError(f"reachable_target: quantile must be in (0, 1], got {quantile!r}")
    if not max_engagement_gain >= 0:
        raise ValueError(
            f"reachable_target: max_engagement_gain must be zero or positive, "
            f"got {max_engagement_gain!r}"
        )
    if isinstance(min_peers, bool) or not isinstance(min_peers, int) or min_peers < 1:
        raise ValueError(
            f"reachable_target: min_peers must be a positive integer, got {min_peers!r}"
        )
    if outcome_range is not None and not outcome_range[0] < outcome_range[1]:
        raise ValueError(
            f"reachable_target: outcome_range must be (low, high), got {outcome_range!r}"
        )

    has_unit = units[unit].notna()
    n_dropped = int((~has_unit).sum())
    data = units.loc[has_unit].reset_index(drop=True)
    dup = data[unit].loc[data[unit].duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"{what}: unit(s) {', '.join(map(repr, dup))} appear more than once")

    x = data[engagement].to_numpy(dtype=float, na_value=np.nan)
    y = data[outcome].to_numpy(dtype=float, na_value=np.nan)
    target = (
        data[targets].to_numpy(dtype=float, na_value=np.nan)
        if targets else np.full(len(data), np.nan)
    )  # fmt: skip
    both = ~np.isnan(x) & ~np.isnan(y)
    require_min_rows(int(both.sum()), 3, f"{what} (units with {engagement!r} and {outcome!r})")
    if np.ptp(x[both]) == 0:
        raise ValueError(f"{what}: {engagement!r} has the same value in every unit; no slope")
    line = _fit_line(x[both], y[both])

    # Peer group per unit: its own group when large enough, else all units.
    all_x, all_y = x[~np.isnan(x)], y[~np.isnan(y)]
    overall = (float(np.quantile(all_x, quantile)), float(np.quantile(all_y, quantile)))
    pct = f"{quantile * 100:g}th percentile"
    per_group: dict[object, tuple[float, float, str]] = {}
    if peers:
        for g, idx in data.groupby(peers, sort=False).indices.items():
            gx, gy = x[idx], y[idx]
            gx, gy = gx[~np.isnan(gx)], gy[~np.isnan(gy)]
            if gy.size >= min_peers and gx.size >= 1:
                per_group[g] = (
                    float(np.quantile(gx, quantile)),
                    float(np.quantile(gy, quantile)),
                    f"{peers} {g} (n={gy.size})",
                )
            else:
                why = f"{peers} {g} has {gy.size} unit(s) with {outcome}, fewer than {min_peers}"
                per_group[g] = (*overall, f"all units (n={all_y.size}; {why})")
    fallback = (*overall, f"all units (n={all_y.size}{f'; no {peers}' if peers else ''})")
    groups = data[peers] if peers else pd.Series([None] * len(data))
    chosen = [per_group.get(g, fallback) if pd.notna(g) else fallback for g in groups]
    q_eng = np.array([c[0] for c in chosen], dtype=float)
    bench = np.array([c[1] for c in chosen], dtype=float)
    peer_desc = [c[2] for c in chosen]

    with np.errstate(invalid="ignore"):
        x_star = np.maximum(x, np.minimum(x + max_engagement_gain, q_eng))
        model = y + line.slope * (x_star - x)
        if outcome_range is not None:
            model = np.clip(model, outcome_range[0], outcome_range[1])
        reachable = np.maximum(y, np.minimum(model, bench))
    reachable[np.isnan(model) | np.isnan(y)] = np.nan

    flags: list[str] = []
    shortfall = np.full(len(data), np.nan)
    reasons: list[str] = []
    for i in range(len(data)):
        parts: list[str] = []
        if np.isnan(y[i]) or np.isnan(x[i]):
            gone = [name for name, v in ((engagement, x[i]), (outcome, y[i])) if np.isnan(v)]
            parts.append(f"{' and '.join(gone)} missing; no reachable level")
        else:
            parts.append(
                f"{engagement} {_fmt(x[i])} → {_fmt(x_star[i])}: model {_fmt(model[i])}; "
                f"{pct} of {peer_desc[i]}: {_fmt(bench[i])}"
            )
            if reachable[i] <= y[i] + _TOL:
                parts.append(f"reachable = current {_fmt(y[i])}")
            elif model[i] <= bench[i]:
                parts.append(f"reachable {_fmt(reachable[i])}, limited by the model")
            else:
                parts.append(f"reachable {_fmt(reachable[i])}, limited by comparable units")
        if np.isnan(target[i]):
            flags.append("no target")
        elif np.isnan(reachable[i]):
            flags.append("unknown")
        else:
            gap = float(target[i] - reachable[i])
            shortfall[i] = max(gap, 0.0) if gap > _TOL else 0.0
            if gap > _TOL:
                flags.append("beyond reach")
                parts.append(f"target {_fmt(target[i])} is {_fmt(gap)} above reachable")
            else:
                flags.append("within reach")
        reasons.append("; ".join(parts))

    result = pd.DataFrame({unit: data[unit]})
    if peers:
        result[peers] = data[peers]
    result["engagement"] = x
    result["engagement_target"] = x_star
    result["current"] = y
    result["model_prediction"] = model
    result["peer_benchmark"] = bench
    result["reachable"] = reachable
    result["target"] = target
    result["shortfall"] = shortfall
    result["flag"] = flags
    result["reason"] = reasons
    result.attrs["n_dropped"] = n_dropped
    result.attrs["n_model"] = line.n
    result.attrs["n_not_in_model"] = int((~both).sum())
    result.attrs["model"] = asdict(line)
    return result
