"""One place that turns a page's context into HTML or JSON (the datasette pattern).

A route builds one context (plain data: dicts, lists, strings, numbers) and calls
:func:`render`. The browser gets the template rendered with it; a client that asks for
JSON (``?format=json`` or ``Accept: application/json``) gets the same context as JSON.
Language, cookies queued during the request and the language switch are handled here, so
every page, error pages included, behaves the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.responses import Response

from spiegel.web.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, LANGUAGES, choose_language
from spiegel.web.templating import Renderer

__all__ = [
    "content_type_of",
    "language_of",
    "posts_json",
    "queue_cookie",
    "redirect",
    "render",
    "wants_json",
]

ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class _Cookie:
    name: str
    value: str
    max_age: int | None
    path: str
    httponly: bool


def content_type_of(request: Request) -> str:
    """The request body's media type, lower case, without parameters."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def posts_json(request: Request) -> bool:
    """Whether the request's body is declared JSON. Another site's page cannot send such
    a request to Spiegel: it would need a CORS preflight, which Spiegel never grants."""
    return content_type_of(request) == "application/json"


def wants_json(request: Request) -> bool:
    """Whether the client asked for the JSON twin of the page (``/api/...`` is always JSON).

    ``?format=`` decides; then the ``Accept`` header; a client that posts JSON and does
    not ask for HTML gets JSON back."""
    if request.url.path.startswith("/api/"):  # the JSON API, errors included
        return True
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "json"
    accept = request.headers.get("accept", "")
    if "text/html" not in accept and posts_json(request):
        return True
    if "application/json" not in accept:
        return False
    return "text/html" not in accept or accept.index("application/json") < accept.index("text/html")


def language_of(request: Request) -> str:
    """The page language of this request (see :func:`spiegel.web.i18n.choose_language`)."""
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = choose_language(
            request.query_params.get("lang"),
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
        )
        request.state.lang = lang
    return str(lang)


def queue_cookie(
    request: Request,
    name: str,
    value: str,
    *,
    max_age: int | None = None,
    path: str = "/",
    httponly: bool = True,
) -> None:
    """Set a cookie on whatever response this request ends with (``value=''`` and
    ``max_age=0`` delete it)."""
    queued: list[_Cookie] = getattr(request.state, "cookies", [])
    queued.append(_Cookie(name, value, max_age, path, httponly))
    request.state.cookies = queued


def _finish(request: Request, response: Response) -> Response:
    secure = request.url.scheme == "https"
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        queue_cookie(request, LANGUAGE_COOKIE, str(chosen), max_age=ONE_YEAR)
    for c in getattr(request.state, "cookies", []):
        response.set_cookie(
            c.name,
            c.value,
            max_age=c.max_age,
            path=c.path,
            secure=secure,
            httponly=c.httponly,
            samesite="lax",
        )
    return response


def _language_links(request: Request, lang: str) -> list[dict[str, object]]:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in {"lang", "format"}]
    links = []
    for code in LANGUAGES:
        query = urlencode([*params, ("lang", code)])
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "url": f"{request.url.path}?{query}",
                "current": code == lang,
            }
        )
    return links


def staff_header(request: Request) -> dict[str, object] | None:
    """The staff header (Results, Admin for administrators, who is logged in, Log out)
    when a staff member is logged in on this request; ``None`` otherwise (respondents)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return None
    from spiegel.web.csrf import csrf_token  # csrf renders cookies through this module

    path = request.url.path
    role = getattr(principal.role, "value", str(principal.role))
    section = None
    if path.startswith("/dash"):
        section = "results"
    elif path.startswith("/admin"):
        section = "admin"
    return {
        "email": principal.email,
        "role": role,
        "admin": role == "admin",
        "section": section,
        "csrf_token": csrf_token(request),
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, object],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The page: ``template`` rendered with ``context``, or ``context`` as JSON."""
    lang = language_of(request)
    if wants_json(request):
        # An error comes first, so that it is what a reader (or a log) sees.
        first = {"error": context["error"]} if "error" in context else {}
        body = jsonable_encoder({**first, "lang": lang, **context})
        response: Response = JSONResponse(body, status_code=status_code, headers=headers)
    else:
        renderer: Renderer = request.app.state.renderer
        page = {
            **context,
            "lang": lang,
            "languages": _language_links(request, lang),
            "request_path": request.url.path,
            "staff": staff_header(request),
        }
        response = HTMLResponse(
            renderer.render(template, page, lang), status_code=status_code, headers=headers
        )
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return _finish(request, response)


def redirect(request: Request, url: str, data: Mapping[str, object] | None = None) -> Response:
    """After a successful POST: 303 to ``url`` for a browser; for a JSON client 200 with
    ``data`` and ``{"next": url}`` (so a script saving in the background needs no
    second request)."""
    if wants_json(request):
        body = jsonable_encoder({"lang": language_of(request), **(data or {}), "next": url})
        return _finish(request, JSONResponse(body))
    return _finish(request, RedirectResponse(url, status_code=303))
