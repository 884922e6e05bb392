"""Unit-level figures for every group a viewer could see, passed through the privacy gate.

Each table holds, for every unit of the tree (the unit and everything below it) and every
wave, the respondent count and the figures, plus role-group splits where they are shown.
The gate hides groups below the minimum and whatever would let someone work them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


#: Figures of a table: each is the mean of a column over its respondents who answered it
#: (``{figure name: column}``).
Figures = dict[str, str]


@dataclass(frozen=True)
class MicroCells:
    """Respondents summed into micro-cells: the unit they are attached to, the wave and
    (with a split) the split value; a missing split value counts as ``"unknown"``.

    ``n`` counts respondents; ``counts`` and ``sums`` count and add the answers of each
    column (all indexed by ``keys``)."""

    keys: list[str]
    n: pd.Series
    counts: pd.DataFrame
    sums: pd.DataFrame


def micro_cells(
    respondents: pd.DataFrame, columns: Sequence[str], split: str | None = None
) -> MicroCells:
    """Sum ``respondents`` (wave, unit_id, [split], ``columns``) into micro-cells."""
    keys = ["unit_id", "wave"] + ([split] if split else [])
    frame = respondents[[*keys, *dict.fromkeys(columns)]]
    if split:
        frame = frame.assign(**{split: frame[split].fillna("unknown").astype(str)})
    values = frame[list(dict.fromkeys(columns))].astype(float)
    by = [frame[k] for k in keys]
    counts = values.notna().groupby(by, sort=True).sum()
    sums = values.fillna(0.0).groupby(by, sort=True).sum()
    n = frame.groupby(keys, sort=True, dropna=False).size()
    return MicroCells(keys, n, counts.reindex(n.index), sums.reindex(n.index))


def group_table(
    micro: MicroCells,
    units: pd.DataFrame,
    figures: Figures,
    split: str | None = None,
    split_units: set[int] | None = None,
) -> GroupTable:
    """The gate's input: every unit's figures over its whole subtree, per wave, and per
    split value for the units in ``split_units`` (all units when ``None``)."""
    tree = unit_tree(units)
    cells = micro.n.rename("n").reset_index().rename(columns={"unit_id": "unit"})
    cells["unit"] = cells["unit"].astype(int).astype(str)
    columns = list(dict.fromkeys(figures.values()))
    flat = pd.concat(
        [
            micro.n.rename("__n"),
            micro.counts[columns].add_prefix("c:"),
            micro.sums[columns].add_prefix("s:"),
        ],
        axis=1,
    ).reset_index()
    expanded = expand_to_ancestors(flat, units)
    parts = [_means(expanded, ["group_unit", "wave"], figures)]
    if split:
        sub = expanded
        if split_units is not None:
            sub = expanded[expanded["group_unit"].isin(split_units)]
        parts.append(_means(sub, ["group_unit", "wave", split], figures))
    table = pd.concat(parts, ignore_index=True).rename(columns={"group_unit": "unit"})
    table["unit"] = table["unit"].astype(int).astype(str)
    if split and split not in table.columns:
        table[split] = None
    return GroupTable(
        tree=tree,
        microcells=cells,
        figures=table,
        split_attributes=(split,) if split else (),
    )


def _means(expanded: pd.DataFrame, keys: list[str], figures: Figures) -> pd.DataFrame:
    totals = expanded.groupby(keys, sort=True, dropna=False).sum(numeric_only=True)
    out = pd.DataFrame(index=totals.index)
    for name, column in figures.items():
        count = totals[f"c:{column}"]
        out[name] = (totals[f"s:{column}"] / count).where(count > 0)
    return out.reset_index()
