"""Staff log in and out; who am I (for integrations).

=====================  ====  ===========================================================
``/login``             GET   the login form (``?next=/path`` to return to)
``/login``             POST  e-mail and password; starts a session (throttled)
``/logout``            GET   a page with the logout button
``/logout``            POST  ends the session
``/api/me``            GET   the caller (token or session): role and unit scope
``/api/me/units``      GET   the units the caller may see (as ``/api/v1/units``)
=====================  ====  ===========================================================
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from spiegel.services.dashboards import UnitList
from spiegel.services.users import (
    LoginRefused,
    LoginThrottled,
    authenticate,
    end_session,
    start_session,
)
from spiegel.web.auth import SESSION_COOKIE, ApiUser, OptionalUser, set_session_cookie
from spiegel.web.csrf import CSRF_FIELD, csrf_token, csrf_valid
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import CsrfFailed
from spiegel.web.i18n import N_
from spiegel.web.known_browsers import is_known_browser, remember_browser
from spiegel.web.openapi import API_ERRORS
from spiegel.web.render import language_of, redirect, render
from spiegel.web.routers import api

router = APIRouter(tags=["auth"])

WRONG = N_("The e-mail address or password is not right. Please try again.")
THROTTLED = N_(
    "There have been too many failed attempts to log in. For your security, logging in is "
    "paused for {minutes} minutes. Please try again later."
)
LOGGED_OUT = N_("You have logged out.")


STAFF_HOME = "/dash"
"""Where staff land after logging in when no page sent them (the results overview)."""


def safe_next(target: object) -> str:
    """A local path to go to after logging in (never another site): the results
    overview when none (or the home page, which is for respondents) is asked for."""
    text = str(target or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return STAFF_HOME
    if text == "/" or text.startswith(("/login", "/logout")):
        return STAFF_HOME
    return text


def _client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn puts the client's address here from X-Forwarded-For when
    # the proxy is trusted (spiegel serve --forwarded-allow-ips).
    return request.client.host if request.client else "unknown"


def _login_page(
    request: Request,
    next_url: str,
    email: str = "",
    error: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {
        "page_kind": "login",
        "next": next_url,
        "email": email,
        "error": error,
        "notice": request.app.state.renderer.gettext(language_of(request), LOGGED_OUT)
        if request.query_params.get("logged_out")
        else None,
        "csrf_token": csrf_token(request),
    }
    return render(request, "auth/login.html", context, status_code=status_code, headers=headers)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, user: OptionalUser) -> Response:
    """The login form; someone already logged in goes on to ``next``."""
    next_url = safe_next(request.query_params.get("next"))
    if user is not None:
        return redirect(request, next_url, {"email": user.email})
    return _login_page(request, next_url)


@router.post("/login", include_in_schema=False)
def login(request: Request, body: BodyDep, session: SessionDep) -> Response:
    """Check e-mail and password; start a session and go on to ``next``."""
    if not csrf_valid(request, _text(body.get(CSRF_FIELD))):
        raise CsrfFailed()
    next_url = safe_next(body.get("next"))
    email = _text(body.get("email"))[:320]
    password = _text(body.get("password"))[:1000]
    gettext = request.app.state.renderer.gettext
    lang = language_of(request)
    try:
        known = is_known_browser(request, email)
        user = authenticate(session, email, password, _client_ip(request), known)
    except LoginThrottled as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        message = gettext(lang, THROTTLED).format(minutes=minutes)
        return _login_page(
            request, next_url, email, message, 429, {"Retry-After": str(exc.retry_after)}
        )
    except LoginRefused:
        return _login_page(request, next_url, email, gettext(lang, WRONG), 400)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        end_session(session, old)
    set_session_cookie(request, start_session(session, user))
    remember_browser(request, user.email)
    return redirect(request, next_url, {"email": user.email, "role": user.role.value})


@router.get("/logout", include_in_schema=False)
def logout_form(request: Request, user: OptionalUser) -> Response:
    """A page with the logout button (a link can lead here; logging out is a POST)."""
    if user is None:
        return redirect(request, "/login", {"logged_in": False})
    context = {"page_kind": "logout", "email": user.email, "csrf_token": csrf_token(request)}
    return render(request, "auth/logout.html", context)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, body: BodyDep, session: SessionDep) -> Response:
    """End this browser's session."""
    if not csrf_valid(request, _text(body.get(CSRF_FIELD))):
        raise CsrfFailed()
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        end_session(session, sid)
    set_session_cookie(request, "")
    return redirect(request, "/login?logged_out=1", {"logged_out": True})


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@router.get("/api/me", tags=["api"])
def me(user: ApiUser) -> dict[str, object]:
    """The caller: e-mail address, role, organisation and unit scope (``units``: ids of
    the units they may see, ``null`` for every unit)."""
    return {
        "user_id": user.user_id,
        "email": user.email,
        "role": user.role.value,
        "organisation_id": user.organisation_id,
        "unit_id": user.unit_id,
        "units": sorted(user.units) if user.units is not None else None,
    }


@router.get("/api/me/units", tags=["api"], responses=API_ERRORS)
def my_units(request: Request, user: ApiUser) -> UnitList:
    """The units the caller may see: the same list as ``/api/v1/units`` (a member does not
    see a team whose figures are hidden; nobody sees a unit above their scope). ``404``
    until the organisation's results have been analysed."""
    return api.units(request, user)
