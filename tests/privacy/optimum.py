"""The least weighted information loss a complementary suppression can have: a yardstick.

The gate chooses what to hide greedily. This module computes an exact optimum to compare
it with (``bench/privacy_gate.py`` reports the gap; ``test_optimum.py`` checks the
optimiser on trees small enough to solve by hand). Over the cells that pass the minimum,

.. math::

    \\min \\sum_c w_c h_c \\quad (h_c \\in \\{0, 1\\},\\ 1 = \\text{hide } c)
    \\quad\\text{such that no } X,\\ 0 < n(X) < m,\\ \\text{has }
    \\mathbf 1_X \\in \\operatorname{rowspace}\\{\\mathbf 1_c : h_c = 0\\}.

The condition is not linear, but it is monotone: hiding more never makes a group
derivable. So it is imposed by cutting planes. Solve the integer program with the cuts
found so far (``scipy.optimize.milp``, i.e. HiGHS, with a relative gap of 0); find every
disclosure its solution leaves with the gate's exact search
(:meth:`~spiegel.privacy.disclosure.DisclosureSearch.disclosures`); for each, take a
derivation ``1_X = Σ λ_c 1_c`` over the visible cells, reduce it to a minimal support
``S`` (checked in exact rational arithmetic) and add the cut ``Σ_{c ∈ S} h_c ≥ 1``. The
cut is valid, since any hiding that leaves all of ``S`` visible leaves ``X`` derivable,
and it is violated by the current solution, so every round adds one and the loop ends.
When the search finds nothing, the solution is feasible and optimal for a relaxation of
the problem, hence optimal.

Blocks (waves, unless a cell pools waves) are independent, so each is solved on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix, hstack

from spiegel.privacy import CellKey, GroupTable, PrivacySettings, ReasonCode, protect
from spiegel.privacy.disclosure import DisclosureSearch, Group
from spiegel.privacy.structure import Compiled, block_problem, cells_by_block, compile_table

Weight = Callable[[CellKey], float]


@dataclass(frozen=True)
class Optimum:
    """An optimal complementary suppression.

    ``hidden``: the cells it hides beyond those below the minimum; ``loss``: their total
    weight; ``rounds``: integer programs solved (summed over blocks); ``cuts``: cuts added.
    """

    hidden: frozenset[CellKey]
    loss: float
    rounds: int
    cuts: int
    seconds: float


def optimum(
    table: GroupTable, settings: PrivacySettings, weight: Weight, *, max_rounds: int = 500
) -> Optimum:
    """The complementary suppression of least total ``weight`` that leaves no disclosure.

    The candidates are the cells the gate does not hide as too small (or for
    consistency); ``weight(key)`` must be positive.
    """
    start = time.perf_counter()
    protected = protect(table, settings)
    open_keys = {
        c.key for c in protected.cells if c.visible or c.reason_code is ReasonCode.COMPLEMENTARY
    }
    comp = compile_table(table, settings)
    minimum = settings.minimum(table.kind)
    cells = [cid for cid, key in enumerate(table.keys) if key in open_keys]
    hidden: set[CellKey] = set()
    rounds = cuts = 0
    for b, cids in cells_by_block(comp, cells).items():
        block = _Block(table, comp, comp.blocks[b], cids, minimum, weight)
        hide, r, k = block.solve(max_rounds)
        hidden |= {table.keys[c] for c in hide}
        rounds, cuts = rounds + r, cuts + k
    loss = float(sum(weight(k) for k in hidden))
    return Optimum(frozenset(hidden), loss, rounds, cuts, time.perf_counter() - start)


class _Block:
    """The integer program of one block, with its cuts."""

    def __init__(
        self,
        table: GroupTable,
        comp: Compiled,
        block: np.ndarray,
        cids: list[int],
        minimum: int,
        weight: Weight,
    ) -> None:
        self.table, self.comp, self.block, self.cids, self.minimum = (
            table,
            comp,
            block,
            cids,
            minimum,
        )
        self.w = np.array([float(weight(table.keys[c])) for c in cids])
        if (self.w <= 0).any():
            raise ValueError("optimum(): every weight must be positive")
        # Columns: the micro-cells with respondents that count (the others are known).
        tree = table.tree
        self.column: dict[tuple[str, int], int] = {}
        for u in tree.units:
            for i, g in enumerate(block):
                if comp.direct[u][g] > 0:
                    self.column[(u, i)] = len(self.column)
        local = {int(g): i for i, g in enumerate(block)}
        rows = []
        for cid in cids:
            key = table.keys[cid]
            coords = [local[int(g)] for g in comp.cell_box[cid]]
            below = tree.subtree(key.unit)
            rows.append(
                sorted(self.column[(u, i)] for u in below for i in coords if (u, i) in self.column)
            )
        data = np.ones(sum(len(r) for r in rows))
        indptr = np.cumsum([0] + [len(r) for r in rows])
        indices = np.array([j for r in rows for j in r], dtype=np.int64)
        self.A = csr_matrix((data, indices, indptr), shape=(len(cids), len(self.column)))
        self.rows = rows

    def solve(self, max_rounds: int) -> tuple[list[int], int, int]:
        """Cells to hide (cell ids), rounds, cuts."""
        cuts: list[frozenset[int]] = []
        for rounds in range(1, max_rounds + 1):
            hide = self._milp(cuts)
            visible = [r for r in range(len(self.cids)) if r not in hide]
            found = self._disclosures(visible)
            if not found:
                return sorted(self.cids[r] for r in hide), rounds, len(cuts)
            for top, group in found:
                cut = self._support(visible, top, group)
                if cut not in cuts:
                    cuts.append(cut)
        raise RuntimeError(f"optimum(): no optimum after {max_rounds} rounds")

    def _milp(self, cuts: list[frozenset[int]]) -> set[int]:
        if not cuts:
            return set()
        n = len(self.cids)
        m = np.zeros((len(cuts), n))
        for i, cut in enumerate(cuts):
            m[i, list(cut)] = 1
        res = milp(
            self.w,
            constraints=LinearConstraint(csr_matrix(m), lb=1, ub=np.inf),
            integrality=np.ones(n),
            bounds=Bounds(0, 1),
            options={"mip_rel_gap": 0.0},
        )
        if res.status != 0 or res.x is None:
            raise RuntimeError(f"optimum(): the integer program failed: {res.message}")
        return {r for r in range(n) if res.x[r] > 0.5}

    def _disclosures(self, visible: list[int]) -> list[tuple[str, Group]]:
        """``(unit, group)``: each group can be worked out from the cells in the unit's subtree."""
        cells = [self.cids[r] for r in visible]
        problem = block_problem(self.table, self.comp, self.block, cells, {c: () for c in cells})
        if problem is None:
            return []
        return [(v, g) for v, _, g in DisclosureSearch(problem, self.minimum).disclosures()]

    def _support(self, visible: list[int], top: str, group: Group) -> frozenset[int]:
        """A minimal set of visible cells (within ``top``'s subtree) that yields ``group``."""
        below = self.table.tree.subtree(top)
        rows = [r for r in visible if self.table.keys[self.cids[r]].unit in below]
        sub = self.A[rows]
        cols = np.unique(sub.indices)
        x = np.zeros(len(self.column))
        for mc in group:
            x[self.column[mc]] = 1.0
        if np.setdiff1d(np.flatnonzero(x), cols).size:
            raise RuntimeError("optimum(): the gate reported a group no derivation yields")
        a = sub[:, cols].T.tocsr()
        k = len(rows)
        # A sparse derivation: least sum of |λ| (HiGHS; its simplex ends at a vertex).
        res = linprog(
            np.ones(2 * k),
            A_eq=hstack([a, -a]),
            b_eq=x[cols],
            bounds=(0, None),
            method="highs",
        )
        if res.status != 0:
            raise RuntimeError("optimum(): the gate reported a group no derivation yields")
        lam = res.x[:k] - res.x[k:]
        keep = [rows[i] for i in np.flatnonzero(np.abs(lam) > 1e-9)]
        derivable, independent = self._exact(keep, x)
        if not derivable:
            raise RuntimeError("optimum(): a derivation did not hold in exact arithmetic")
        # A vertex of the LP uses independent cells, and then none can be left out (x would
        # have two expressions in them). Otherwise drop cells while x stays derivable.
        if not independent:
            for r in sorted(keep, key=lambda r: -self.w[r]):
                trial = [s for s in keep if s != r]
                if trial and self._exact(trial, x)[0]:
                    keep = trial
        return frozenset(keep)

    def _exact(self, cells: list[int], x: np.ndarray) -> tuple[bool, bool]:
        """Whether ``x`` is a combination of the cells, and whether they are independent."""
        return _exact_in_rowspace([self.rows[r] for r in cells], x)


