"""The ambition page: current and reachable customer grade per location in scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from spiegel._lazy import lazy_module
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.listing import Listing, ListQuery, SortKey, listing
from spiegel.services.dashboards.rows import AmbitionRow, ambition_rows
from spiegel.services.dashboards.views import Page, chart, header
from spiegel.wording import Estimate, ambition_notes

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")


def _room(r: AmbitionRow) -> float | None:
    return None if r.reachable is None or r.current is None else r.reachable - r.current


SORTS: dict[str, SortKey[AmbitionRow]] = {
    "name": lambda r: r.unit.name,
    "current": lambda r: r.current,
    "model_prediction": lambda r: r.model_prediction,
    "peer_benchmark": lambda r: r.peer_benchmark,
    "reachable": lambda r: r.reachable,
    "room": _room,
    "target": lambda r: r.target,
}


class AmbitionPage(Page):
    units: list[AmbitionRow] = []
    # The page's view (not the API): the rows filtered, sorted and paged.
    shown: list[AmbitionRow] = Field([], exclude=True)
    listing: Listing | None = Field(None, exclude=True)
    #: what the figures show and do not (Reachable equal to Now, no targets set)
    notes: list[str] = []


def ambition(
    data: DashboardData, scope: Scope, lang: str, query: ListQuery | None = None
) -> AmbitionPage:
    """Current and reachable customer grade per location in scope."""
    return data.page(("ambition", lang, scope, query), lambda: _ambition(data, scope, lang, query))


def _ambition(
    data: DashboardData, scope: Scope, lang: str, query: ListQuery | None
) -> AmbitionPage:
    seen = data.visible_units(scope)
    rows = ambition_rows(data, [u for u in data.units if u in seen], seen)
    shown, state = rows, None
    if query is not None:
        shown, state = listing(
            data,
            rows,
            lambda r: r.unit.id,
            query,
            path="/dash/ambition",
            seen=seen,
            sorts=SORTS,
            default=("name", False),
        )
    chartable = [
        {"label": r.unit.name, "current": r.current, "reachable": r.reachable}
        for r in shown
        if r.current is not None and r.reachable is not None
    ]
    specs = []
    if chartable:
        frame = pd.DataFrame(chartable)
        frame = frame.assign(room=frame["reachable"] - frame["current"])
        top = frame.sort_values("room", ascending=False).head(25).drop(columns="room")
        spec = charts.dumbbell(
            top,
            "label",
            "current",
            "reachable",
            text.t("current", lang),
            text.t("reachable", lang),
            text.t("grade", lang),
        )
        specs.append(chart("ambition", spec, "units"))
    found = [data.ambition[r.unit.id] for r in rows if r.unit.id in data.ambition]
    link = data.results.linkage
    est = None
    if link is not None:
        u = link.unit
        est = Estimate(u.pearson_r, u.pearson_ci_low, u.pearson_ci_high)
    notes = ambition_notes(found, est, lang, show_link=scope.organisation)
    return AmbitionPage(
        **header(data, scope, "ambition"),
        units=rows,
        charts=specs,
        notes=notes,
        shown=shown,
        listing=state,
    )
