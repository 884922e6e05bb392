"""The risk page: strain and recovery per location in scope; the link with absenteeism for
organisation viewers."""

from __future__ import annotations

from spiegel.results import RiskOutcomeLink
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.rows import RiskRow, risk_rows
from spiegel.services.dashboards.views import Page, header

ORDER = {"high": 0, "watch": 1}


class RiskPage(Page):
    units: list[RiskRow] = []
    absenteeism_link: RiskOutcomeLink | None = None


def risk(data: DashboardData, scope: Scope, lang: str) -> RiskPage:
    """Strain and recovery per location in scope; the link with absenteeism for
    organisation viewers."""
    return data.page(("risk", lang, scope), lambda: _risk(data, scope))


def _risk(data: DashboardData, scope: Scope) -> RiskPage:
    seen = data.visible_units(scope)
    rows = risk_rows(data, [u for u in data.units if u in seen], seen)
    rows.sort(key=lambda r: ORDER.get(r.risk_level, 2))
    found = data.results.risk
    link = found.absenteeism_link if found is not None and scope.organisation else None
    return RiskPage(**header(data, scope, "risk"), units=rows, absenteeism_link=link)
