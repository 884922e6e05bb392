"""The drivers page: relative importance of the drivers of engagement and of the customer
grade, and the priority matrix (organisation-wide statistics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module
from spiegel.results import Driver
from spiegel.services.dashboards.data import DashboardData, OutOfScope, Scope
from spiegel.services.dashboards.views import ChartRef, Page, View, chart, header
from spiegel.wording import Estimate, Ranked
from spiegel.wording import drivers as drivers_sentence

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")


class DriverRow(View):
    driver: str
    title: str
    general_dominance: float | None
    general_dominance_ci_low: float | None
    general_dominance_ci_high: float | None
    relative_weight: float | None
    rank: int
    performance: float | None
    quadrant: str | None


class DriverOutcome(View):
    outcome: str
    r2: float | None
    drivers: list[DriverRow]
    #: the largest drivers, and whether their intervals show them clearly ahead
    sentence: str | None = None


class DriversPage(Page):
    outcomes: list[DriverOutcome] = []


def drivers(data: DashboardData, scope: Scope, lang: str) -> DriversPage:
    """Key drivers of engagement and of the customer grade (organisation-wide statistics)."""
    if not scope.organisation:
        raise OutOfScope("drivers")
    return data.page(("drivers", lang), lambda: _drivers(data, scope, lang))


def _row(data: DashboardData, d: Driver, lang: str) -> DriverRow:
    name = d.predictor
    title = data.scale_title(name, lang) if name in data.scale_meta else data.item_title(name, lang)
    return DriverRow(
        driver=name,
        title=title,
        general_dominance=d.general_dominance,
        general_dominance_ci_low=d.general_dominance_ci_low,
        general_dominance_ci_high=d.general_dominance_ci_high,
        relative_weight=d.relative_weight,
        rank=d.rank,
        performance=d.performance,
        quadrant=data.labels(lang)(d.quadrant) if d.quadrant else None,
    )


def _drivers(data: DashboardData, scope: Scope, lang: str) -> DriversPage:
    found = data.results.drivers
    outcomes = []
    specs: list[ChartRef] = []
    if found is not None:
        for key, rows, r2 in (
            ("engagement", found.engagement, found.engagement_r2),
            ("grade", found.grade, found.grade_r2),
        ):
            if not rows:
                continue
            table_rows = sorted(
                (_row(data, d, lang) for d in rows), key=lambda r: -(r.general_dominance or 0.0)
            )
            ranked = [
                Ranked(
                    r.title,
                    Estimate(
                        r.general_dominance,
                        r.general_dominance_ci_low,
                        r.general_dominance_ci_high,
                    ),
                )
                for r in table_rows
            ]
            outcomes.append(
                DriverOutcome(
                    outcome=key,
                    r2=r2,
                    drivers=table_rows,
                    sentence=drivers_sentence(ranked, key, lang),
                )
            )
            specs += _charts(key, pd.DataFrame([r.model_dump() for r in table_rows]), lang)
    return DriversPage(**header(data, scope, "drivers"), outcomes=outcomes, charts=specs)


def _charts(key: str, table: pd.DataFrame, lang: str) -> list[ChartRef]:
    has_ci = table["general_dominance_ci_low"].notna().any()
    specs = [
        chart(
            f"{key}_importance",
            charts.bars(
                table,
                "title",
                "general_dominance",
                text.t("importance", lang),
                "general_dominance_ci_low" if has_ci else None,
                "general_dominance_ci_high" if has_ci else None,
            ),
            f"outcomes.{key}",
        )
    ]
    if table["performance"].notna().any() and table["quadrant"].notna().any():
        spec = charts.quadrants(
            table,
            "title",
            "general_dominance",
            "performance",
            "quadrant",
            float(table["general_dominance"].median()),
            float(table["performance"].median()),
            text.t("importance", lang),
            text.t("score", lang),
        )
        specs.append(chart(f"{key}_priority", spec, f"outcomes.{key}"))
    return specs
