"""The tables that enter and leave the privacy gate.

A :class:`GroupTable` holds every figure any viewer could be shown for a set of groups,
plus the respondent counts that define the groups. :func:`spiegel.privacy.protect` turns
it into a :class:`ProtectedTable`, the only type renderers accept. In a protected table a
hidden cell is a :class:`HiddenCell`: it holds its key and the reason, and no number at
all about the group, not even in a private attribute.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import pandas as pd

from spiegel.privacy.reasons import ReasonCode, reason_text
from spiegel.privacy.settings import TableKind
from spiegel.privacy.tree import UnitTree

#: Column names with a fixed meaning in the input frames.
UNIT, WAVE, N = "unit", "wave", "n"


@dataclass(frozen=True, order=True)
class CellKey:
    """Which group a cell describes.

    ``unit`` means the unit and everything below it; ``wave`` ``None`` means all waves
    pooled; ``split`` holds the attribute filters as sorted ``(attribute, value)`` pairs
    (empty: everyone in the unit).
    """

    unit: str
    wave: str | None = None
    split: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "split", tuple(sorted(self.split)))

    def label(self, tree: UnitTree | None = None) -> str:
        """A short human-readable label, e.g. ``Team B · role_group=front · 2026-Q1``."""
        parts = [tree.name(self.unit) if tree is not None else self.unit]
        parts += [f"{a}={v}" for a, v in self.split]
        parts.append(self.wave if self.wave is not None else "all waves")
        return " · ".join(parts)


def _is_all(value: object) -> bool:
    """True for an empty key value: ``None``, NaN or ``pd.NA`` (meaning "all")."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


@dataclass(frozen=True)
class GroupTable:
    """Candidate figures for groups, before protection.

    Parameters
    ----------
    tree
        The unit tree.
    microcells
        Respondent counts in the finest partition: one row per (unit the respondents are
        attached to directly, wave, value of each attribute) with columns ``unit``,
        ``wave``, the attributes, and ``n``. Attributes that no figure splits by are
        summed away by the gate.
    figures
        One row per group a viewer could be shown: columns ``unit``, ``wave`` (empty for
        all waves pooled), one column per split attribute holding the value the group is
        filtered on (empty for "all"), and any number of figure columns (means, standard
        deviations, distribution counts, response rates, ...). Every figure must be
        computed over exactly the respondents the microcells count for that group. A
        column ``n`` is optional and, when present, must equal the count from
        ``microcells``.
    split_attributes
        The attribute columns of ``figures``.
    kind
        ``"scores"`` (minimum ``min_scores``), ``"rater360"`` (minimum ``min_360_group``;
        the rater attribute is a split attribute; self and manager exempt) or
        ``"comments"`` (minimum ``min_comments``).
    """

    tree: UnitTree
    microcells: pd.DataFrame
    figures: pd.DataFrame
    split_attributes: tuple[str, ...] = ()
    kind: TableKind = "scores"
    _keys: tuple[CellKey, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.tree, UnitTree):
            raise ValueError("GroupTable.tree must be a UnitTree")
        for what, frame in (("microcells", self.microcells), ("figures", self.figures)):
            if not isinstance(frame, pd.DataFrame):
                raise ValueError(f"GroupTable.{what} must be a pandas DataFrame")
        attrs = tuple(self.split_attributes)
        object.__setattr__(self, "split_attributes", attrs)
        if self.kind not in ("scores", "rater360", "comments"):
            raise ValueError(f"GroupTable.kind must be scores, rater360 or comments: {self.kind!r}")
        for col in (UNIT, WAVE, *attrs):
            if col not in self.figures.columns:
                raise ValueError(f"GroupTable.figures has no column {col!r}")
            if col not in self.microcells.columns:
                raise ValueError(f"GroupTable.microcells has no column {col!r}")
        if N not in self.microcells.columns:
            raise ValueError("GroupTable.microcells has no column 'n' (respondent count)")
        bad = [
            i
            for i, n in enumerate(self.microcells[N].tolist())
            if isinstance(n, bool) or not isinstance(n, int | float) or not n >= 0 or n % 1
        ]
        if bad:
            raise ValueError(
                f"GroupTable.microcells: column 'n' must hold whole numbers >= 0; rows "
                f"{bad[:5]} (by position) do not"
            )
        units = set(self.tree.units)
        for what, frame in (("microcells", self.microcells), ("figures", self.figures)):
            unknown = sorted({str(u) for u in frame[UNIT].tolist()} - units)
            if unknown:
                raise ValueError(f"GroupTable.{what}: units {unknown[:5]!r} are not in the tree")
        for col in (WAVE, *attrs):
            if any(_is_all(v) for v in self.microcells[col].tolist()):
                raise ValueError(
                    f"GroupTable.microcells: column {col!r} may not be empty (a microcell "
                    "is one wave and one value of each attribute)"
                )
        keys = []
        cols = [self.figures[c].tolist() for c in (UNIT, WAVE, *attrs)]
        for row in zip(*cols, strict=True):
            unit, wave, *values = row
            split = tuple((a, str(v)) for a, v in zip(attrs, values, strict=True) if not _is_all(v))
            keys.append(CellKey(str(unit), None if _is_all(wave) else str(wave), split))
        if len(set(keys)) != len(keys):
            seen: set[CellKey] = set()
            for k in keys:
                if k in seen:
                    raise ValueError(
                        f"GroupTable.figures: group {k.label()} appears more than once"
                    )
                seen.add(k)
        object.__setattr__(self, "_keys", tuple(keys))

    @property
    def keys(self) -> tuple[CellKey, ...]:
        """The key of each row of ``figures``, in order."""
        return self._keys

    @property
    def figure_columns(self) -> tuple[str, ...]:
        """The figure columns of ``figures`` (everything but the keys)."""
        skip = {UNIT, WAVE, *self.split_attributes}
        return tuple(c for c in self.figures.columns if c not in skip)


