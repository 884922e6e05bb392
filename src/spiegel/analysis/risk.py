"""Wellbeing risk per unit: emotional dissonance and exhaustion without room to recover."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields

import pandas as pd

from spiegel.analysis._common import require_columns, require_numeric

__all__ = ["DEFAULT_OUTCOMES", "LEVEL_CODE", "RISK_LEVELS", "RiskThresholds", "risk_flags"]

#: Risk levels from low to high; "unknown" when none of the three scales is known.
RISK_LEVELS: tuple[str, ...] = ("none", "watch", "high", "unknown")

#: Outcome columns shown next to the risk level when present in the input.
DEFAULT_OUTCOMES: tuple[str, ...] = ("absenteeism", "turnover")

#: Risk levels coded for a linear trend (none = 0, watch = 1, high = 2).
LEVEL_CODE: dict[str, int] = {"none": 0, "watch": 1, "high": 2}


@dataclass(frozen=True)
class RiskThresholds:
    """Cut-offs for :func:`risk_flags`, on the scale of the unit means.

    The defaults are for unit means on a 1–5 agreement scale (1 = strongly disagree,
    5 = strongly agree; 3 = neutral): a unit mean of 3.5 or higher is halfway between
    "neutral" and "agree", so the unit *on average agrees* that it experiences emotional
    dissonance or exhaustion; a recovery mean of 2.5 or lower means the unit on average
    *disagrees* that there is room to recharge. They are conventions for flagging, not
    clinical cut-offs: set them to your own instrument's norms where those exist.

    Attributes
    ----------
    dissonance : float
        Emotional dissonance at or above this is high (default 3.5).
    exhaustion : float
        Exhaustion at or above this is high (default 3.5).
    recovery : float
        Recovery (room to recharge) at or below this is low (default 2.5).
    scale_min, scale_max : float
        Range of the response scale (default 1–5); unit means outside it are an error.
    """

    dissonance: float = 3.5
    exhaustion: float = 3.5
    recovery: float = 2.5
    scale_min: float = 1.0
    scale_max: float = 5.0

    @classmethod
    def for_scale(cls, minimum: float, maximum: float) -> RiskThresholds:
        r"""The default thresholds placed on an agreement scale from ``minimum`` to ``maximum``.

        The 1–5 defaults sit at fixed fractions of the range — strain at
        :math:`(3.5-1)/(5-1) = 62.5\%`, low recovery at :math:`(2.5-1)/(5-1) = 37.5\%` —
        and keep those fractions on any scale of 2 to 11 points:

        .. math::

            t_D = t_E = a + 0.625\,(b-a), \qquad t_R = a + 0.375\,(b-a)

        with :math:`a` = ``minimum`` and :math:`b` = ``maximum`` (1–7 gives 4.75 and 3.25,
        0–10 gives 6.25 and 3.75).

        Parameters
        ----------
        minimum, maximum : float
            Lowest and highest answer; whole numbers, 2 to 11 points apart inclusive.

        Returns
        -------
        RiskThresholds

        Raises
        ------
        ValueError
            When the bounds are not whole numbers or span fewer than 2 or more than 11
            points.

        Examples
        --------
        >>> RiskThresholds.for_scale(1, 7).recovery
        3.25

        # R: a + c(0.625, 0.625, 0.375) * (b - a)
        """
        bounds = (minimum, maximum)
        if any(
            isinstance(v, bool) or not isinstance(v, int | float) or not float(v).is_integer()
            for v in bounds
        ):
            raise ValueError(
                f"RiskThresholds.for_scale: minimum and maximum must be whole numbers, "
                f"got {minimum!r} and {maximum!r}"
            )
        points = int(maximum) - int(minimum) + 1
        if not 2 <= points <= 11:
            raise ValueError(
                f"RiskThresholds.for_scale: an agreement scale has 2 to 11 points, "
                f"{minimum!r}–{maximum!r} has {points}"
            )
        base = cls()
        lo, hi = float(minimum), float(maximum)

        def place(value: float) -> float:
            fraction = (value - base.scale_min) / (base.scale_max - base.scale_min)
            return lo + fraction * (hi - lo)

        return cls(
            dissonance=place(base.dissonance),
            exhaustion=place(base.exhaustion),
            recovery=place(base.recovery),
            scale_min=lo,
            scale_max=hi,
        )

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"RiskThresholds: {f.name} must be a finite number, got {v!r}")
        if not self.scale_min < self.scale_max:
            raise ValueError(
                f"RiskThresholds: scale_min ({self.scale_min}) must be below "
                f"scale_max ({self.scale_max})"
            )
        for name in ("dissonance", "exhaustion", "recovery"):
            v = getattr(self, name)
            if not self.scale_min <= v <= self.scale_max:
                raise ValueError(
                    f"RiskThresholds: {name} threshold {v} lies outside the scale "
                    f"{self.scale_min}–{self.scale_max}"
                )


def _as_thresholds(thresholds: RiskThresholds | Mapping[str, float] | None) -> RiskThresholds:
    if thresholds is None:
        return RiskThresholds()
    if isinstance(thresholds, RiskThresholds):
        return thresholds
    if isinstance(thresholds, Mapping):
        known = {f.name for f in fields(RiskThresholds)}
        unknown = sorted(set(thresholds) - known)
        if unknown:
            raise ValueError(
                f"risk_flags: unknown threshold(s) {', '.join(map(repr, unknown))}; "
                f"known: {', '.join(sorted(known))}"
            )
        return RiskThresholds(**thresholds)
    raise ValueError(
        f"risk_flags: thresholds must be RiskThresholds, a dict or None, "
        f"got {type(thresholds).__name__}"
    )


def _fmt(x: float) -> str:
    return f"{round(float(x), 2):g}"


def risk_flags(
    unit_scores: pd.DataFrame,
    thresholds: RiskThresholds | Mapping[str, float] | None = None,
    unit: str = "unit",
    *,
    dissonance: str = "dissonance",
    exhaustion: str = "exhaustion",
    recovery: str = "recovery",
    outcomes: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Flag units where strain is high and room to recover is low.

    Employees who keep showing an emotion they do not feel (emotional dissonance) and
    who are exhausted burn out unless they can recharge. Per unit, with unit means
    :math:`D` (dissonance), :math:`E` (exhaustion), :math:`R` (recovery) and the
    thresholds :math:`t_D, t_E, t_R` of :class:`RiskThresholds`:

    .. math::

        \text{strain} = (D \ge t_D) \lor (E \ge t_E), \qquad
        \text{low recovery} = R \le t_R

    .. math::

        \text{level} =
        \begin{cases}
        \text{high}  & \text{strain} \land \text{low recovery} \\
        \text{watch} & \text{exactly one of strain, low recovery} \\
        \text{none}  & \text{otherwise}
        \end{cases}

    The reason names every condition met with its value and threshold, e.g.
    ``"exhaustion 3.9 ≥ 3.5; recovery 2.4 ≤ 2.5"``. A unit with a missing scale gets the
    level the known scales justify (missing counts as "not met"); the ``missing`` column
    names the missing scales and the reason says when the level could be higher. A unit
    with all three scales missing is ``"unknown"``.

    Parameters
    ----------
    unit_scores : pandas.DataFrame
        One row per unit with the unit means of the three scales (e.g. from the
        aggregation step), and optionally outcome columns.
    thresholds : RiskThresholds or dict, optional
        Cut-offs and scale range; a dict is passed to :class:`RiskThresholds`
        (e.g. ``{"recovery": 2.8}``). Defaults to ``RiskThresholds()``.
    unit : str
        Column with the unit identifier (one row per unit).
    dissonance, exhaustion, recovery : str
        Columns with the unit means of the three scales.
    outcomes : sequence of str, optional
        Outcome columns (absenteeism, turnover, ...) copied next to the flags. Defaults to
        the columns of :data:`DEFAULT_OUTCOMES` that are present.

    Returns
    -------
    pandas.DataFrame
        One row per unit: the unit, the three scale columns, ``dissonance_high``,
        ``exhaustion_high``, ``recovery_low`` (nullable booleans, missing when the scale
        is), ``risk_level`` (see :data:`RISK_LEVELS`), ``reason``, ``missing`` (the
        missing scales, comma-separated, empty when complete) and the outcome columns.
        ``attrs["n_dropped"]`` counts rows left out for a missing unit identifier and
        ``attrs["n_incomplete"]`` units with at least one missing scale.

    Raises
    ------
    ValueError
        When a scale, outcome or unit column is missing (all are named), a scale is not
        numeric, a unit appears twice, or a unit mean lies outside the scale range.

    References
    ----------
    Zapf, D. (2002). Emotion work and psychological well-being: A review of the
    literature and some conceptual considerations. *Human Resource Management Review*,
    12(2), 237–268.

    Sonnentag, S., & Fritz, C. (2007). The Recovery Experience Questionnaire.
    *Journal of Occupational Health Psychology*, 12(3), 204–221.

    Demerouti, E., Bakker, A. B., Nachreiner, F., & Schaufeli, W. B. (2001). The job
    demands–resources model of burnout. *Journal of Applied Psychology*, 86(3), 499–512.

    Examples
    --------
    >>> u = pd.DataFrame({"unit": ["A"], "dissonance": [3.0], "exhaustion": [3.9],
    ...                   "recovery": [2.4]})
    >>> risk_flags(u)["reason"].iloc[0]
    'exhaustion 3.9 ≥ 3.5; recovery 2.4 ≤ 2.5'

    # R: within(u, risk <- ifelse((dissonance >= 3.5 | exhaustion >= 3.5) & recovery <= 2.5,
    #                             "high", ...))
    """
    what = "risk_flags: unit_scores"
    th = _as_thresholds(thresholds)
    scales = [dissonance, exhaustion, recovery]
    if outcomes is None:
        outcome_cols = [c for c in DEFAULT_OUTCOMES if isinstance(unit_scores, pd.DataFrame)
                        and c in unit_scores.columns]  # fmt: skip
    else:
        outcome_cols = list(outcomes)
    require_columns(unit_scores, [unit, *scales, *outcome_cols], what)
    require_numeric(unit_scores, scales, what)

    has_unit = unit_scores[unit].notna()
    n_dropped = int((~has_unit).sum())
    data = unit_scores.loc[has_unit]
    dup = data[unit].loc[data[unit].duplicated()].unique().tolist()
    if dup:
        raise ValueError(f"{what}: unit(s) {', '.join(map(repr, dup))} appear more than once")
    for col in scales:
        vals = data[col]
        bad = data.loc[vals.notna() & ((vals < th.scale_min) | (vals > th.scale_max)), unit]
        if len(bad):
            raise ValueError(
                f"{what}: column {col!r} has values outside the scale "
                f"{th.scale_min}–{th.scale_max} for unit(s) {', '.join(map(repr, bad.tolist()))}; "
                "for another response scale pass "
                "thresholds=RiskThresholds.for_scale(minimum, maximum)"
            )

    names = ("emotional dissonance", "exhaustion", "recovery")
    rows: list[dict[str, object]] = []
    for d_val, e_val, r_val in data[scales].itertuples(index=False, name=None):
        values = (float(d_val), float(e_val), float(r_val))
        known = [not math.isnan(v) for v in values]
        met = [
            known[0] and values[0] >= th.dissonance,
            known[1] and values[1] >= th.exhaustion,
            known[2] and values[2] <= th.recovery,
        ]
        possible = [m or not k for m, k in zip(met, known, strict=True)]
        strain, low_rec = met[0] or met[1], met[2]
        strain_possible, low_rec_possible = possible[0] or possible[1], possible[2]
        level_code = 2 if strain and low_rec else (1 if strain or low_rec else 0)
        upper = (
            2 if strain_possible and low_rec_possible
            else (1 if strain_possible or low_rec_possible else 0)
        )  # fmt: skip
        signs = ("≥", "≥", "≤")
        cuts = (th.dissonance, th.exhaustion, th.recovery)
        parts = [
            f"{names[i]} {_fmt(values[i])} {signs[i]} {_fmt(cuts[i])}"
            for i in range(3) if met[i]
        ]  # fmt: skip
        missing = [names[i] for i in range(3) if not known[i]]
        if not any(known):
            level = "unknown"
            parts = ["all three scales missing"]
        else:
            level = ("none", "watch", "high")[level_code]
            if not parts:
                parts = ["no threshold reached"]
            if missing:
                note = f"{', '.join(missing)} missing"
                if upper > level_code:
                    note += "; level may be higher"
                parts.append(note)
        rows.append(
            {
                "dissonance_high": met[0] if known[0] else pd.NA,
                "exhaustion_high": met[1] if known[1] else pd.NA,
                "recovery_low": met[2] if known[2] else pd.NA,
                "risk_level": level,
                "reason": "; ".join(parts),
                "missing": ", ".join(missing),
            }
        )

    flags = pd.DataFrame(rows, index=data.index, columns=[
        "dissonance_high", "exhaustion_high", "recovery_low", "risk_level", "reason", "missing",
    ])  # fmt: skip
    for col in ("dissonance_high", "exhaustion_high", "recovery_low"):
        flags[col] = flags[col].astype("boolean")
    result = pd.concat([data[[unit, *scales]], flags, data[outcome_cols]], axis=1)
    result = result.reset_index(drop=True)
    result.attrs["n_dropped"] = n_dropped
    result.attrs["n_incomplete"] = int((result["missing"] != "").sum())
    result.attrs["thresholds"] = asdict(th)
    return result
