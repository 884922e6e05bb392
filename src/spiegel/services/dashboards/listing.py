"""Long tables made short: filter (region, unit type, name), sort by a column, and page.

Every rule runs on the server from the query string, so a page works without JavaScript
and a link can be shared. The rows a page offers are already cut to the viewer's scope;
the filter options (regions, unit types) are taken from those rows only, so an option
never names a unit outside the scope.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar
from urllib.parse import urlencode

from spiegel.services.dashboards.data import DashboardData, OutOfScope, UnitNotFound
from spiegel.services.dashboards.views import View

PER_PAGE = 25
ALL = 0  # ``?page=all``: every row on one page (for printing)

Row = TypeVar("Row")
SortKey = Callable[[Row], "float | str | None"]


class BadQuery(ValueError):
    """A query parameter that cannot be used: which one, and what would do."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked for (all optional; hashable, so pages cache per query)."""

    region: int | None = None
    unit_type: str | None = None
    q: str | None = None
    sort: str | None = None
    desc: bool = False
    page: int = 1
    unit: int | None = None  # a page's "details of one unit" (the mirror)

    @property
    def filtered(self) -> bool:
        return self.region is not None or bool(self.unit_type) or bool(self.q)

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ListQuery:
        """From query parameters (empty values, as a form sends them, mean "not set")."""

        def given(name: str) -> str | None:
            value = (params.get(name) or "").strip()
            return value or None

        def number(name: str) -> int | None:
            value = given(name)
            if value is None:
                return None
            if not value.isdigit():
                raise BadQuery(name, "a unit number")
            return int(value)

        page_text = given("page")
        if page_text is None:
            page = 1
        elif page_text == "all":
            page = ALL
        elif page_text.isdigit() and int(page_text) >= 1:
            page = int(page_text)
        else:
            raise BadQuery("page", "a page number from 1, or “all”")
        direction = given("dir")
        if direction not in (None, "asc", "desc"):
            raise BadQuery("dir", "“asc” or “desc”")
        q = given("q")
        if q is not None and len(q) > 100:
            raise BadQuery("q", "at most 100 characters")
        return cls(
            region=number("region"),
            unit_type=given("type"),
            q=q,
            sort=given("sort"),
            desc=direction == "desc",
            page=page,
            unit=number("unit"),
        )


class Option(View):
    value: str
    title: str
    selected: bool


class Listing(View):
    """The state of one long table: its filter, sort and page, and the options offered."""

    path: str
    region: int | None
    unit_type: str | None
    q: str
    sort: str
    desc: bool
    page: int  # 0: all rows
    pages: int
    total: int  # rows that pass the filter
    available: int  # rows before the filter
    first: int  # 1-based number of the first row shown (0 when none)
    last: int
    regions: list[Option]
    unit_types: list[Option]
    sorts: list[str]
    keep: dict[str, str] = {}  # other parameters of the page (wave, columns shown)

    @property
    def filtered(self) -> bool:
        return self.region is not None or bool(self.unit_type) or bool(self.q)

    def url(self, **changes: object) -> str:
        """This page's address with ``changes`` (a filter or sort change goes to page 1)."""
        state: dict[str, object] = {
            **self.keep,
            "region": self.region,
            "type": self.unit_type,
            "q": self.q,
            "sort": self.sort,
            "dir": "desc" if self.desc else "asc",
            "page": "all" if self.page == ALL else self.page,
        }
        if "page" not in changes:
            state["page"] = 1
        state.update(changes)
        if state.get("page") == 1:
            state.pop("page")
        pairs = [(k, str(v)) for k, v in state.items() if v not in (None, "")]
        return f"{self.path}?{urlencode(pairs)}" if pairs else self.path

    def sort_url(self, key: str) -> str:
        """Sort by ``key``; the same key again turns the order round."""
        if key == self.sort:
            return self.url(sort=key, dir="asc" if self.desc else "desc")
        return self.url(sort=key, dir="asc")

    def aria_sort(self, key: str) -> str | None:
        if key != self.sort:
            return None
        return "descending" if self.desc else "ascending"


