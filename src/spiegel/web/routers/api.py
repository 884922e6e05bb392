"""The JSON API for integrations: ``/api/v1/...``, token authentication.

Send ``Authorization: Bearer sp_...`` (an API token, ``spiegel users token``) or use a
logged-in session. Every answer holds the same protected figures as the dashboard page
of the same name, cut to the caller's unit scope; chart specifications are left out.
Hidden groups come with a ``reason_code`` (``too_few``, ``complementary``,
``consistency``) and no numbers. The schema is at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request

from spiegel.services import dashboards as dash
from spiegel.web.auth import ApiUser, Principal
from spiegel.web.openapi import API_ERRORS
from spiegel.web.render import language_of
from spiegel.web.routers.dashboards import dashboard_data, translate_errors

__all__ = ["OPENAPI_TAGS", "router"]

TAG = "results"
OPENAPI_TAGS = [
    {
        "name": TAG,
        "description": (
            "Protected survey results, as shown on the dashboards. Every figure about a "
            "group has passed the privacy gate; callers see only units within their scope, "
            "and organisation-wide statistics only as admin or analyst. Authenticate with "
            "`Authorization: Bearer <token>`."
        ),
    }
]
router = APIRouter(prefix="/api/v1", tags=[TAG], responses=API_ERRORS)

Lang = Annotated[str | None, Query(description="Language of titles: nl or en.")]


def _lang(request: Request, lang: str | None) -> str:
    return lang if lang in ("nl", "en") else language_of(request)


@router.get("/results", summary="About the latest results")
def results(request: Request, user: ApiUser) -> dash.ResultsInfo:
    """The run the figures come from (id, time), its waves and the caller's scope."""
    data = dashboard_data(request, user)
    return dash.results_info(data, dash.Scope.of(user))


@router.get("/units", summary="Units in scope")
def units(request: Request, user: ApiUser) -> dash.UnitList:
    """The units the caller may see, in tree order (``parent_id`` is null at the top of
    the caller's scope)."""
    data = dashboard_data(request, user)
    return dash.unit_list(data, dash.Scope.of(user))


@router.get("/overview", summary="Scores by unit")
def overview(
    request: Request,
    user: ApiUser,
    wave: Annotated[str | None, Query(description="Wave name; default the latest.")] = None,
    parent: Annotated[
        int | None, Query(description="Unit id: this unit and its children (default: top).")
    ] = None,
    lang: Lang = None,
) -> dash.OverviewPage:
    """Mean scale scores and respondent counts per unit for a wave, with customer grade
    and NPS; the same rows as the overview heatmap."""
    return _call(request, user, lambda d, s, lg: dash.overview(d, s, lg, wave, parent), lang)


@router.get("/units/{unit_id}", summary="One unit")
def unit(request: Request, user: ApiUser, unit_id: int, lang: Lang = None) -> dash.UnitPage:
    """A unit's scores per wave, moments of truth, mirror, risk, ambition and comments."""
    return _call(request, user, lambda d, s, lg: dash.unit_page(d, s, lg, unit_id), lang)


@router.get("/linkage", summary="Employees and customers linked")
def linkage(request: Request, user: ApiUser, lang: Lang = None) -> dash.LinkagePage:
    """Engagement and customer grade per location; for admins and analysts also the
    correlation, regression, role groups, lagged and cross-lagged models."""
    return _call(request, user, dash.linkage, lang)


@router.get("/drivers", summary="Key drivers")
def drivers(request: Request, user: ApiUser, lang: Lang = None) -> dash.DriversPage:
    """Relative importance (general dominance, relative weights, bootstrap CIs) of the
    drivers of engagement and of the customer grade. Admin and analyst only."""
    return _call(request, user, dash.drivers, lang)


@router.get("/mirror", summary="Mirror gaps")
def mirror(request: Request, user: ApiUser, lang: Lang = None) -> dash.MirrorPage:
    """Customers' ratings against employees' expectations per aspect and location."""
    return _call(request, user, dash.mirror, lang)


@router.get("/risk", summary="Risk")
def risk(request: Request, user: ApiUser, lang: Lang = None) -> dash.RiskPage:
    """Strain, recovery, risk level, absenteeism and turnover per location."""
    return _call(request, user, dash.risk, lang)


@router.get("/ambition", summary="Realistic ambition")
def ambition(request: Request, user: ApiUser, lang: Lang = None) -> dash.AmbitionPage:
    """Current, predicted, benchmark and reachable customer grade per location."""
    return _call(request, user, dash.ambition, lang)


@router.get("/comments", summary="Open comments and their themes")
def comments(request: Request, user: ApiUser, lang: Lang = None) -> dash.CommentsPage:
    """Themes in customers' and employees' open comments (the organisation's for admins and
    analysts, counted over their own units for others) and the comments per unit in
    scope: equal texts once with their count, only from groups of at least the comment
    minimum."""
    return _call(request, user, dash.comments, lang)


Page = TypeVar("Page", bound=dash.Page)


def _call(
    request: Request,
    user: Principal,
    build: Callable[[dash.DashboardData, dash.Scope, str], Page],
    lang: str | None,
) -> Page:
    """The page for the caller (chart specifications are not part of the API's answer)."""
    data = dashboard_data(request, user)
    scope = dash.Scope.of(user)
    chosen = _lang(request, lang)
    return translate_errors(lambda: build(data, scope, chosen))
