"""The mirror page: customers' ratings against employees' expectations, overall
(organisation viewers) and per location in scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.rows import MirrorRow, mirror_rows
from spiegel.services.dashboards.views import Page, View, chart, header

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")


class MirrorOverall(View):
    aspect: str
    title: str
    mean_customer: float | None
    mean_employee: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    d: float | None
    label: str


class MirrorPage(Page):
    units: list[MirrorRow] = []
    overall: list[MirrorOverall] | None = None


def mirror(data: DashboardData, scope: Scope, lang: str) -> MirrorPage:
    """Customers' ratings against employees' expectations: overall (organisation viewers)
    and per location in scope."""
    return data.page(("mirror", lang, scope), lambda: _mirror(data, scope, lang))


def _mirror(data: DashboardData, scope: Scope, lang: str) -> MirrorPage:
    seen = data.visible_units(scope)
    units = [u for u in data.units if u in seen and u in data.mirror_units]
    rows = mirror_rows(data, units, lang, seen)
    overall = None
    found = data.results.mirror
    if scope.organisation:
        overall = [
            MirrorOverall(
                aspect=g.aspect,
                title=data.item_title(g.aspect, lang),
                mean_customer=g.mean_customer,
                mean_employee=g.mean_employee,
                gap=g.gap,
                ci_low=g.ci_low,
                ci_high=g.ci_high,
                d=g.d,
                label=g.label,
            )
            for g in (found.overall if found else [])
        ]
    chart_rows: list[MirrorOverall] | list[MirrorRow] = overall or (rows if len(units) == 1 else [])
    specs = []
    if chart_rows:
        frame = pd.DataFrame(
            [
                {
                    "title": r.title,
                    "mean_customer": r.mean_customer,
                    "mean_employee": r.mean_employee,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                }
                for r in chart_rows
            ]
        )
        spec = charts.dumbbell(
            frame,
            "title",
            "mean_customer",
            "mean_employee",
            text.t("customers", lang),
            text.t("employees", lang),
            text.t("score", lang),
            domain=(1, 10),  # mirror pairs are grades (1–10)
            gap_low="ci_low",
            gap_high="ci_high",
        )
        specs.append(chart("mirror", spec, "overall" if overall else "units"))
    return MirrorPage(**header(data, scope, "mirror"), units=rows, overall=overall, charts=specs)
