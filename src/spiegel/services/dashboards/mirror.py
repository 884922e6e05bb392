"""The mirror page: customers' ratings against employees' expectations, overall
(organisation viewers) and per location in scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from spiegel._lazy import lazy_module
from spiegel.services.dashboards.data import DashboardData, OutOfScope, Scope, UnitNotFound
from spiegel.services.dashboards.listing import Listing, ListQuery, SortKey, listing
from spiegel.services.dashboards.rows import MirrorRow, mirror_rows
from spiegel.services.dashboards.views import Page, UnitRef, View, chart, header, unit_ref
from spiegel.wording import mirror_summary, verdict_of

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


class MirrorSummary(View):
    """One location's mirror in a line: how many aspects get each verdict, and the
    aspect with the largest gap (its interval beside it)."""

    unit: UnitRef
    aspects: int
    blind_spots: int
    hidden_strengths: int
    aligned: int
    unclear: int
    largest: MirrorRow | None


class MirrorPage(Page):
    units: list[MirrorRow] = []
    overall: list[MirrorOverall] | None = None
    # The page's view (not the API): a line per location, filtered, sorted and paged,
    # and the aspects of the one location asked for (``?unit=``).
    locations: list[MirrorSummary] = Field([], exclude=True)
    listing: Listing | None = Field(None, exclude=True)
    detail: UnitRef | None = Field(None, exclude=True)
    detail_rows: list[MirrorRow] = Field([], exclude=True)
    #: how many aspects are blind spots, hidden strengths, as expected, unclear
    summary: str | None = None


def mirror(
    data: DashboardData, scope: Scope, lang: str, query: ListQuery | None = None
) -> MirrorPage:
    """Customers' ratings against employees' expectations: overall (organisation viewers)
    and per location in scope."""
    return data.page(("mirror", lang, scope, query), lambda: _mirror(data, scope, lang, query))


def _summary(units: list[int], rows: list[MirrorRow]) -> list[MirrorSummary]:
    by_unit: dict[int, list[MirrorRow]] = {u: [] for u in units}
    for r in rows:
        by_unit[r.unit.id].append(r)
    out = []
    for u in units:
        gaps = by_unit[u]
        if not gaps:
            continue
        labels = [g.label for g in gaps]
        with_gap = [g for g in gaps if g.gap is not None]
        out.append(
            MirrorSummary(
                unit=gaps[0].unit,
                aspects=len(gaps),
                blind_spots=labels.count("blind spot"),
                hidden_strengths=labels.count("hidden strength"),
                aligned=labels.count("aligned"),
                unclear=sum(1 for x in labels if x not in KNOWN_LABELS),
                largest=max(with_gap, key=lambda g: abs(g.gap or 0.0)) if with_gap else None,
            )
        )
    return out


KNOWN_LABELS = ("blind spot", "hidden strength", "aligned")
SORTS: dict[str, SortKey[MirrorSummary]] = {
    "name": lambda r: r.unit.name,
    "blind_spots": lambda r: r.blind_spots,
    "hidden_strengths": lambda r: r.hidden_strengths,
    "aligned": lambda r: r.aligned,
    "unclear": lambda r: r.unclear,
    "largest_gap": lambda r: (
        abs(r.largest.gap) if r.largest and r.largest.gap is not None else None
    ),
}


def _mirror(data: DashboardData, scope: Scope, lang: str, query: ListQuery | None) -> MirrorPage:
    seen = data.visible_units(scope)
    units = [u for u in data.units if u in seen and u in data.mirror_units]
    rows = mirror_rows(data, units, lang, seen)
    locations: list[MirrorSummary] = []
    state = detail = None
    detail_rows: list[MirrorRow] = []
    if query is not None:
        locations, state = listing(
            data,
            _summary(units, rows),
            lambda r: r.unit.id,
            query,
            path="/dash/mirror",
            seen=seen,
            sorts=SORTS,
            default=("blind_spots", True),
        )
        chosen = query.unit if query.unit is not None else (units[0] if len(units) == 1 else None)
        if chosen is not None:
            if chosen not in data.units:
                raise UnitNotFound(chosen)
            if chosen not in seen:
                raise OutOfScope(chosen)
            detail = unit_ref(data, chosen, seen)
            detail_rows = [r for r in rows if r.unit.id == chosen]
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
                label=verdict_of(g),
            )
            for g in (found.overall if found else [])
        ]
    chart_rows: list[MirrorOverall] | list[MirrorRow] = (
        detail_rows or overall or (rows if len(units) == 1 else [])
    )
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
        table = "detail_rows" if detail_rows else "overall" if overall else "units"
        specs.append(chart("mirror", spec, table))
    summary = None
    if overall:
        summary = mirror_summary([(r.title, r.label) for r in overall], lang)
    elif len(units) == 1 and rows:
        summary = mirror_summary([(r.title, r.label) for r in rows], lang)
    return MirrorPage(
        **header(data, scope, "mirror"),
        units=rows,
        overall=overall,
        charts=specs,
        summary=summary,
        locations=locations,
        listing=state,
        detail=detail,
        detail_rows=detail_rows,
    )
