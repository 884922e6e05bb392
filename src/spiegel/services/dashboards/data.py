"""The stored results of a run, indexed for the pages, and who may see what.

The rules of selection, for every page:

* a viewer with a unit scope (manager, member) gets only rows whose unit lies in the scope;
  units outside it are not named, not counted and not linked;
* organisation-wide statistics (response rates, reliability, linkage model, drivers,
  the overall mirror, the absenteeism link, privacy summary) only for viewers who see
  every unit (admin, analyst);
* a member sees a unit of their scope only when its cell of the latest wave is visible;
* a hidden figure is described by its reason code alone for scoped viewers: the reason's
  place may name a unit outside their scope.

The parsed results of a run are cached per (organisation, run id) in :class:`ResultsCache`;
built pages are cached per (page, arguments, language, scope) on the parsed results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import Engine, func, select

from spiegel.results import Cell, MirrorGap, OutdatedResults, Results, UnitInfo, load_results
from spiegel.results.labels import Labels
from spiegel.store.db import session_factory
from spiegel.store.models import AnalysisRun, StaffRole

ORGANISATION_ROLES = frozenset({StaffRole.ADMIN, StaffRole.ANALYST})
Page = TypeVar("Page")


class NoResults(LookupError):
    """The organisation has no stored analysis yet."""


class UnitNotFound(LookupError):
    """No unit with this id in the results."""


class OutOfScope(PermissionError):
    """The viewer may not see this unit or this page."""


class Viewer(Protocol):
    """Who is looking (``spiegel.web.auth.Principal`` is one)."""

    @property
    def role(self) -> StaffRole: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def units(self) -> frozenset[int] | None: ...


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: ``units`` (``None``: every unit), whether organisation-wide
    statistics are shown, and whether hidden cells make a unit invisible (members)."""

    units: frozenset[int] | None
    organisation: bool
    visible_only: bool

    @classmethod
    def of(cls, viewer: Viewer) -> Scope:
        everything = viewer.units is None and viewer.role in ORGANISATION_ROLES
        return cls(
            units=None if everything else frozenset(viewer.units or ()),
            organisation=everything,
            visible_only=viewer.role == StaffRole.MEMBER,
        )


class DashboardData:
    """One run's typed results, indexed for the pages (read-only after construction)."""

    def __init__(self, run_id: int, results: Results, max_pages: int = 512) -> None:
        self.run_id = run_id
        self.results = results
        self.wave = results.wave or (results.waves[-1] if results.waves else "")
        self.units: dict[int, UnitInfo] = {u.id: u for u in results.units}
        self.children: dict[int, list[int]] = {}
        for u in results.units:
            if u.parent_id is not None:
                self.children.setdefault(u.parent_id, []).append(u.id)
        self.roots = [u.id for u in results.units if u.parent_id not in self.units]
        groups = results.scale_groups
        self.scale_meta = {s.name: s for s in results.scales}
        wanted = ["engagement", *groups.engagement, *groups.drivers, *groups.strain]
        self.scales = [s for s in dict.fromkeys(wanted) if s in self.scale_meta]
        self.scores = (
            {w: results.employee.of_wave(w) for w in results.waves} if results.employee else {}
        )
        self.customer = (
            {w: results.customer.of_wave(w) for w in results.waves} if results.customer else {}
        )
        self.mirror_units: dict[int, list[MirrorGap]] = {}
        if results.mirror is not None:
            for gap in results.mirror.units:
                if gap.unit is not None:
                    self.mirror_units.setdefault(gap.unit, []).append(gap)
        self.risk_units = {r.unit: r for r in results.risk.units} if results.risk else {}
        self.ambition = {a.location: a for a in results.ambition}
        self._pages: OrderedDict[Hashable, object] = OrderedDict()
        self._max_pages = max_pages
        self._templates: dict[Hashable, dict[str, object]] = {}
        self._lock = threading.Lock()
        self._labels: dict[str, Labels] = {}

    # -- scope -----------------------------------------------------------------------------
    def visible_units(self, scope: Scope) -> frozenset[int]:
        """The unit ids this scope shows (members: only units visible in the latest wave)."""
        ids = frozenset(self.units) if scope.units is None else scope.units & self.units.keys()
        if scope.visible_only:
            latest = self.scores.get(self.wave, {})
            ids = frozenset(u for u in ids if (c := latest.get(u)) is not None and c.visible)
        return ids

    def subtree(self, unit_id: int) -> list[int]:
        """``unit_id`` and every unit below it, in tree order."""
        out, stack = [], [unit_id]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(reversed(self.children.get(u, [])))
        return out

    def score_cell(self, wave: str, unit_id: int) -> Cell | None:
        return self.scores.get(wave, {}).get(unit_id)

    def customer_cell(self, wave: str, unit_id: int) -> Cell | None:
        return self.customer.get(wave, {}).get(unit_id)

    def labels(self, lang: str) -> Labels:
        """Titles of the run's codes in ``lang`` (scales, items, role groups, figures)."""
        found = self._labels.get(lang)
        if found is None:
            found = self._labels[lang] = Labels(self.results, lang)
        return found

    def scale_title(self, name: str, lang: str) -> str:
        return self.labels(lang).scale(name)

    def item_title(self, item: str, lang: str) -> str:
        return self.labels(lang).item(item)

    # -- chart templates ----------------------------------------------------------------------
    def template(self, key: Hashable) -> dict[str, object] | None:
        """A chart spec built earlier for ``key`` (its data is replaced before use)."""
        return self._templates.get(key)

    def set_template(self, key: Hashable, spec: dict[str, object]) -> None:
        self._templates[key] = spec

    # -- page cache ------------------------------------------------------------------------
    def page(self, key: Hashable, build: Callable[[], Page]) -> Page:
        """The page for ``key``, built once (pages are read-only: callers must not change
        them)."""
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                return found  # type: ignore[return-value]
        page = build()
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        return page


class ResultsCache:
    """Parsed results per (organisation, run id), newest few kept. Thread-safe.

    Each lookup asks the database only for the id of the newest run (one indexed query); a
    new analysis therefore shows on the next request, in every worker. Results stored by
    another version of Spiegel raise :class:`spiegel.results.OutdatedResults`.
    """

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._data: OrderedDict[tuple[int, int], DashboardData] = OrderedDict()
        self._lock = threading.Lock()

    def latest(self, engine: Engine, organisation_id: int) -> DashboardData:
        """The newest run's results for ``organisation_id`` (``NoResults`` if none)."""
        factory = session_factory(engine)
        with factory() as session:
            run_id = session.scalar(
                select(func.max(AnalysisRun.id)).where(
                    AnalysisRun.organisation_id == organisation_id
                )
            )
            if run_id is None:
                raise NoResults(organisation_id)
            key = (organisation_id, int(run_id))
            with self._lock:
                found = self._data.get(key)
                if found is not None:
                    self._data.move_to_end(key)
                    return found
            stored = session.scalar(select(AnalysisRun.results).where(AnalysisRun.id == run_id))
        document: Mapping[str, object] = stored if isinstance(stored, Mapping) else {}
        data = DashboardData(int(run_id), load_results(document))
        with self._lock:
            self._data[key] = data
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return data


__all__ = [
    "ORGANISATION_ROLES",
    "DashboardData",
    "NoResults",
    "OutOfScope",
    "OutdatedResults",
    "ResultsCache",
    "Scope",
    "UnitNotFound",
    "Viewer",
]