@dataclass(frozen=True)
class VisibleCell:
    """A group that may be shown, with its respondent count and figures."""

    key: CellKey
    n: int
    figures: Mapping[str, object]
    known_persons_only: bool = False
    visible: Literal[True] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))


@dataclass(frozen=True)
class HiddenCell:
    """A group that must not be shown. It carries no figure and no count."""

    key: CellKey
    reason_code: ReasonCode
    minimum: int
    kind: TableKind
    place: str | None = None
    visible: Literal[False] = False

    def reason(self, lang: Literal["en", "nl"] = "en") -> str:
        """Plain-language reason, in English (``en``) or Dutch (``nl``)."""
        return reason_text(self.reason_code, self.minimum, self.kind, self.place, lang)


Cell = VisibleCell | HiddenCell


@dataclass(frozen=True)
class ProtectionSummary:
    """What the gate did to one table."""

    kind: TableKind
    minimum: int
    n_cells: int
    n_visible: int
    n_primary: int
    n_complementary: int
    n_consistency: int
    seconds: float

    @property
    def n_hidden(self) -> int:
        """All hidden cells."""
        return self.n_primary + self.n_complementary + self.n_consistency


@dataclass(frozen=True)
class ViewerScope:
    """The units a viewer may see (``None``: every unit, as for an analyst)."""

    units: frozenset[str] | None = None

    @classmethod
    def everything(cls) -> ViewerScope:
        """An analyst's scope: all units."""
        return cls(None)

    @classmethod
    def below(cls, tree: UnitTree, *units: str, with_ancestors: bool = False) -> ViewerScope:
        """A manager's scope: the subtrees of ``units`` (plus the units above, if asked)."""
        out: set[str] = set()
        for u in units:
            if u not in tree:
                raise ValueError(f"viewer scope: unit {u!r} is not in the tree")
            out |= tree.subtree(u)
            if with_ancestors:
                out |= set(tree.ancestors(u))
        return cls(frozenset(out))

    def allows(self, key: CellKey) -> bool:
        """True when a cell about ``key`` lies within the scope."""
        return self.units is None or key.unit in self.units


