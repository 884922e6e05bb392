"""What every page shares: its header, unit references, cells as shown, charts."""

from __future__ import annotations

from typing import TypedDict

from pydantic import BaseModel, ConfigDict, Field

from spiegel.results import Cell
from spiegel.services.dashboards.data import DashboardData, Scope


class View(BaseModel):
    """Page models are read-only once built (they are cached and shared)."""

    model_config = ConfigDict(frozen=True)


class RunRef(View):
    id: int
    generated_at: str


class ChartRef(View):
    """A chart's Vega-Lite spec and which table of the page holds the same figures."""

    key: str
    spec: dict[str, object]
    table: str


class Page(View):
    """The header every page has. ``charts`` go to the HTML page and its JSON twin, not
    to the API."""

    page: str
    run: RunRef
    wave: str
    waves: list[str]
    organisation_view: bool
    min_scores: int
    charts: list[ChartRef] = Field(default=[], exclude=True)


class UnitRef(View):
    id: int
    code: str
    name: str
    kind: str
    has_children: bool


class ScaleRef(View):
    name: str
    title: str


class CellView(View):
    """A cell as a page shows it: its figures when visible, else only why not.

    ``hidden`` names the figures of a visible cell that are hidden on their own (fewer
    people answered them) with their reason code.
    """

    visible: bool
    n: int | None = None
    values: dict[str, float | None] = {}
    reason_code: str | None = None
    hidden: dict[str, str] = {}
    response_rate: float | None = None


class Header(TypedDict):
    """The fields of :class:`Page`, for ``Page(**header(...), ...)``."""

    page: str
    run: RunRef
    wave: str
    waves: list[str]
    organisation_view: bool
    min_scores: int


def header(data: DashboardData, scope: Scope, page: str, wave: str | None = None) -> Header:
    """The header fields of ``page`` (``wave``: the one shown, default the latest)."""
    r = data.results
    return Header(
        page=page,
        run=RunRef(id=data.run_id, generated_at=r.generated_at),
        wave=wave or data.wave,
        waves=r.waves,
        organisation_view=scope.organisation,
        min_scores=r.privacy.min_scores,
    )


def unit_ref(data: DashboardData, unit_id: int, seen: frozenset[int]) -> UnitRef:
    u = data.units[unit_id]
    return UnitRef(
        id=unit_id,
        code=u.code,
        name=u.name,
        kind=u.kind,
        has_children=any(c in seen for c in data.children.get(unit_id, [])),
    )


def cell_view(cell: Cell | None, names: list[str] | tuple[str, ...]) -> CellView:
    """A cell's figures (none when hidden) and its reason code."""
    if cell is None:
        return CellView(visible=False, reason_code="no_data")
    if cell.hidden is not None:
        return CellView(visible=False, reason_code=cell.hidden.code)
    return CellView(
        visible=True,
        n=cell.n,
        values={k: cell.value(k) for k in names},
        hidden={k: h.code for k, h in cell.hidden_figures.items() if k in names},
    )


def chart(key: str, spec: dict[str, object], table: str) -> ChartRef:
    return ChartRef(key=key, spec=spec, table=table)
