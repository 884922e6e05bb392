"""The unit tree (organisation, region, location, team) as the privacy gate sees it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitTree:
    """A forest of units given by each unit's parent (``None`` for a root).

    A group "unit *u*" means every respondent attached to *u* or to any unit below it.

    Parameters
    ----------
    parents
        ``{unit_id: parent_id or None}`` for every unit.
    names
        Optional display names, used in the plain-language reasons.
    """

    parents: Mapping[str, str | None]
    names: Mapping[str, str] = field(default_factory=dict)
    _children: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _order: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _depth: dict[str, int] = field(init=False, repr=False, compare=False)
    _height: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parents = {str(k): (None if v is None else str(v)) for k, v in self.parents.items()}
        children: dict[str, list[str]] = {u: [] for u in parents}
        for unit, parent in parents.items():
            if parent is None:
                continue
            if parent not in parents:
                raise ValueError(f"unit tree: parent {parent!r} of unit {unit!r} is not a unit")
            children[parent].append(unit)
        roots = sorted(u for u, p in parents.items() if p is None)
        order: list[str] = []
        depth: dict[str, int] = {}
        stack = [(r, 0) for r in reversed(roots)]
        while stack:
            unit, d = stack.pop()
            depth[unit] = d
            order.append(unit)
            stack.extend((c, d + 1) for c in sorted(children[unit], reverse=True))
        if len(order) != len(parents):
            cyc = sorted(set(parents) - set(order))[:5]
            raise ValueError(f"unit tree: units {cyc!r} are part of a cycle (no root above)")
        object.__setattr__(self, "parents", parents)
        object.__setattr__(self, "names", {str(k): str(v) for k, v in self.names.items()})
        object.__setattr__(self, "_children", {u: tuple(sorted(c)) for u, c in children.items()})
        object.__setattr__(self, "_order", tuple(order))
        object.__setattr__(self, "_depth", depth)
        height: dict[str, int] = {}
        for unit in reversed(order):  # children before parents
            height[unit] = 1 + max((height[c] for c in children[unit]), default=-1)
        object.__setattr__(self, "_height", height)

    def __contains__(self, unit: object) -> bool:
        return unit in self.parents

    def __len__(self) -> int:
        return len(self.parents)

    @property
    def units(self) -> tuple[str, ...]:
        """All units, parents before children (pre-order)."""
        return self._order

    @property
    def roots(self) -> tuple[str, ...]:
        """Units without a parent."""
        return tuple(u for u in self._order if self.parents[u] is None)

    def children(self, unit: str) -> tuple[str, ...]:
        """Direct children of ``unit``."""
        return self._children[unit]

    def parent(self, unit: str) -> str | None:
        """Parent of ``unit`` (``None`` for a root)."""
        return self.parents[unit]

    def depth(self, unit: str) -> int:
        """0 for a root, 1 for its children, ..."""
        return self._depth[unit]

    def height(self, unit: str) -> int:
        """0 for a unit without children, 1 for a unit whose children have none, ..."""
        return self._height[unit]

    def ancestors(self, unit: str) -> Iterator[str]:
        """``unit`` itself, then its parent, ... up to the root."""
        cur: str | None = unit
        while cur is not None:
            yield cur
            cur = self.parents[cur]

    def subtree(self, unit: str) -> frozenset[str]:
        """``unit`` and every unit below it."""
        out = []
        stack = [unit]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(self._children[u])
        return frozenset(out)

    def name(self, unit: str) -> str:
        """Display name of ``unit`` (its id when no name was given)."""
        return self.names.get(unit, unit)

    def lowest_common_ancestor(self, units: frozenset[str] | set[str]) -> str | None:
        """The deepest unit above (or equal to) all of ``units``; ``None`` across roots."""
        it = iter(units)
        first = next(it, None)
        if first is None:
            return None
        common = list(self.ancestors(first))[::-1]  # root ... first
        for u in it:
            path = list(self.ancestors(u))[::-1]
            k = 0
            while k < min(len(common), len(path)) and common[k] == path[k]:
                k += 1
            common = common[:k]
            if not common:
                return None
        return common[-1]
