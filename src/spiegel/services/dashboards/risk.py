"""The risk page: strain and recovery per location in scope; the link with absenteeism for
organisation viewers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from spiegel._lazy import lazy_module
from spiegel.results import RiskOutcomeLink
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.listing import Listing, ListQuery, SortKey, listing
from spiegel.services.dashboards.rows import RiskRow, risk_rows
from spiegel.services.dashboards.views import Page, chart, header
from spiegel.wording import Estimate, risk_count, risk_outcome

if TYPE_CHECKING:
    from spiegel.reports import comparison_charts
else:  # loaded by the first page built, not when the server starts
    comparison_charts = lazy_module("spiegel.reports.comparison_charts")

ORDER = {"high": 0, "watch": 1}


SORTS: dict[str, SortKey[RiskRow]] = {
    "name": lambda r: r.unit.name,
    "risk": lambda r: ORDER.get(r.risk_level, 2),
    "emotional_dissonance": lambda r: r.emotional_dissonance,
    "exhaustion": lambda r: r.exhaustion,
    "recovery": lambda r: r.recovery,
    "absenteeism": lambda r: r.absenteeism,
    "turnover": lambda r: r.turnover,
}


class RiskPage(Page):
    units: list[RiskRow] = []
    absenteeism_link: RiskOutcomeLink | None = None
    # The page's view (not the API): the rows filtered, sorted and paged.
    shown: list[RiskRow] = Field([], exclude=True)
    listing: Listing | None = Field(None, exclude=True)
    counts: dict[str, int] = Field({}, exclude=True)
    #: how many locations show the pattern; what absenteeism shows, as far as its interval
    sentences: list[str] = []


def risk(data: DashboardData, scope: Scope, lang: str, query: ListQuery | None = None) -> RiskPage:
    """Strain and recovery per location in scope; the link with absenteeism for
    organisation viewers."""
    return data.page(("risk", lang, scope, query), lambda: _risk(data, scope, lang, query))


def _risk(data: DashboardData, scope: Scope, lang: str, query: ListQuery | None) -> RiskPage:
    seen = data.visible_units(scope)
    rows = risk_rows(data, [u for u in data.units if u in seen], seen)
    rows.sort(key=lambda r: ORDER.get(r.risk_level, 2))
    found = data.results.risk
    link = found.absenteeism_link if found is not None and scope.organisation else None
    shown, state = rows, None
    if query is not None:
        shown, state = listing(
            data,
            rows,
            lambda r: r.unit.id,
            query,
            path="/dash/risk",
            seen=seen,
            sorts=SORTS,
            default=("risk", False),
        )
    counts = {level: sum(1 for r in rows if r.risk_level == level) for level in ("high", "watch")}
    sentences = [risk_count(sum(r.risk_level == "high" for r in rows), lang)]
    if link is not None:
        est = Estimate(link.difference, link.ci_low, link.ci_high)
        said = risk_outcome(est, link.mean_flagged, link.mean_other, lang)
        sentences += [said.text] if said.text else []
    spec = comparison_charts.absenteeism_comparison(link, lang) if link is not None else None
    specs = [chart("absenteeism", spec, "absenteeism")] if spec is not None else []
    return RiskPage(
        **header(data, scope, "risk"),
        units=rows,
        absenteeism_link=link,
        sentences=sentences,
        shown=shown,
        listing=state,
        counts=counts,
        charts=specs,
    )
