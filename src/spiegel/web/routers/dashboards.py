"""The staff dashboards: server-rendered pages, each with its JSON twin (``?format=json``).

==============================  ==========================================================
``/dash``                       organisation overview: heatmap of units × scales
                                (``?wave=``, ``?parent=`` to go down the tree)
``/dash/units/{id}``            one unit: scores, trend, mirror, moments of truth, risks,
                                ambition, comments (403 outside the viewer's scope)
``/dash/linkage``               engagement against the customer grade; lag; role groups
``/dash/drivers``               key drivers and priority matrix (admin, analyst)
``/dash/mirror``                customers' ratings against employees' expectations
``/dash/risk``                  strain and recovery per location
``/dash/ambition``              realistic ambition per location
``/dash/comments``              themes in the open comments; comments per unit in scope
``/dash/vendor/vega-V.js``      the Vega, Vega-Lite and vega-embed bundle, from this server
==============================  ==========================================================

Every figure comes from :mod:`spiegel.services.dashboards`, which selects from the stored,
already-protected results; nothing here reads responses or computes a statistic.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from spiegel._lazy import lazy_module
from spiegel.results.chart_labels import titled
from spiegel.results.labels import Labels
from spiegel.services import dashboards as dash
from spiegel.services.dashboards.methods import methods as dash_methods
from spiegel.web.auth import CurrentUser, Forbidden, Principal
from spiegel.web.csrf import csrf_token
from spiegel.web.errors import AppError, BadRequest, InvalidParameter, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.render import language_of, render
from spiegel.web.templating import STATIC_DIR

if TYPE_CHECKING:
    import vl_convert as vlc

    from spiegel.reports import charts
else:  # loaded by the first dashboard page, not when the server starts
    vlc = lazy_module("vl_convert")
    charts = lazy_module("spiegel.reports.charts")

__all__ = ["NoResultsYet", "ResultsOutdated", "dashboard_data", "router", "translate_errors"]

Page = TypeVar("Page", bound=BaseModel)

router = APIRouter(prefix="/dash", include_in_schema=False)

NAV: tuple[tuple[str, str, str], ...] = (
    ("overview", "/dash", N_("Overview")),
    ("linkage", "/dash/linkage", N_("Link")),
    ("drivers", "/dash/drivers", N_("Key drivers")),
    ("mirror", "/dash/mirror", N_("Mirror")),
    ("risk", "/dash/risk", N_("Risk")),
    ("ambition", "/dash/ambition", N_("Ambition")),
    ("comments", "/dash/comments", N_("Comments")),
)
ORGANISATION_ONLY = frozenset({"drivers"})


class NoResultsYet(AppError):
    status_code = 404
    code = "no_results"
    title = N_("No results yet")
    message = N_("There are no analysed results for your organisation yet.")


class ResultsOutdated(AppError):
    status_code = 409
    code = "results_outdated"
    title = N_("Results need a new analysis")
    message = N_(
        "The stored results were made by an older version of Spiegel. Ask an analyst to run "
        "the analysis again (spiegel analyze)."
    )


# --- the results, cached per (organisation, run) ---------------------------------------------


def results_cache(request: Request) -> dash.ResultsCache:
    """The application's cache of parsed results (made on first use)."""
    cache = getattr(request.app.state, "dashboard_cache", None)
    if cache is None:
        cache = dash.ResultsCache()
        request.app.state.dashboard_cache = cache
    if not isinstance(cache, dash.ResultsCache):
        raise TypeError("app.state.dashboard_cache is not a ResultsCache")
    return cache


def dashboard_data(request: Request, user: Principal) -> dash.DashboardData:
    """The newest results of ``user``'s organisation (404 page when there are none)."""
    try:
        return results_cache(request).latest(request.app.state.engine, user.organisation_id)
    except dash.NoResults:
        raise NoResultsYet() from None
    except dash.OutdatedResults:
        raise ResultsOutdated() from None


def translate_errors(build: Callable[[], Page]) -> Page:
    """Run ``build``; the service's refusals become error pages (403, 404, 400)."""
    try:
        return build()
    except dash.BadQuery as bad:
        raise InvalidParameter(
            params={"field": bad.field, "reason": bad.reason}, details={"field": bad.field}
        ) from None
    except dash.OutOfScope:
        raise Forbidden() from None
    except dash.UnitNotFound:
        raise NotFoundError() from None
    except ValueError:
        raise BadRequest() from None


# --- the Vega bundle ---------------------------------------------------------------------------

# What the bundle exposes to charts.js; part of the file name, so a change is a new address.
SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
_bundle_lock = threading.Lock()


@functools.cache
def bundle_name() -> str:
    """The bundle's file name, from the versions of vl-convert and Vega-Lite and the
    snippet (worked out on first use: the charts module loads Altair)."""
    vlc_version = metadata.version("vl-convert-python")
    snippet = hashlib.sha256(SNIPPET.encode()).hexdigest()[:8]
    return f"vega-{vlc_version}-vl{charts.VL_VERSION}-{snippet}.js"


