"""The cookie a browser gets once it has sent answers through a location link.

A location link is shared by everyone at a location, so the server cannot tell one
respondent from the next; the browser can. After a response is stored, the browser gets
``spiegel_answered`` for that link's path only: a random nonce and an HMAC of it and the
link's token under the secret key. It holds nothing about the person or the answers and
is not stored on the server. With it, the link's pages thank the browser instead of
asking again, and a second submission is refused (a retry of the same submission, with
the same ``submission_key``, is still recognised).

Anyone can delete a cookie: this stops the casual second answer, not a script. The
limits (:mod:`spiegel.web.rate_limits`) and the flags on the admin survey page deal with
those.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from spiegel.services.invitations import Link
from spiegel.web.render import queue_cookie, render
from spiegel.web.survey_pages import thanks_context

__all__ = [
    "ANSWERED_COOKIE",
    "answered_before",
    "answered_here",
    "answered_page",
    "mark_answered",
]

ANSWERED_COOKIE = "spiegel_answered"
ANSWERED_DAYS = 365


def _mac(secret_key: str, token: str, nonce: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"spiegel-answered|{token}|{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def _secret(request: Request) -> str:
    return str(request.app.state.settings.secret_key)


def mark_answered(request: Request, token: str) -> None:
    """Give the browser the cookie of link ``token`` with the response being sent."""
    nonce = secrets.token_urlsafe(12)
    value = f"{nonce}.{_mac(_secret(request), token, nonce)}"
    queue_cookie(request, ANSWERED_COOKIE, value, max_age=ANSWERED_DAYS * 86400, path=f"/s/{token}")


def answered_here(request: Request, token: str) -> bool:
    """Whether this browser already sent answers through link ``token`` (a valid cookie)."""
    value = request.cookies.get(ANSWERED_COOKIE)
    if not value:
        return False
    nonce, _, mac = value.partition(".")
    expected = _mac(_secret(request), token, nonce)
    return bool(nonce) and hmac.compare_digest(mac.encode(), expected.encode())


def answered_before(request: Request, link: Link, token: str) -> bool:
    """Whether this browser already answered through ``link`` (a location link)."""
    return not link.personal and answered_here(request, token)


def answered_page(
    request: Request, link: Link, token: str, lang: str, status_code: int = 200
) -> Response:
    """The thank-you page for a browser that already answered through this location link
    (409 when it tries to save or send again: nothing is stored)."""
    context = thanks_context(link, token, lang, True, answered_here=True)
    if status_code != 200:
        context["submitted"] = False
        context["error"] = {"status": status_code, "code": "already_answered"}
    return render(request, "survey/thanks.html", context, status_code=status_code)
