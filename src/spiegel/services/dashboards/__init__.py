"""What the dashboards show: each page's view model, built from the stored, typed results
and cut down to what the viewer may see.

The results of ``spiegel analyze`` (:class:`spiegel.results.Results`) have passed the
privacy gate: every unit figure in them is a visible cell or figure, hidden ones carry a
reason code and no number. This package only *selects* from them; it computes no
statistic about a group and reads no responses. The rules of selection are in
:mod:`spiegel.services.dashboards.data`; each page has a module of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from spiegel.services.dashboards.ambition import AmbitionPage, ambition
from spiegel.services.dashboards.comments import CommentsPage, comments
from spiegel.services.dashboards.data import (
    ORGANISATION_ROLES,
    DashboardData,
    NoResults,
    OutdatedResults,
    OutOfScope,
    ResultsCache,
    Scope,
    UnitNotFound,
    Viewer,
)
from spiegel.services.dashboards.drivers import DriversPage, drivers
from spiegel.services.dashboards.linkage import LinkagePage, linkage
from spiegel.services.dashboards.listing import PER_PAGE, BadQuery, Listing, ListQuery
from spiegel.services.dashboards.mirror import MirrorPage, mirror
from spiegel.services.dashboards.overview import OverviewPage, overview
from spiegel.services.dashboards.risk import RiskPage, risk
from spiegel.services.dashboards.unit import UnitPage, unit_page
from spiegel.services.dashboards.units import ResultsInfo, UnitList, results_info, unit_list
from spiegel.services.dashboards.views import Page

PageBuilder = Callable[[DashboardData, Scope, str], Page]
ListedBuilder = Callable[[DashboardData, Scope, str, ListQuery | None], Page]
PAGES: dict[str, PageBuilder] = {
    "linkage": linkage,
    "drivers": drivers,
    "mirror": mirror,
    "risk": risk,
    "ambition": ambition,
    "comments": comments,
}
#: The pages with a long table: filtered, sorted and paged from the query string.
LISTED: dict[str, ListedBuilder] = {"mirror": mirror, "risk": risk, "ambition": ambition}

__all__ = [
    "LISTED",
    "ORGANISATION_ROLES",
    "PAGES",
    "PER_PAGE",
    "AmbitionPage",
    "BadQuery",
    "CommentsPage",
    "DashboardData",
    "DriversPage",
    "LinkagePage",
    "ListQuery",
    "ListedBuilder",
    "Listing",
    "MirrorPage",
    "NoResults",
    "OutOfScope",
    "OutdatedResults",
    "OverviewPage",
    "Page",
    "PageBuilder",
    "ResultsCache",
    "ResultsInfo",
    "RiskPage",
    "Scope",
    "UnitList",
    "UnitNotFound",
    "UnitPage",
    "Viewer",
    "ambition",
    "comments",
    "drivers",
    "linkage",
    "mirror",
    "overview",
    "results_info",
    "risk",
    "unit_list",
    "unit_page",
]
