"""From a GroupTable to the additive structure the disclosure check works on.

Every published cell is a set of micro-cells (unit attached to directly × attribute
combination). This module computes, for each cell, its box (the attribute combinations
it covers), its respondent count, and splits the combinations into independent *blocks*:
two combinations are in one block when some cell covers both. With one cell per wave
(the usual case) each wave is its own block, because the respondents of different waves
are different micro-cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spiegel.privacy import subspace as ss
from spiegel.privacy.disclosure import BlockProblem
from spiegel.privacy.settings import PrivacySettings
from spiegel.privacy.tables import UNIT, WAVE, CellKey, GroupTable, N

Combo = tuple[str, ...]  # (wave, value of each split attribute)


@dataclass
class Compiled:
    """A table's cells with their counts, boxes and blocks."""

    combos: list[Combo]
    exempt: np.ndarray  # bool per combo: one known person (360° self/manager)
    cell_n: np.ndarray  # respondents per cell (all)
    cell_n_counted: np.ndarray  # respondents per cell that count towards the minimum
    cell_box: list[np.ndarray]  # combo indices per cell
    direct: dict[str, np.ndarray]  # counted respondents attached directly, per unit
    subtotal: dict[str, np.ndarray]  # counted respondents in the subtree, per unit
    blocks: list[np.ndarray]  # combo indices per block


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def compile_table(table: GroupTable, settings: PrivacySettings) -> Compiled:
    """Counts, boxes and blocks for every cell of ``table``."""
    attrs = list(table.split_attributes)
    allowed = settings.allowed_for(table.kind)
    refused = [a for a in attrs if a not in allowed]
    if refused:
        raise ValueError(
            f"split attribute(s) {', '.join(map(repr, refused))} are not allowed by this "
            f"organisation's privacy settings (allowed: {', '.join(sorted(allowed)) or 'none'})"
        )
    if table.kind == "rater360" and settings.rater_attribute not in attrs:
        raise ValueError(
            f"a rater360 table must split by the rater attribute {settings.rater_attribute!r}"
        )
    frame = table.microcells
    columns = [[str(v) for v in frame[c].tolist()] for c in (UNIT, WAVE, *attrs)]
    direct_counts: dict[tuple[str, Combo], int] = {}
    for unit, *combo_values, n in zip(*columns, frame[N].tolist(), strict=True):
        if n:
            slot = (unit, tuple(combo_values))
            direct_counts[slot] = direct_counts.get(slot, 0) + int(n)
    combos: list[Combo] = sorted({c for (_, c), n in direct_counts.items() if n > 0})
    index = {c: i for i, c in enumerate(combos)}
    k = len(combos)
    exempt = np.zeros(k, dtype=bool)
    if table.kind == "rater360":
        pos = 1 + attrs.index(settings.rater_attribute)
        exempt = np.array([c[pos] in settings.exempt_rater_groups for c in combos], dtype=bool)

    tree = table.tree
    direct_all = {u: np.zeros(k, dtype=np.int64) for u in tree.units}
    for (unit, combo), n in direct_counts.items():
        if n > 0:
            direct_all[unit][index[combo]] += n
    counted = ~exempt
    direct = {u: np.where(counted, v, 0) for u, v in direct_all.items()}
    sub_all: dict[str, np.ndarray] = {}
    subtotal: dict[str, np.ndarray] = {}
    for u in reversed(tree.units):  # children before parents
        sub_all[u] = direct_all[u] + sum(
            (sub_all[c] for c in tree.children(u)), np.zeros(k, dtype=np.int64)
        )
        subtotal[u] = np.where(counted, sub_all[u], 0)

    combo_arr = np.array(combos, dtype=object).reshape(k, 1 + len(attrs))
    box_cache: dict[tuple[str | None, tuple[tuple[str, str], ...]], np.ndarray] = {}
    cell_box: list[np.ndarray] = []
    cell_n = np.zeros(len(table.keys), dtype=np.int64)
    cell_counted = np.zeros(len(table.keys), dtype=np.int64)
    for i, key in enumerate(table.keys):
        box = box_cache.get((key.wave, key.split))
        if box is None:
            mask = np.ones(k, dtype=bool)
            if key.wave is not None:
                mask &= combo_arr[:, 0] == key.wave
            for attr, value in key.split:
                mask &= combo_arr[:, 1 + attrs.index(attr)] == value
            box = np.flatnonzero(mask)
            box_cache[(key.wave, key.split)] = box
        cell_box.append(box)
        cell_n[i] = sub_all[key.unit][box].sum()
        cell_counted[i] = subtotal[key.unit][box].sum()

    uf = _UnionFind(k)
    for box in box_cache.values():
        for j in box[1:]:
            uf.union(int(box[0]), int(j))
    roots: dict[int, list[int]] = {}
    for i in range(k):
        roots.setdefault(uf.find(i), []).append(i)
    blocks = [np.array(v, dtype=np.int64) for _, v in sorted(roots.items())]
    return Compiled(combos, exempt, cell_n, cell_counted, cell_box, direct, subtotal, blocks)


def cells_by_block(comp: Compiled, cells: list[int]) -> dict[int, list[int]]:
    """``{block: cells}``: the cells among ``cells`` whose box lies in each block (cells with
    an empty box, holding nobody, are in none)."""
    block_of = np.empty(len(comp.combos), dtype=np.int64)
    for b, combos in enumerate(comp.blocks):
        block_of[combos] = b
    out: dict[int, list[int]] = {}
    for cid in cells:
        box = comp.cell_box[cid]
        if len(box):
            out.setdefault(int(block_of[box[0]]), []).append(cid)
    return dict(sorted(out.items()))


def block_problem(
    table: GroupTable,
    comp: Compiled,
    block: np.ndarray,
    visible: list[int],
    cost: dict[int, tuple[object, ...]],
) -> BlockProblem | None:
    """The suppression problem of one block; ``None`` when nothing in it needs checking.

    ``visible`` lists the visible cells whose box lies in this block.
    """
    tree = table.tree
    local = {int(g): i for i, g in enumerate(block)}
    d = len(block)
    in_block = {u for u in tree.units if comp.subtotal[u][block].any()}
    if not in_block:
        return None
    postorder = [u for u in reversed(tree.units) if u in in_block]
    parent = {u: tree.parent(u) for u in postorder}
    children = {u: [c for c in tree.children(u) if c in in_block] for u in postorder}
    real: dict[str, dict[int, int]] = {}
    for u in postorder:
        vals = comp.direct[u][block]
        nz = np.flatnonzero(vals)
        if len(nz):
            real[u] = {int(i): int(vals[i]) for i in nz}
    vis: dict[str, dict[int, ss.Vec]] = {u: {} for u in postorder}
    for cid in sorted(visible):
        key: CellKey = table.keys[cid]
        box = comp.cell_box[cid]
        if key.unit not in in_block:
            continue
        coords = {local[int(g)] for g in box}
        vis[key.unit][cid] = ss.vec([1 if i in coords else 0 for i in range(d)])
    return BlockProblem(
        d=d,
        postorder=postorder,
        parent=parent,
        children=children,
        real=real,
        visible=vis,
        cost={cid: cost[cid] for u in vis for cid in vis[u]},
    )
