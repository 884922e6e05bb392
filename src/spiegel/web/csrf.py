"""CSRF protection for every form: a signed double-submit token.

The browser holds a random secret in the ``spiegel_csrf`` cookie (HttpOnly, SameSite=Lax);
each form carries ``HMAC-SHA256(secret_key, "csrf|" + that secret)``. A POST is accepted
only when the token it carries (form field ``csrf_token`` or header ``X-CSRF-Token``)
matches its cookie. Another site can neither read the cookie nor compute the token
without the server's key, so it cannot forge a valid POST. Nothing is stored on the
server. When staff sessions arrive, the session id can be mixed into the MAC the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import Request

from spiegel.web.render import queue_cookie

__all__ = ["CSRF_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "csrf_token", "csrf_valid"]

CSRF_COOKIE = "spiegel_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SECRET_LENGTH = 32  # characters of token_urlsafe(24)


def _sign(secret_key: str, secret: str) -> str:
    mac = hmac.new(secret_key.encode(), f"csrf|{secret}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def _cookie_secret(request: Request) -> str | None:
    secret = request.cookies.get(CSRF_COOKIE)
    return secret if secret and len(secret) == _SECRET_LENGTH else None


def csrf_token(request: Request) -> str:
    """The token to put in this request's forms; sets the cookie when the browser has none."""
    secret = getattr(request.state, "csrf_secret", None) or _cookie_secret(request)
    if secret is None:
        secret = secrets.token_urlsafe(24)
        queue_cookie(request, CSRF_COOKIE, secret)
    request.state.csrf_secret = secret
    return _sign(request.app.state.settings.secret_key, secret)


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """Whether ``submitted`` (or the ``X-CSRF-Token`` header) matches the cookie."""
    token = submitted or request.headers.get(CSRF_HEADER)
    secret = _cookie_secret(request)
    if not token or secret is None:
        return False
    expected = _sign(request.app.state.settings.secret_key, secret)
    return hmac.compare_digest(token.encode(), expected.encode())