def region_of(data: DashboardData, unit: int) -> int | None:
    """The region ``unit`` lies in (itself when it is one)."""
    node: int | None = unit
    while node is not None:
        info = data.units.get(node)
        if info is None:
            return None
        if info.kind == "region":
            return node
        node = info.parent_id
    return None


def type_title(unit_type: str) -> str:
    """A unit type as a person reads it (the types are words in the organisation's
    language, written in lower case)."""
    return unit_type.replace("_", " ").capitalize()


def listing(
    data: DashboardData,
    rows: Sequence[Row],
    unit_of: Callable[[Row], int],
    query: ListQuery,
    *,
    path: str,
    seen: frozenset[int],
    sorts: Mapping[str, SortKey[Row]],
    default: tuple[str, bool],
    keep: Mapping[str, str] | None = None,
    per_page: int = PER_PAGE,
    options: Sequence[int] | None = None,
) -> tuple[list[Row], Listing]:
    """``rows`` filtered, sorted and cut to the page the query asks for, with the state
    a page needs to draw its form, column headers and page links.

    ``sorts`` maps each sortable column to its key (``None`` values go last whichever
    way round); ``default`` is the column and direction used when none is asked for.
    The regions and unit types offered come from the units of ``rows``, or of
    ``options`` when given (units in scope). A region outside the viewer's scope is
    refused as the unit would be."""
    if query.sort is not None and query.sort not in sorts:
        raise BadQuery("sort", "one of " + ", ".join(sorts))
    if query.region is not None:
        if query.region not in data.units or data.units[query.region].kind != "region":
            raise UnitNotFound(query.region)
        if query.region not in seen:
            raise OutOfScope(query.region)
    units = [unit_of(r) for r in rows]
    offered = units if options is None else options
    regions_present = {region_of(data, u) for u in offered} - {None}
    types_present = {t for u in offered if (t := data.units[u].unit_type)}
    if query.unit_type is not None and query.unit_type not in types_present:
        raise BadQuery("type", "one of " + ", ".join(sorted(types_present)))
    needle = (query.q or "").casefold()
    chosen = [
        r
        for r, u in zip(rows, units, strict=True)
        if (query.region is None or region_of(data, u) == query.region)
        and (query.unit_type is None or data.units[u].unit_type == query.unit_type)
        and (
            not needle
            or needle in data.units[u].name.casefold()
            or needle in data.units[u].code.casefold()
        )
    ]
    sort, desc = (query.sort, query.desc) if query.sort is not None else default
    chosen = sort_rows(chosen, sorts[sort], desc)
    total = len(chosen)
    pages = max(1, math.ceil(total / per_page))
    page = min(query.page, pages)
    shown = chosen if page == ALL else chosen[(page - 1) * per_page : page * per_page]
    first = 0 if not shown else (1 if page == ALL else (page - 1) * per_page + 1)
    regions = sorted(
        (r for r in regions_present if r in seen), key=lambda r: data.units[r].name.casefold()
    )
    state = Listing(
        path=path,
        region=query.region,
        unit_type=query.unit_type,
        q=query.q or "",
        sort=sort,
        desc=desc,
        page=page,
        pages=pages,
        total=total,
        available=len(rows),
        first=first,
        last=first + len(shown) - 1 if shown else 0,
        regions=[
            Option(value=str(r), title=data.units[r].name, selected=r == query.region)
            for r in regions
        ]
        if len(regions) > 1 or query.region is not None
        else [],
        unit_types=[
            Option(value=t, title=type_title(t), selected=t == query.unit_type)
            for t in sorted(types_present)
        ]
        if len(types_present) > 1 or query.unit_type is not None
        else [],
        sorts=list(sorts),
        keep=dict(keep or {}),
    )
    return shown, state


def sort_rows(rows: list[Row], key: SortKey[Row], desc: bool) -> list[Row]:
    """``rows`` by ``key`` (stable; rows without a value last, whichever the direction)."""
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]

    def value(r: Row) -> float | str:
        v = key(r)
        assert v is not None
        return v.casefold() if isinstance(v, str) else v

    return sorted(present, key=value, reverse=desc) + missing


def without_page(query: ListQuery) -> ListQuery:
    """The same query on its first page (for a block that shows every row)."""
    return replace(query, page=1)
