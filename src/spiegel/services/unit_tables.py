"""Unit-level figures for every group a viewer could see, passed through the privacy gate.

Each table holds, for every unit of the tree (the unit and everything below it) and every
wave, the respondent count and the figures, plus role-group splits where they are shown.
The gate hides groups below the minimum and whatever would let someone work them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from spiegel.privacy import GroupTable, UnitTree
from spiegel.services.dataset import ancestors


def unit_tree(units: pd.DataFrame) -> UnitTree:
    """The privacy gate's view of the unit tree (ids as strings, names for reasons)."""
    parents = {
        str(int(u)): (None if pd.isna(p) else str(int(p)))
        for u, p in zip(units["id"], units["parent_id"], strict=True)
    }
    names = {str(int(u)): str(n) for u, n in zip(units["id"], units["name"], strict=True)}
    return UnitTree(parents, names)


def expand_to_ancestors(frame: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Repeat each row once for every unit it belongs to (its own unit and all above).

    The result has a column ``group_unit``: aggregating by it gives each unit's figures
    over its whole subtree.
    """
    chains = ancestors(units)
    own = frame["unit_id"].astype(int).to_numpy()
    lengths = np.array([len(chains[u]) for u in own])
    index = np.repeat(np.arange(len(frame)), lengths)
    group_unit = np.concatenate([chains[u] for u in own]) if len(own) else np.array([], int)
    out = frame.iloc[index].reset_index(drop=True)
    out["group_unit"] = group_unit
    return out


Figures = dict[str, tuple[str, str | Callable[[pd.Series], float]]]


def _aggregate(frame: pd.DataFrame, keys: list[str], figures: Figures) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=True, dropna=False)
    out = grouped.size().rename("n").to_frame()
    for name, (column, how) in figures.items():
        out[name] = grouped[column].agg(how)
    return out.reset_index()


def micro_counts(respondents: pd.DataFrame, keys: list[str], split: str | None) -> pd.Series:
    """Respondents per micro-cell (unit attached to, wave[, split value]), sorted by key.

    A missing split value counts as ``"unknown"``, as in :func:`group_table`.
    """
    if split:
        respondents = respondents.assign(
            **{split: respondents[split].fillna("unknown").astype(str)}
        )
    return respondents.groupby(keys, dropna=False, sort=True).size()


def group_table(
    respondents: pd.DataFrame,
    units: pd.DataFrame,
    value_columns: Sequence[str],
    split: str | None = None,
    split_units: set[int] | None = None,
    extra: Figures | None = None,
) -> GroupTable:
    """Build the gate's input from respondent rows (wave, unit_id, [split], values).

    Figures: the mean of each value column per unit subtree and wave, plus ``extra``
    figures ``{name: (column, aggregation)}``; with ``split``, also per split value for
    the units in ``split_units`` (all units when ``None``).
    """
    tree = unit_tree(units)
    keys_micro = ["unit_id", "wave"] + ([split] if split else [])
    micro = micro_counts(respondents, keys_micro, split).rename("n").reset_index()
    micro = micro.rename(columns={"unit_id": "unit"})
    micro["unit"] = micro["unit"].astype(int).astype(str)

    figures: Figures = {c: (c, "mean") for c in value_columns}
    figures.update(extra or {})
    expanded = expand_to_ancestors(respondents, units)
    overall = _aggregate(expanded, ["group_unit", "wave"], figures)
    parts = [overall]
    if split:
        sub = expanded
        if split_units is not None:
            sub = expanded[expanded["group_unit"].isin(split_units)]
        sub = sub.assign(**{split: sub[split].fillna("unknown").astype(str)})
        parts.append(_aggregate(sub, ["group_unit", "wave", split], figures))
    table = pd.concat(parts, ignore_index=True)
    table = table.rename(columns={"group_unit": "unit"})
    table["unit"] = table["unit"].astype(int).astype(str)
    if split and split not in table.columns:
        table[split] = None
    table = table.drop(columns=["n"])
    return GroupTable(
        tree=tree,
        microcells=micro,
        figures=table,
        split_attributes=(split,) if split else (),
    )
