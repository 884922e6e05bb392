"""The exact differencing check over a unit tree: which small groups can be worked out.

Model
-----
Respondents fall into *micro-cells*: (unit they are attached to directly, attribute
combination ``a``), where ``a`` runs over the ``d`` combinations of one *block* (for
example the four role groups of one wave). A published cell "unit ``w``, attribute box
``f``" is the sum over every micro-cell below ``w`` whose combination lies in ``f``:
its indicator vector is ``1_subtree(w) ⊗ 1_f``. Every additive figure of a group (count,
sum, sum of squares, category counts, hence means, standard deviations, shares, NPS,
response rates) is the same linear function of the micro-cells, so a viewer can work out
a figure of a group ``X`` exactly when the indicator of ``X`` lies in the row space of the
visible cells' indicators. Micro-cells that are empty, or hold one known person (360°
self and manager), are treated as known to the viewer: they are free coordinates.

A *disclosure* is a set ``X`` of micro-cells, ``0 < n(X) < minimum``, that the viewer can
work out. Write ``x~_v`` for the value at unit ``v`` of a vector in the row space; then
``x~_v - x~_parent(v) =: g_v`` must lie in ``F_v``, the span of the visible boxes at
``v`` (because ``1_subtree(w)``, over all ``w``, is a basis of the unit space, the row
space is the direct sum of ``1_subtree(w) ⊗ F_w``). So ``X`` is derivable iff there are
``x~_v`` with ``x~_v = 1_X`` on the real micro-cells of ``v``, ``x~_v - x~_parent(v) ∈
F_v`` and ``x~_parent(root) = 0``.

This is a tree-structured linear feasibility problem with ``d``-dimensional messages.
Bottom-up, for each unit ``v`` we compute

* ``A0_v``: the parent values compatible with "nothing in this subtree", a subspace:
  ``A0_v = F_v + B0_v`` with ``B0_v = Z_v ∩ ⋂_children A0_c`` (``Z_v`` = vectors that are
  0 on the real micro-cells of ``v``);
* the *patterns* of the subtree: for every coset ``q + A0_v`` of parent values that some
  non-empty small group ``X`` inside the subtree needs, the smallest such ``X``.

A pattern whose coset is ``A0_v`` itself (contains 0) is a disclosure: with everything
outside the subtree at zero, ``X`` follows from the cells inside it. Because validity
depends only on cosets and counts only add, keeping the smallest group per coset loses
no disclosure. Every disclosure shows up at the latest at its root, where the parent
value is 0.

The greedy choice of what to hide is in :mod:`spiegel.privacy.suppression`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

from spiegel.privacy import subspace as ss
from spiegel.privacy.subspace import Affine, Subspace, Vec

MicroCell = tuple[str, int]  # (unit, local coordinate)
Group = frozenset[MicroCell]


class TooComplexError(RuntimeError):
    """The pattern search at one unit exceeded its budget."""


@dataclass
class BlockProblem:
    """One block: the unit tree restricted to units with respondents in the block.

    Attributes
    ----------
    d
        Number of attribute combinations (coordinates) in the block.
    postorder
        Units, children before parents.
    parent, children
        The tree restricted to these units.
    real
        Per unit, ``{coordinate: respondents}`` for micro-cells with respondents that are
        not known persons.
    visible
        Per unit, ``{cell id: box vector}`` of the cells currently visible there.
    cost
        Per cell id, the sort key for choosing what to hide (smallest first).
    """

    d: int
    postorder: list[str]
    parent: dict[str, str | None]
    children: dict[str, list[str]]
    real: dict[str, dict[int, int]]
    visible: dict[str, dict[int, Vec]]
    cost: Mapping[int, tuple[object, ...]]
    cell_unit: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit, cells in self.visible.items():
            for cid in cells:
                self.cell_unit[cid] = unit


class DisclosureSearch:
    """Finds the disclosures of one block and checks single groups exactly (see the module
    docstring); :class:`~spiegel.privacy.suppression.BlockSolver` adds the hiding."""

    def __init__(self, problem: BlockProblem, minimum: int, *, budget: int = 50_000) -> None:
        self.p = problem
        self.m = minimum
        self.budget = budget
        d = problem.d
        self.zero: Vec = ss.zeros(d)
        everything = frozenset(range(d))
        self.Z: dict[str, Subspace] = {
            v: ss.coordinates(d, everything - frozenset(problem.real.get(v, {})))
            for v in problem.postorder
        }
        self.F: dict[str, Subspace] = {v: self._span_visible(v) for v in problem.postorder}
        self.rank = {v: i for i, v in enumerate(problem.postorder)}
        self._own: dict[str, dict[Vec, tuple[int, Group]]] = {}
        self._joined: dict[
            str, tuple[tuple[tuple[str, int], ...], dict[Vec, tuple[int, Group]], Subspace]
        ] = {}
        self.version: dict[str, int] = {}  # bumped on every recomputation of a unit
        self.epoch: dict[str, int] = {}
        self._rest_cache: dict[tuple[str, frozenset[str]], tuple[int, Subspace]] = {}
        self.B0: dict[str, Subspace] = {}
        self.A0: dict[str, Subspace] = {}
        self.patterns: dict[str, dict[Vec, tuple[int, Group]]] = {}

    def _span_visible(self, v: str, without: frozenset[int] = frozenset()) -> Subspace:
        boxes = tuple(b for cid, b in self.p.visible.get(v, {}).items() if cid not in without)
        return ss.span(self.p.d, boxes)

    def _merge(self, table: dict[Vec, tuple[int, Group]], key: Vec, n: int, x: Group) -> None:
        old = table.get(key)
        if old is None or n < old[0]:
            table[key] = (n, x)

    # ----------------------------------------------------------------- bottom-up pass
    def _own_states(self, v: str) -> dict[Vec, tuple[int, Group]]:
        """Small groups of ``v``'s own micro-cells, keyed by their value at ``v``."""
        got = self._own.get(v)
        if got is not None:
            return got
        m, d = self.m, self.p.d
        states: dict[Vec, tuple[int, Group]] = {}
        small = sorted((c, n) for c, n in self.p.real.get(v, {}).items() if n < m)
        for k in range(len(small) + 1):
            for combo in combinations(small, k):
                n = sum(c[1] for c in combo)
                if n >= m:
                    continue
                chosen = {c[0] for c in combo}
                u = tuple(1 if i in chosen else 0 for i in range(d))
                group: Group = frozenset((v, c[0]) for c in combo)
                self._merge(states, ss.reduce(u, self.Z[v]), n, group)
        self._own[v] = states
        return states

    def _join(self, v: str, kids: list[str]) -> tuple[dict[Vec, tuple[int, Group]], Subspace]:
        """Combine ``v``'s own small groups with its children's patterns.

        Returns the states (value at ``v`` modulo ``B0_v`` -> smallest group) and ``B0_v``.
        """
        m = self.m
        D = self.Z[v]
        states = dict(self._own_states(v))
        for c in kids:
            a0c, pats = self.A0[c], self.patterns[c]
            if a0c.is_full and not pats:
                continue
            D2 = ss.meet(D, a0c)
            # u0 + D meets q + A0c exactly when u0 and q lie in one coset of D + A0c:
            # a hash join on that coset instead of trying every pair.
            joint = ss.plus(D, a0c)
            by_coset: dict[Vec, list[tuple[Vec, int, Group]]] = {}
            for q, (nq, gq) in pats.items():
                by_coset.setdefault(ss.reduce(q, joint), []).append((q, nq, gq))
            for bucket in by_coset.values():
                bucket.sort(key=lambda t: t[1])
            new: dict[Vec, tuple[int, Group]] = {}
            for u0, (n, group) in states.items():
                key = ss.reduce(u0, joint)
                if ss.is_zero(key):
                    point = ss.transfer(u0, self.zero, D, a0c)
                    if point is not None:
                        self._merge(new, point, n, group)
                for q, nq, gq in by_coset.get(key, ()):
                    if n + nq >= m:
                        break
                    point = ss.transfer(u0, q, D, a0c)
                    if point is not None:
                        self._merge(new, point, n + nq, group | gq)
                if len(new) > self.budget:
                    raise TooComplexError(v)
            states, D = new, D2
        return states, D

    def _compute(self, v: str) -> list[tuple[int, Group]]:
        """Set ``B0``, ``A0`` and the patterns of ``v``; return its disclosures."""
        kids = sorted(
            self.p.children.get(v, []),
            key=lambda c: (bool(self.patterns[c]), self.A0[c].dim, c),
        )
        stamp = tuple((c, self.version[c]) for c in kids)
        cached = self._joined.get(v)
        if cached is not None and cached[0] == stamp:
            states, D = cached[1], cached[2]
        else:
            states, D = self._join(v, kids)
            self._joined[v] = (stamp, states, D)
        self.B0[v] = D
        a0 = ss.plus(self.F[v], D)
        up = self.p.parent[v]
        if up is not None and self.A0.get(v) is not a0:
            self.epoch[up] = self.epoch.get(up, 0) + 1
        self.A0[v] = a0
        pats_v: dict[Vec, tuple[int, Group]] = {}
        found = []
        for u, (n, group) in states.items():
            if n == 0:
                continue
            rep = ss.reduce(u, a0)
            if ss.is_zero(rep):
                found.append((n, group))
            else:
                self._merge(pats_v, rep, n, group)
        self.patterns[v] = pats_v
        self.version[v] = self.version.get(v, 0) + 1
        return found

    def disclosures(self) -> list[tuple[str, int, Group]]:
        """Every disclosure the bottom-up pass finds with the cells visible as they are.

        One ``(unit it is found at, respondents, group)`` per coset and unit; the list is
        empty exactly when no group below the minimum can be worked out in the block.
        Hides nothing.
        """
        return [(v, n, g) for v in self.p.postorder for n, g in self._compute(v)]

    # ----------------------------------------------------------------- exact check of one group
    def _x_point(self, v: str, xs: Mapping[str, frozenset[int]]) -> Vec:
        coords = xs.get(v, frozenset())
        return tuple(1 if i in coords else 0 for i in range(self.p.d))

    def _feasible_sets(
        self,
        top: str,
        xs: Mapping[str, frozenset[int]],
        override: Mapping[str, Subspace] | None = None,
    ) -> tuple[dict[str, Affine], dict[str, Affine]] | None:
        """Affine sets ``K`` (own value) and ``C`` (parent value) for units that matter.

        Units neither above a micro-cell of the group nor above the overridden unit have
        ``C = A0`` and are not listed. ``None`` when the group cannot be built at all.
        """
        parent = self.p.parent
        marked: set[str] = set()
        override = override or {}
        starts = list(xs) + list(override)
        for s in starts:
            cur: str | None = s
            while cur is not None and cur not in marked:
                marked.add(cur)
                if cur == top:
                    break
                cur = parent[cur]
        K: dict[str, Affine] = {}
        C: dict[str, Affine] = {}
        order = sorted(marked, key=self.rank.__getitem__)
        for u in order:
            inside = frozenset(c for c in self.p.children.get(u, []) if c in marked)
            k = ss.affine_meet(
                ss.affine(self._x_point(u, xs), self.Z[u]), Affine(self.zero, self._rest(u, inside))
            )
            for c in inside:
                k = ss.affine_meet(k, C[c]) if k is not None else None
            if k is None:
                return None
            f = override.get(u, self.F[u])
            K[u] = k
            C[u] = ss.affine(k.point, ss.plus(k.direction, f))
        return K, C

    def _rest(self, u: str, inside: frozenset[str]) -> Subspace:
        """``A0`` of every child of ``u`` not in ``inside``, met (cached)."""
        key = (u, inside)
        epoch = self.epoch.get(u, 0)
        got = self._rest_cache.get(key)
        if got is not None and got[0] == epoch:
            return got[1]
        space = ss.full(self.p.d)
        for c in self.p.children.get(u, []):
            if c not in inside:
                space = ss.meet(space, self.A0[c])
        self._rest_cache[key] = (epoch, space)
        return space

    def derivable(
        self, top: str, group: Group, override: Mapping[str, Subspace] | None = None
    ) -> bool:
        """True when ``group`` (inside ``top``'s subtree) follows from visible cells there."""
        xs = _by_unit(group)
        sets = self._feasible_sets(top, xs, override)
        if sets is None:
            return False
        return ss.affine_contains(sets[1][top], self.zero)

    def _derivation_units(self, top: str, group: Group) -> list[str]:
        """Units whose visible cells one derivation of ``group`` uses (``g_v != 0``)."""
        xs = _by_unit(group)
        sets = self._feasible_sets(top, xs)
        if sets is None:
            return []
        K, _ = sets
        start = ss.affine_meet(K[top], Affine(self.zero, self.F[top]))
        if start is None:
            return []
        used = [top] if not ss.is_zero(start.point) else []
        stack = [(top, start.point)]
        while stack:
            node, u = stack.pop()
            for c in self.p.children.get(node, []):
                if c in K:
                    if ss.affine_contains(K[c], u):
                        stack.append((c, u))
                        continue
                    hit = ss.affine_meet(K[c], ss.affine(u, self.F[c]))
                    if hit is None:
                        continue
                    used.append(c)
                    stack.append((c, hit.point))
                    continue
                if ss.is_zero(u):
                    continue
                if ss.contains(self.F[c], u):
                    used.append(c)
                    continue
                if ss.contains(self.B0[c], u):
                    stack.append((c, u))
                    continue
                hit = ss.affine_meet(Affine(self.zero, self.B0[c]), ss.affine(u, self.F[c]))
                if hit is None:
                    continue
                used.append(c)
                stack.append((c, hit.point))
        return used


def _by_unit(group: Group) -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = {}
    for unit, coord in group:
        out.setdefault(unit, set()).add(coord)
    return {u: frozenset(c) for u, c in out.items()}
