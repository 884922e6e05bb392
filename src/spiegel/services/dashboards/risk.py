"""The risk page: strain and recovery per location in scope; the link with absenteeism for
organisation viewers."""

from __future__ import annotations

from spiegel.reports import comparison_charts
from spiegel.results import RiskOutcomeLink
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.rows import RiskRow, risk_rows
from spiegel.services.dashboards.views import Page, chart, header

ORDER = {"high": 0, "watch": 1}
TITLES = {
    "nl": (("Risicolocaties", "Overige locaties"), "Verzuim (%)"),
    "en": (("Risk locations", "Other locations"), "Absenteeism (%)"),
}


class RiskPage(Page):
    units: list[RiskRow] = []
    absenteeism_link: RiskOutcomeLink | None = None


def risk(data: DashboardData, scope: Scope, lang: str) -> RiskPage:
    """Strain and recovery per location in scope; the link with absenteeism for
    organisation viewers."""
    return data.page(("risk", lang, scope), lambda: _risk(data, scope, lang))


def _risk(data: DashboardData, scope: Scope, lang: str) -> RiskPage:
    seen = data.visible_units(scope)
    rows = risk_rows(data, [u for u in data.units if u in seen], seen)
    rows.sort(key=lambda r: ORDER.get(r.risk_level, 2))
    found = data.results.risk
    link = found.absenteeism_link if found is not None and scope.organisation else None
    specs = []
    if link is not None:
        flagged, other, low, high = link.mean_flagged, link.mean_other, link.ci_low, link.ci_high
        if flagged is not None and other is not None and low is not None and high is not None:
            groups, x_title = TITLES.get(lang, TITLES["en"])
            spec = comparison_charts.risk_comparison(
                flagged,
                other,
                low,
                high,
                link.n_flagged,
                link.n_other,
                groups,
                x_title,
            )
            specs.append(chart("absenteeism", spec, "absenteeism"))
    return RiskPage(**header(data, scope, "risk"), units=rows, absenteeism_link=link, charts=specs)
