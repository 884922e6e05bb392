"""One unit's page: scores now and over the waves, customers, moments of truth, mirror,
risks, ambition and comments (only what lies within the viewer's scope)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module
from spiegel.services.dashboards.comments import CommentUnit, comment_units
from spiegel.services.dashboards.compare import Comparison, comparison
from spiegel.services.dashboards.data import DashboardData, OutOfScope, Scope, UnitNotFound
from spiegel.services.dashboards.overview import CUSTOMER_COLUMNS
from spiegel.services.dashboards.rows import (
    AmbitionRow,
    MirrorRow,
    RiskRow,
    ambition_rows,
    mirror_rows,
    risk_rows,
)
from spiegel.services.dashboards.views import (
    CellView,
    ChartRef,
    Page,
    ScaleRef,
    UnitRef,
    View,
    cell_view,
    chart,
    header,
    unit_ref,
)

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")

LABELS: dict[str, dict[str, str]] = {
    "trend": {"nl": "Meting", "en": "Wave"},
    "moment": {"nl": "Cijfer (1-10)", "en": "Grade (1-10)"},
}
ENGAGEMENT_SCALES = ("engagement", "vigor", "dedication", "absorption")


class TrendRow(View):
    wave: str
    employees: CellView
    customers: CellView


class MomentRow(View):
    aspect: str
    title: str
    mean: float | None


class UnitPage(Page):
    unit: UnitRef
    parent: UnitRef | None = None
    children: list[UnitRef] = []
    scales: list[ScaleRef] = []
    trend: list[TrendRow] = []
    latest: TrendRow | None = None
    moments: list[MomentRow] = []
    mirror: list[MirrorRow] = []
    risk: list[RiskRow] = []
    ambition: list[AmbitionRow] = []
    comments: list[CommentUnit] = []
    min_comments: int = 10
    comparison: Comparison | None = None


def unit_page(data: DashboardData, scope: Scope, lang: str, unit_id: int) -> UnitPage:
    """One unit: its scores now and over the waves, customers, mirror, moments of truth,
    risks, ambition and comments (only what lies within the viewer's scope)."""
    if unit_id not in data.units:
        raise UnitNotFound(unit_id)
    seen = data.visible_units(scope)
    if unit_id not in seen:
        raise OutOfScope(unit_id)
    return data.page(
        ("unit", unit_id, lang, scope), lambda: _unit(data, scope, lang, unit_id, seen)
    )


def _unit(
    data: DashboardData, scope: Scope, lang: str, unit_id: int, seen: frozenset[int]
) -> UnitPage:
    parent = data.units[unit_id].parent_id
    trend = [
        TrendRow(
            wave=wave,
            employees=cell_view(data.score_cell(wave, unit_id), data.scales),
            customers=cell_view(data.customer_cell(wave, unit_id), CUSTOMER_COLUMNS),
        )
        for wave in data.results.waves
    ]
    latest_cust = data.customer_cell(data.wave, unit_id)
    moments = []
    if latest_cust is not None and latest_cust.visible:
        for key in latest_cust.values:
            mean = latest_cust.value(key)
            if key.startswith("mot_") and mean is not None:
                moments.append(MomentRow(aspect=key, title=data.item_title(key, lang), mean=mean))
    inside = [u for u in data.subtree(unit_id) if u in seen]
    comments = comment_units(data, inside, seen)
    return UnitPage(
        **header(data, scope, "unit"),
        unit=unit_ref(data, unit_id, seen),
        parent=unit_ref(data, parent, seen) if parent is not None and parent in seen else None,
        children=[unit_ref(data, c, seen) for c in data.children.get(unit_id, []) if c in seen],
        scales=[ScaleRef(name=s, title=data.scale_title(s, lang)) for s in data.scales],
        trend=trend,
        latest=trend[-1] if trend else None,
        moments=moments,
        mirror=mirror_rows(data, inside, lang, seen),
        risk=risk_rows(data, inside, seen),
        ambition=ambition_rows(data, inside, seen),
        comments=comments,
        comparison=comparison(data, lang, unit_id, seen),
        min_comments=data.results.privacy.min_comments,
        charts=_charts(data, lang, unit_id, moments),
    )


SMALL_GROUP = 10  # fewer respondents: drawn hollow, a change may be noise


def _range(data: DashboardData) -> tuple[float, float]:
    """The full range of the engagement scales, from the instrument (no zoomed axis)."""
    metas = [data.scale_meta[s] for s in data.scales if s in ENGAGEMENT_SCALES]
    return (min((m.min for m in metas), default=1.0), max((m.max for m in metas), default=5.0))


def _charts(
    data: DashboardData, lang: str, unit_id: int, moments: list[MomentRow]
) -> list[ChartRef]:
    specs = []
    points = []
    for wave in data.results.waves:
        cell = data.score_cell(wave, unit_id)
        if cell is not None and cell.visible:
            for s in data.scales:
                if s in ENGAGEMENT_SCALES:
                    scale = data.scale_title(s, lang)
                    small = cell.n is not None and cell.n < SMALL_GROUP
                    low, high = cell.interval(s) or (None, None)
                    points.append(
                        {
                            "wave": wave,
                            "scale": scale,
                            "mean": cell.value(s),
                            "ci_low": low,
                            "ci_high": high,
                            "small": small,
                        }
                    )
    if points:
        spec = charts.lines(
            pd.DataFrame(points),
            "wave",
            "mean",
            "scale",
            LABELS["trend"][lang],
            text.t("score", lang),
            domain=_range(data),
            low="ci_low" if any(p["ci_low"] is not None for p in points) else None,
            high="ci_high" if any(p["ci_high"] is not None for p in points) else None,
            small="small",
        )
        specs.append(chart("trend", spec, "trend"))
    if moments:
        frame = pd.DataFrame([m.model_dump() for m in moments])
        specs.append(
            chart("moments", charts.bars(frame, "title", "mean", LABELS["moment"][lang]), "moments")
        )
    return specs