def _exact_in_rowspace(rows: list[list[int]], x: np.ndarray) -> tuple[bool, bool]:
    """Whether ``x`` is a rational combination of the 0/1 ``rows`` (given as the columns of
    their ones), and whether the rows are linearly independent."""
    basis: list[tuple[int, dict[int, Fraction]]] = []  # (pivot, row), pivots distinct

    def reduce(v: dict[int, Fraction]) -> dict[int, Fraction]:
        for pivot, row in basis:
            f = v.get(pivot)
            if f:
                for j, a in row.items():
                    v[j] = v.get(j, Fraction(0)) - f * a
                v = {j: a for j, a in v.items() if a}
        return v

    for cols in rows:
        v = reduce({j: Fraction(1) for j in cols})
        if v:
            pivot = min(v)
            scale = v[pivot]
            row = {j: a / scale for j, a in v.items()}
            for i, (p, other) in enumerate(basis):
                f = other.get(pivot)
                if f:
                    merged = dict(other)
                    for j, a in row.items():
                        merged[j] = merged.get(j, Fraction(0)) - f * a
                    basis[i] = (p, {j: a for j, a in merged.items() if a})
            basis.append((pivot, row))
    rest = reduce({int(j): Fraction(1) for j in np.flatnonzero(x)})
    return not rest, len(basis) == len(rows)
