"""360° feedback: self-ratings next to ratings by others, reported strengths first."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from spiegel.analysis._common import require_columns, require_numeric

__all__ = ["FEEDBACK360_LABELS", "self_other_gaps", "strengths"]

#: Labels given by :func:`self_other_gaps`.
FEEDBACK360_LABELS: tuple[str, ...] = (
    "hidden strength",
    "agreed strength",
    "blind spot",
    "aligned",
    "no self rating",
    "no other ratings",
)

# Gaps are differences of means; allow for floating-point noise at the threshold.
_TOL = 1e-9


def _top_share_mask(values: pd.Series, groups: pd.Series, share: float) -> pd.Series:
    """Whether each value lies in the top ``share`` of its group (ties share the better rank)."""
    ranks = values.groupby(groups, sort=False).rank(method="min", ascending=False)
    counts = values.notna().groupby(groups, sort=False).transform("sum")
    cut = np.ceil(counts.to_numpy(dtype=float) * share)
    return pd.Series(ranks.to_numpy(dtype=float) <= cut, index=values.index)


def self_other_gaps(
    ratings: pd.DataFrame,
    person: str = "person",
    competency: str = "competency",
    rater_group: str = "rater_group",
    value: str = "value",
    self_label: str = "self",
    threshold: float = 0.5,
    top_share: float = 1 / 3,
) -> pd.DataFrame:
    r"""Self-rating versus others' ratings per person and competency (360° feedback).

    For each person *i* and competency *k*: the self score (mean of the self-ratings),
    the mean per other rater group *g* (peer, manager, direct report, customer, ...),
    the mean of all others' ratings pooled (each rating counts once, so larger rater
    groups weigh more), and the gaps

    .. math::

        \text{gap}_{ik} = \text{self}_{ik} - \bar x_{ik,\text{others}}, \qquad
        \text{gap}_{ikg} = \text{self}_{ik} - \bar x_{ikg}.

    Labels, reported strengths first (people tend to rate themselves lower than others
    do, so the hidden strengths come first in the report):

    - **hidden strength**: others rate higher than self by at least ``threshold``
      (:math:`\text{gap} \le -\text{threshold}`);
    - **blind spot**: self higher than others by at least ``threshold``;
    - **agreed strength**: otherwise, when the competency is in the person's top
      ``top_share`` (default a third) both by others' mean and by self score;
    - **aligned**: otherwise; **no self rating** / **no other ratings** when a side is
      missing.

    "Top third" is relative to the person's own competencies (rank with ties sharing the
    better rank, within the top :math:`\lceil K \cdot \text{top\_share} \rceil` of the
    *K* rated competencies), following strengths-based feedback: a person's strengths are
    what they do best, whatever the absolute level.

    Parameters
    ----------
    ratings : pandas.DataFrame
        Long format, one row per rating: who is rated (``person``), the ``competency``,
        the ``rater_group`` of the rater and the numeric ``value``.
    person, competency, rater_group, value : str
        Column names.
    self_label : str
        The value of ``rater_group`` that marks a self-rating.
    threshold : float
        Smallest absolute self–other gap, in scale points, for a hidden strength or a
        blind spot.
    top_share : float
        Share of a person's competencies that counts as "high" for an agreed strength.

    Returns
    -------
    pandas.DataFrame
        One row per person and competency, sorted by person (first appearance) and then
        by others' mean, highest first: ``self``, ``n_self``, for each other rater group
        ``g`` (order of first appearance) ``mean_g``, ``n_g`` and ``gap_g``, then
        ``others``, ``n_others``, ``gap``, ``rank_others`` (1 = the person's highest
        rated competency by others), ``label`` and ``n_dropped`` (ratings of that person
        and competency left out for a missing value or rater group).
        ``result.attrs["n_dropped"]`` is the total number of rows left out, including rows
        without a person or competency. Privacy rules (minimum raters per group) are
        applied later by :mod:`spiegel.privacy`, which uses the ``n_*`` columns.

    Raises
    ------
    ValueError
        When a column is missing, ``value`` is not numeric, ``threshold`` is negative or
        ``top_share`` is not in (0, 1].

    References
    ----------
    Fleenor, J. W., McCauley, C. D., & Brutus, S. (1996). Self-other rating agreement and
    leader effectiveness. *Leadership Quarterly*, 7(4), 487–506.

    Buckingham, M., & Clifton, D. O. (2001). *Now, discover your strengths*. Free Press.

    Examples
    --------
    >>> r = pd.DataFrame({"person": "ann", "competency": "listening",
    ...                   "rater_group": ["self", "peer", "peer", "manager"],
    ...                   "value": [3.0, 4, 5, 4]})
    >>> row = self_other_gaps(r).iloc[0]
    >>> round(float(row["gap"]), 3), row["label"]
    (-1.333, 'hidden strength')

    # R: aggregate(value ~ person + competency + rater_group, data = r, FUN = mean)
    """
    what = "self_other_gaps: ratings"
    require_columns(ratings, [person, competency, rater_group, value], what)
    require_numeric(ratings, [value], what)
    if not threshold >= 0:
        raise ValueError(f"self_other_gaps: threshold must be zero or positive, got {threshold!r}")
    if not 0 < top_share <= 1:
        raise ValueError(f"self_other_gaps: top_share must be in (0, 1], got {top_share!r}")

    keys = [person, competency]
    data = ratings[[person, competency, rater_group, value]]
    has_key = data[keys].notna().all(axis=1)
    n_no_key = int((~has_key).sum())
    data = data.loc[has_key]
    complete = data[[rater_group, value]].notna().all(axis=1)
    dropped = (~complete).groupby([data[person], data[competency]], sort=False).sum()
    data = data.loc[complete]

    # One row per person × competency, in order of first appearance.
    index = pd.MultiIndex.from_frame(ratings.loc[has_key, keys].drop_duplicates(), names=keys)
    result = pd.DataFrame(index=index)
    is_self = data[rater_group] == self_label
    own = data.loc[is_self].groupby(keys, sort=False)[value]
    result["self"] = own.mean().reindex(index)
    result["n_self"] = own.size().reindex(index, fill_value=0)

    others = data.loc[~is_self]
    for group in others[rater_group].drop_duplicates():
        sub = others.loc[others[rater_group] == group].groupby(keys, sort=False)[value]
        result[f"mean_{group}"] = sub.mean().reindex(index)
        result[f"n_{group}"] = sub.size().reindex(index, fill_value=0)
        result[f"gap_{group}"] = result["self"] - result[f"mean_{group}"]
    pooled = others.groupby(keys, sort=False)[value]
    result["others"] = pooled.mean().reindex(index)
    result["n_others"] = pooled.size().reindex(index, fill_value=0)
    result["gap"] = result["self"] - result["others"]

    result = result.reset_index()
    persons = result[person]
    result["rank_others"] = (
        result["others"].groupby(persons, sort=False).rank(method="min", ascending=False)
    )
    top_others = _top_share_mask(result["others"], persons, top_share)
    top_self = _top_share_mask(result["self"], persons, top_share)

    labels: list[str] = []
    for gap, s, o, t_o, t_s in zip(
        result["gap"], result["self"], result["others"], top_others, top_self, strict=True
    ):
        if math.isnan(s):
            labels.append("no self rating")
        elif math.isnan(o):
            labels.append("no other ratings")
        elif gap <= -threshold + _TOL:
            labels.append("hidden strength")
        elif gap >= threshold - _TOL:
            labels.append("blind spot")
        elif t_o and t_s:
            labels.append("agreed strength")
        else:
            labels.append("aligned")
    result["label"] = labels
    result["n_dropped"] = dropped.reindex(
        pd.MultiIndex.from_frame(result[keys]), fill_value=0
    ).to_numpy(dtype=int)

    order = {p: i for i, p in enumerate(pd.unique(persons))}
    result["_order"] = persons.map(order)
    result = result.sort_values(
        ["_order", "others"], ascending=[True, False], na_position="last", kind="stable"
    ).drop(columns="_order")
    result = result.reset_index(drop=True)
    result.attrs["n_dropped"] = n_no_key + int(dropped.sum())
    result.attrs["threshold"] = threshold
    return result


def strengths(
    ratings: pd.DataFrame,
    person: str = "person",
    competency: str = "competency",
    rater_group: str = "rater_group",
    value: str = "value",
    self_label: str = "self",
    threshold: float = 0.5,
    top: int = 3,
) -> pd.DataFrame:
    r"""Each person's top competencies by the mean rating of others (strengths first).

    Ranks each person's competencies by :math:`\bar x_{ik,\text{others}}` (the pooled
    mean of all non-self ratings, see :func:`self_other_gaps`) and keeps the ``top``
    highest; ties keep the order of :func:`self_other_gaps`, so more than ``top`` rows
    are never returned. Competencies without ratings by others are not ranked.

    .. math::

        \text{strengths}_i = \operatorname{top}_{k}\ \bar x_{ik,\text{others}}

    Parameters
    ----------
    ratings, person, competency, rater_group, value, self_label, threshold
        As in :func:`self_other_gaps`.
    top : int
        Number of strengths per person.

    Returns
    -------
    pandas.DataFrame
        Columns ``person``, ``rank`` (1, 2, ...), ``competency``, ``others``,
        ``n_others``, ``self``, ``gap`` and ``label``; ``attrs["n_dropped"]`` as in
        :func:`self_other_gaps`.

    Raises
    ------
    ValueError
        As :func:`self_other_gaps`, or when ``top`` is not a positive integer.

    References
    ----------
    Buckingham, M., & Clifton, D. O. (2001). *Now, discover your strengths*. Free Press.

    Examples
    --------
    >>> r = pd.DataFrame({"person": "ann", "competency": ["listening", "planning"],
    ...                   "rater_group": "peer", "value": [4.0, 3.0]})
    >>> strengths(r, top=1)["competency"].tolist()
    ['listening']

    # R: head(sort(tapply(others$value, others$competency, mean), decreasing = TRUE), 3)
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"strengths: top must be a positive integer, got {top!r}")
    gaps = self_other_gaps(ratings, person, competency, rater_group, value, self_label, threshold)
    ranked = gaps.loc[gaps["others"].notna()]
    ranked = ranked.groupby(person, sort=False).head(top).copy()
    ranked["rank"] = ranked.groupby(person, sort=False).cumcount() + 1
    columns = [person, "rank", competency, "others", "n_others", "self", "gap", "label"]
    result = ranked[columns].reset_index(drop=True)
    result.attrs["n_dropped"] = gaps.attrs["n_dropped"]
    return result
