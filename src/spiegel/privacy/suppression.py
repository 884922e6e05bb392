"""Complementary suppression: which visible cells to hide so that no disclosure remains.

The disclosures themselves are found by :mod:`spiegel.privacy.disclosure`.
Suppression is greedy and local: units are settled bottom-up. While a unit shows
disclosures, hide the visible cells that make the most of them underivable per cell
hidden (every candidate is checked exactly with :meth:`BlockSolver.derivable`); among
those, the cells with the fewest respondents, or with ``hide_first="higher"`` the cells
highest in the tree but not the organisation's total (see :func:`_cost`). Cells that hold
exactly the same respondents go together.
Then recompute the units between the hidden cells and the unit being settled. Hiding
never makes anything derivable, so settled units stay safe, and the loop ends because
every step hides at least one cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from spiegel.privacy.disclosure import BlockProblem, DisclosureSearch, Group, TooComplexError
from spiegel.privacy.settings import HideFirst
from spiegel.privacy.structure import Compiled, block_problem, cells_by_block
from spiegel.privacy.subspace import Vec
from spiegel.privacy.tables import GroupTable


@dataclass(frozen=True)
class Suppression:
    """One complementary suppression: the cell hidden, the group it protects, and the
    unit whose subtree holds the figures the group could have been worked out from."""

    cell: int
    protected: Group
    within: str


class BlockSolver(DisclosureSearch):
    """Finds and removes every disclosure in one block (see the module docstring)."""

    def __init__(
        self,
        problem: BlockProblem,
        minimum: int,
        *,
        budget: int = 50_000,
        candidates_tested: int = 16,
    ) -> None:
        super().__init__(problem, minimum, budget=budget)
        self.candidates_tested = candidates_tested
        self._signatures: dict[tuple[str, Vec], tuple[str, tuple[int, ...]]] = {}
        self.sub_real: dict[str, tuple[int, ...]] = {}
        for v in problem.postorder:
            coords = set(problem.real.get(v, {}))
            for c in problem.children.get(v, []):
                coords.update(self.sub_real[c])
            self.sub_real[v] = tuple(sorted(coords))
        self.suppressed: list[Suppression] = []

    def _signature(self, unit: str, box: Vec) -> tuple[str, tuple[int, ...]]:
        """Canonical name of the group "``box`` below ``unit``".

        Walk down while the unit has nobody of its own in the box and only one child
        has anyone in it: the group is the same as that child's.
        """
        key = (unit, box)
        got = self._signatures.get(key)
        if got is None:
            got = self._signatures[key] = self._walk_signature(unit, box)
        return got

    def _walk_signature(self, unit: str, box: Vec) -> tuple[str, tuple[int, ...]]:
        coords = tuple(i for i in self.sub_real[unit] if box[i])
        while True:
            own = self.p.real.get(unit, {})
            if any(i in own for i in coords):
                return unit, coords
            kids = [
                c
                for c in self.p.children.get(unit, [])
                if any(i in self.sub_real[c] for i in coords)
            ]
            if len(kids) != 1:
                return unit, coords
            unit = kids[0]
            coords = tuple(i for i in coords if i in self.sub_real[unit])

    def _bundle(self, cid: int) -> frozenset[int]:
        """``cid`` and the visible cells that hold exactly the same respondents.

        Two cells describe the same group when their boxes differ only in attribute
        combinations nobody has, or when one unit's only populated child is the other
        unit; hiding one of them alone would achieve nothing.
        """
        unit = self.p.cell_unit[cid]
        mine = self._signature(unit, self.p.visible[unit][cid])
        out = {cid}
        cur: str | None = mine[0]
        while cur is not None:
            for other, box in self.p.visible.get(cur, {}).items():
                if other not in out and self._signature(cur, box) == mine:
                    out.add(other)
            cur = self.p.parent[cur]
        return frozenset(out)

    def _below(self, unit: str, top: str) -> bool:
        """True when ``unit`` is ``top`` or lies below it."""
        cur: str | None = unit
        while cur is not None:
            if cur == top:
                return True
            cur = self.p.parent[cur]
        return False

    # ----------------------------------------------------------------- choosing what to hide
    def _candidates(self, top: str, group: Group) -> tuple[list[int], list[int]]:
        """Cells near a derivation of ``group`` (cheapest first), and those it uses."""
        used = self._derivation_units(top, group)
        near: set[str] = set(used)
        for unit, _ in group:
            cur: str | None = unit
            while cur is not None:
                near.add(cur)
                near.update(self.p.children.get(cur, []))
                if cur == top:
                    break
                cur = self.p.parent[cur]
        cands = sorted(
            (cid for u in near for cid in self.p.visible.get(u, {})),
            key=lambda cid: self.p.cost[cid],
        )
        in_use = sorted(
            (cid for u in used for cid in self.p.visible.get(u, {})),
            key=lambda cid: self.p.cost[cid],
        )
        return cands[: self.candidates_tested], in_use

    def _choose(self, top: str, found: list[tuple[int, Group]]) -> tuple[frozenset[int], Group]:
        """The cells to hide: break the most of ``found`` per cell, then fewest respondents.

        Greedy set cover over the disclosures found at ``top``; every "breaks" is the
        exact check :meth:`derivable` with the cells removed. Cells holding exactly the
        same respondents at one unit go together (see :meth:`_bundle`).
        """
        groups = [g for _, g in sorted(found, key=lambda t: (t[0], sorted(t[1])))][:4]
        first, others = groups[0], groups[1:]
        cands, in_use = self._candidates(top, first)
        bundles = sorted(
            {self._bundle(cid) for cid in cands},
            key=lambda b: min(self.p.cost[c] for c in b),
        )
        best: tuple[tuple[object, ...], frozenset[int]] | None = None
        for bundle in bundles:
            units = {self.p.cell_unit[c] for c in bundle}
            override = {
                u: self._span_visible(u, without=bundle) for u in units if self._below(u, top)
            }
            if self.derivable(top, first, override):
                continue
            broken = 1 + sum(not self.derivable(top, g, override) for g in others)
            cost = min(self.p.cost[c] for c in bundle)
            score = (-broken / len(bundle), len(bundle), cost)
            if best is None or score < best[0]:
                best = (score, bundle)
        if best is not None:
            return best[1], first
        fallback = in_use or cands
        if not fallback:
            raise RuntimeError(f"privacy: no visible cell explains a disclosure below {top!r}")
        return self._bundle(fallback[0]), first

    def _hide(self, bundle: frozenset[int]) -> str:
        """Hide the cells of ``bundle``; return the deepest unit touched."""
        units = {self.p.cell_unit[c] for c in bundle}
        for cid in bundle:
            del self.p.visible[self.p.cell_unit[cid]][cid]
        for u in units:
            self.F[u] = self._span_visible(u)
        return min(units, key=self.rank.__getitem__)

    def _settle(self, v: str) -> None:
        while True:
            found = self._compute(v)
            if not found:
                return
            bundle, group = self._choose(v, found)
            unit = self._hide(bundle)
            self.suppressed += [Suppression(cid, group, v) for cid in sorted(bundle)]
            cur: str | None = unit
            while cur is not None and cur != v:
                self._settle(cur)
                cur = self.p.parent[cur]

    def run(self) -> list[Suppression]:
        """Settle every unit bottom-up; return the complementary suppressions made."""
        for v in self.p.postorder:
            self._settle(v)
        return self.suppressed


def _cost(table: GroupTable, comp: Compiled, cid: int, hide_first: HideFirst) -> tuple[object, ...]:
    """Sort key among cells that break as many disclosures per hidden cell (smallest first).

    ``"smaller"``: the fewest respondents, then a split before a total, the deeper unit,
    the cell's position. ``"higher"``: first anything but a root's total (the
    organisation's headline and response rate), then the cell highest in the tree (a
    location before its teams), then as ``"smaller"``.
    """
    key = table.keys[cid]
    tree = table.tree
    base = (int(comp.cell_n[cid]), 0 if key.split else 1, -tree.depth(key.unit), cid)
    if hide_first == "smaller":
        return base
    whole_root = tree.parent(key.unit) is None and not key.split
    return (whole_root, -tree.height(key.unit), *base)


def complementary(
    table: GroupTable,
    comp: Compiled,
    visible: list[int],
    minimum: int,
    *,
    budget: int,
    hide_first: HideFirst,
) -> dict[int, str | None]:
    """Complementary suppressions per block: ``{cell: place the protected group is in}``."""
    out: dict[int, str | None] = {}
    tree = table.tree
    for b, cids in cells_by_block(comp, visible).items():
        cost = {cid: _cost(table, comp, cid, hide_first) for cid in cids}
        problem = block_problem(table, comp, comp.blocks[b], cids, cost)
        if problem is None:
            continue
        try:
            done = BlockSolver(problem, minimum, budget=budget).run()
        except TooComplexError:
            full = len(comp.blocks[b])
            for cid in cids:
                key = table.keys[cid]
                whole = tree.parent(key.unit) is None and len(comp.cell_box[cid]) == full
                if not whole:
                    out[cid] = None
            continue
        for s in done:
            # Name the unit whose figures would have given the group away, not the group
            # itself: naming it would tell that it is not empty.
            out[s.cell] = tree.name(s.within)
    return out
