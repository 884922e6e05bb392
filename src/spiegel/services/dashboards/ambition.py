"""The ambition page: current and reachable customer grade per location in scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module
from spiegel.services.dashboards.data import DashboardData, Scope
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


class AmbitionPage(Page):
    units: list[AmbitionRow] = []
    #: what the figures show and do not (Reachable equal to Now, no targets set)
    notes: list[str] = []


def ambition(data: DashboardData, scope: Scope, lang: str) -> AmbitionPage:
    """Current and reachable customer grade per location in scope."""
    return data.page(("ambition", lang, scope), lambda: _ambition(data, scope, lang))


def _ambition(data: DashboardData, scope: Scope, lang: str) -> AmbitionPage:
    seen = data.visible_units(scope)
    rows = ambition_rows(data, [u for u in data.units if u in seen], seen)
    chartable = [
        {"label": r.unit.name, "current": r.current, "reachable": r.reachable}
        for r in rows
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
    return AmbitionPage(**header(data, scope, "ambition"), units=rows, charts=specs, notes=notes)