def _bundle_path() -> Path:
    return STATIC_DIR / "vendor" / bundle_name()


def vega_bundle(request: Request) -> bytes:
    """Vega + Vega-Lite + vega-embed as one script (made by vl-convert on first use, ~10 s,
    then kept in memory and, when the package directory is writable, on disk)."""
    cached: bytes | None = getattr(request.app.state, "vega_bundle", None)
    if cached is not None:
        return cached
    with _bundle_lock:
        cached = getattr(request.app.state, "vega_bundle", None)
        if cached is None:
            path = _bundle_path()
            if path.is_file():
                cached = path.read_bytes()
            else:
                cached = vlc.javascript_bundle(
                    snippet=SNIPPET, vl_version=charts.VL_VERSION
                ).encode()
                try:
                    path.parent.mkdir(exist_ok=True)
                    path.write_bytes(cached)
                except OSError:
                    pass  # read-only install: memory only
            request.app.state.vega_bundle = cached
    return cached


def vega_url() -> str:
    """The address of the bundle (versioned, cached for a year)."""
    return f"/dash/vendor/{bundle_name()}"


@router.get("/vendor/{name}")
def vendor(name: str, request: Request) -> Response:
    """The chart bundle; the name carries its version, so it may be cached for a year."""
    if f"/dash/vendor/{name}" != vega_url():
        raise NotFoundError()
    return Response(
        vega_bundle(request),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


# --- pages -------------------------------------------------------------------------------------


def _page(request: Request, user: Principal, page: str, view: dash.Page, template: str) -> Response:
    renderer = request.app.state.renderer
    lang = language_of(request)
    organisation = user.units is None and user.role in dash.ORGANISATION_ROLES
    nav = [
        {"key": key, "url": url, "title": renderer.gettext(lang, title), "current": key == page}
        for key, url, title in NAV
        if organisation or key not in ORGANISATION_ONLY
    ]
    return render(
        request,
        template,
        {
            # every field of the page, charts included (they are left out of the API)
            **{name: getattr(view, name) for name in type(view).model_fields},
            # chart fields by their titles in the page's language (tooltips, screen readers)
            "charts": [
                c.model_copy(update={"spec": titled(c.spec, Labels(None, lang))})
                for c in view.charts
            ],
            "page_kind": f"dash_{page}",
            "user": {"email": user.email, "role": user.role.value},
            "nav": nav,
            "vega_bundle": vega_url(),
            "csrf_token": csrf_token(request),
        },
    )


def list_query(request: Request) -> dash.ListQuery:
    """The filter, sort and page asked for in the query string (400 when unusable)."""
    try:
        return dash.ListQuery.parse(request.query_params)
    except dash.BadQuery as bad:
        raise InvalidParameter(
            params={"field": bad.field, "reason": bad.reason}, details={"field": bad.field}
        ) from None


@router.get("")
def overview(
    request: Request,
    user: CurrentUser,
    wave: str | None = None,
    parent: int | None = None,
    columns: str | None = None,
) -> Response:
    """Organisation overview: units × scales for a wave, with respondent counts; filter
    (``?region=``, ``?type=``, ``?q=``), sort (``?sort=``, ``?dir=``), page (``?page=``)
    and the group of scales shown as columns (``?columns=engagement|drivers|strain``)."""
    data = dashboard_data(request, user)
    scope = dash.Scope.of(user)
    lang = language_of(request)
    query = list_query(request)
    view = translate_errors(
        lambda: dash.overview(data, scope, lang, wave or None, parent, query, columns or None)
    )
    return _page(request, user, "overview", view, "dash/overview.html")


@router.get("/units/{unit_id}")
def unit(request: Request, user: CurrentUser, unit_id: int) -> Response:
    """One unit's page (403 outside the viewer's scope)."""
    data = dashboard_data(request, user)
    scope = dash.Scope.of(user)
    lang = language_of(request)
    view = translate_errors(lambda: dash.unit_page(data, scope, lang, unit_id))
    return _page(request, user, "unit", view, "dash/unit.html")


def _topic(page: str) -> Callable[[Request, Principal], Response]:
    build = dash.PAGES[page]

    listed = dash.LISTED.get(page)

    def endpoint(request: Request, user: CurrentUser) -> Response:
        data = dashboard_data(request, user)
        scope = dash.Scope.of(user)
        lang = language_of(request)
        if listed is not None:
            query = list_query(request)
            view = translate_errors(lambda: listed(data, scope, lang, query))
        else:
            view = translate_errors(lambda: build(data, scope, lang))
        return _page(request, user, page, view, f"dash/{page}.html")

    endpoint.__name__ = page
    endpoint.__doc__ = build.__doc__
    return endpoint


for _name in dash.PAGES:
    router.add_api_route(f"/{_name}", _topic(_name), methods=["GET"])


@router.get("/methods")
def methods(request: Request, user: CurrentUser) -> Response:
    """The terms of the results pages in plain words (issue 15)."""
    data = dashboard_data(request, user)
    view = dash_methods(data, dash.Scope.of(user), language_of(request))
    return _page(request, user, "methods", view, "dash/methods.html")
