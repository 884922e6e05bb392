"""Scale scores from item responses: reverse keying and the mean of answered items."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from spiegel.analysis._common import require_columns, require_numeric

__all__ = ["InstrumentLike", "ScaleSpec", "score_scales"]

_MAX_REPORTED = 5


@dataclass(frozen=True)
class ScaleSpec:
    r"""The items of one scale and the response range used for reverse keying.

    Parameters
    ----------
    items : tuple of str
        Column names of the scale's items, in questionnaire order.
    reverse : frozenset of str
        The reverse-keyed items (a subset of ``items``).
    min, max : float
        The lowest and highest possible response (e.g. 1 and 5 for a five-point
        agreement scale). A reverse-keyed answer :math:`x` is scored as
        :math:`\min + \max - x`.
    """

    items: tuple[str, ...]
    reverse: frozenset[str]
    min: float
    max: float

    def __post_init__(self) -> None:
        items = tuple(self.items)
        reverse = frozenset(self.reverse)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "reverse", reverse)
        if not items:
            raise ValueError("ScaleSpec.items must name at least one item")
        if len(set(items)) != len(items):
            raise ValueError(f"ScaleSpec.items has duplicate names: {items}")
        unknown = sorted(reverse - set(items))
        if unknown:
            raise ValueError(f"ScaleSpec.reverse names items not in the scale: {unknown}")
        if not (np.isfinite(self.min) and np.isfinite(self.max)) or self.min >= self.max:
            raise ValueError(
                f"ScaleSpec needs finite min < max, got min={self.min}, max={self.max}"
            )


@runtime_checkable
class InstrumentLike(Protocol):
    """Anything that can list its scales (e.g. a questionnaire definition)."""

    def scale_specs(self) -> Mapping[str, ScaleSpec]:
        """Map each scale name to its :class:`ScaleSpec`."""
        ...


def _resolve_specs(instrument: Mapping[str, ScaleSpec] | InstrumentLike) -> dict[str, ScaleSpec]:
    if isinstance(instrument, Mapping):
        specs = dict(instrument)
    elif isinstance(instrument, InstrumentLike):
        specs = dict(instrument.scale_specs())
    else:
        raise ValueError(
            "instrument must be a mapping {scale: ScaleSpec} or have a scale_specs() method, "
            f"got {type(instrument).__name__}"
        )
    if not specs:
        raise ValueError("instrument defines no scales")
    bad = [name for name, spec in specs.items() if not isinstance(spec, ScaleSpec)]
    if bad:
        raise ValueError(f"scale(s) {bad} are not ScaleSpec instances")
    return specs


def _check_range(
    values: np.ndarray, index: pd.Index, items: tuple[str, ...], spec: ScaleSpec, scale: str
) -> None:
    with np.errstate(invalid="ignore"):
        out = (values < spec.min) | (values > spec.max)
    if not out.any():
        return
    rows, cols = np.nonzero(out)
    shown = [
        f"column {items[c]!r}, row {index[r]!r}: {values[r, c]:g}"
        for r, c in zip(rows[:_MAX_REPORTED], cols[:_MAX_REPORTED], strict=True)
    ]
    more = f" (and {len(rows) - _MAX_REPORTED} more)" if len(rows) > _MAX_REPORTED else ""
    raise ValueError(
        f"scale {scale!r}: {len(rows)} value(s) outside the response range "
        f"[{spec.min:g}, {spec.max:g}]: " + "; ".join(shown) + more
    )


def score_scales(
    responses: pd.DataFrame,
    instrument: Mapping[str, ScaleSpec] | InstrumentLike,
    min_share: float = 0.5,
) -> pd.DataFrame:
    r"""Scale scores per respondent: the mean of the answered items after reverse keying.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent, one numeric column per item; missing answers are NaN.
    instrument : mapping of str to ScaleSpec, or an object with ``scale_specs()``
        The scales to score.
    min_share : float, default 0.5
        A respondent gets a score on a scale only when at least this share of the
        scale's items is answered (``0 < min_share <= 1``); otherwise the score is NaN.

    Returns
    -------
    pandas.DataFrame
        One column per scale, with the same index as ``responses``.
        ``result.attrs["n_missing"]`` is a dict ``{scale: number of respondents whose
        score is NaN}`` (too few items answered), so no respondent is left out silently.

    Raises
    ------
    ValueError
        When an item column is missing or not numeric, when a value lies outside the
        scale's ``[min, max]`` (the message names the column and row), or when
        ``min_share`` is not in (0, 1].

    Notes
    -----
    For respondent :math:`i` and scale items :math:`j = 1..k`, with :math:`A_i` the set of
    answered items,

    .. math::

        x'_{ij} = \begin{cases} \min + \max - x_{ij} & j \text{ reverse keyed} \\
                  x_{ij} & \text{otherwise} \end{cases}
        \qquad
        s_i = \begin{cases} \frac{1}{|A_i|} \sum_{j \in A_i} x'_{ij}
              & |A_i| \ge \text{min\_share} \cdot k \\
              \text{NaN} & \text{otherwise.} \end{cases}

    The mean of available items (person-mean imputation) is the usual rule for scales
    with a few missing answers; Schafer & Graham (2002) and Newman (2014) discuss when it
    is acceptable (few items missing, items of similar means).

    References
    ----------
    Schafer, J. L., & Graham, J. W. (2002). Missing data: Our view of the state of the
    art. *Psychological Methods*, 7(2), 147-177.

    Newman, D. A. (2014). Missing data: Five practical guidelines. *Organizational
    Research Methods*, 17(4), 372-411.

    Examples
    --------
    >>> spec = ScaleSpec(items=("v1", "v2"), reverse=frozenset({"v2"}), min=1, max=5)
    >>> df = pd.DataFrame({"v1": [4.0, 2.0], "v2": [2.0, None]})
    >>> score_scales(df, {"vigor": spec})["vigor"].tolist()
    [4.0, 2.0]

    # R: psych::scoreItems(keys, x, totals = FALSE, impute = "none", min = 1, max = 5)
    #    (psych scores every respondent with at least one answer; use min_share to differ)
    """
    if not (0.0 < min_share <= 1.0):
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    specs = _resolve_specs(instrument)
    all_items = list(dict.fromkeys(item for spec in specs.values() for item in spec.items))
    require_columns(responses, all_items, "responses")
    require_numeric(responses, all_items, "responses")

    scores: dict[str, np.ndarray] = {}
    n_missing: dict[str, int] = {}
    for scale, spec in specs.items():
        values = responses[list(spec.items)].to_numpy(dtype=float, na_value=np.nan)
        _check_range(values, responses.index, spec.items, spec, scale)
        rev = [j for j, item in enumerate(spec.items) if item in spec.reverse]
        if rev:
            values = values.copy()
            values[:, rev] = spec.min + spec.max - values[:, rev]
        answered = ~np.isnan(values)
        n_answered = answered.sum(axis=1)
        total = np.where(answered, values, 0.0).sum(axis=1)
        enough = (n_answered >= min_share * len(spec.items)) & (n_answered > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(enough, total / n_answered, np.nan)
        scores[scale] = score
        n_missing[scale] = int((~enough).sum())

    result = pd.DataFrame(scores, index=responses.index)
    result.attrs["n_missing"] = n_missing
    return result