_GATE_TOKEN = object()  # only spiegel.privacy.gate holds this; see ProtectedTable.


class ProtectedTable:
    """Cells after the privacy gate: the only table renderers may show.

    Instances are made by :func:`spiegel.privacy.protect` alone; constructing one anywhere
    else raises ``TypeError``. Protection was computed over every cell of the input
    table together, so any viewer's subset (:meth:`for_viewer`), and the union of what
    several viewers see, is protected.
    """

    __slots__ = ("_by_key", "_cells", "_summary", "_tree")

    def __init__(
        self,
        cells: Iterable[Cell],
        summary: ProtectionSummary,
        tree: UnitTree,
        *,
        _token: object = None,
    ) -> None:
        if _token is not _GATE_TOKEN:
            raise TypeError("a ProtectedTable is made only by spiegel.privacy.protect()")
        self._cells: tuple[Cell, ...] = tuple(cells)
        self._by_key: dict[CellKey, Cell] = {c.key: c for c in self._cells}
        self._tree = tree
        self._summary = summary  # set last: __setattr__ refuses changes once it exists

    def __iter__(self) -> Iterator[Cell]:
        return iter(self._cells)

    def __len__(self) -> int:
        return len(self._cells)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __getitem__(self, key: CellKey) -> Cell:
        return self._by_key[key]

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_summary"):
            raise AttributeError("a ProtectedTable is read-only")
        object.__setattr__(self, name, value)

    @property
    def cells(self) -> tuple[Cell, ...]:
        """All cells, visible and hidden, in the input order."""
        return self._cells

    @property
    def summary(self) -> ProtectionSummary:
        """Counts of visible, primary and complementary hidden cells."""
        return self._summary

    @property
    def tree(self) -> UnitTree:
        """The unit tree the cells refer to."""
        return self._tree

    def visible(self) -> tuple[VisibleCell, ...]:
        """The cells that may be shown."""
        return tuple(c for c in self._cells if isinstance(c, VisibleCell))

    def hidden(self) -> tuple[HiddenCell, ...]:
        """The cells that must not be shown."""
        return tuple(c for c in self._cells if isinstance(c, HiddenCell))

    def for_viewer(self, scope: ViewerScope) -> ProtectedTable:
        """The cells within ``scope``; protection is unchanged (it was computed for all)."""
        kept = [c for c in self._cells if scope.allows(c.key)]
        return ProtectedTable(kept, self._summary, self._tree, _token=_GATE_TOKEN)

    def to_frame(self, lang: Literal["en", "nl"] = "en") -> pd.DataFrame:
        """One row per cell: keys, ``visible``, ``n``, figures (empty when hidden), reason."""
        attrs = sorted({a for c in self._cells for a, _ in c.key.split})
        figure_cols: list[str] = []
        for c in self._cells:
            if isinstance(c, VisibleCell):
                figure_cols += [k for k in c.figures if k not in figure_cols]
        rows = []
        for c in self._cells:
            split = dict(c.key.split)
            row: dict[str, object] = {UNIT: c.key.unit, WAVE: c.key.wave}
            row.update({a: split.get(a) for a in attrs})
            row["visible"] = c.visible
            if isinstance(c, VisibleCell):
                row[N] = c.n
                row.update({k: c.figures.get(k, math.nan) for k in figure_cols})
                row["reason_code"] = None
                row["reason"] = None
            else:
                row[N] = math.nan
                row.update({k: math.nan for k in figure_cols})
                row["reason_code"] = c.reason_code.value
                row["reason"] = c.reason(lang)
            rows.append(row)
        columns = [UNIT, WAVE, *attrs, "visible", N, *figure_cols, "reason_code", "reason"]
        return pd.DataFrame(rows, columns=columns)
