"""Known browsers: a browser that logged in to an account is remembered for that account,
so that throttling aimed at many accounts at once (one client address, or every address)
does not keep its user out (see :mod:`spiegel.services.login_throttle`).

The cookie ``spiegel_known`` holds ``ISSUED.MAC``: when it was set (Unix seconds) and
HMAC-SHA256(secret key, ``"known-browser|" + e-mail address + "|" + ISSUED``), URL-safe
base64. It names no one (the address is only inside the MAC), so it tells nobody which
accounts exist; it is HttpOnly, sent only to ``/login`` and lasts :data:`KNOWN_FOR`. A
browser is known for one account, the last that logged in with it. Logging out keeps it;
a new secret key forgets every browser.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import time

from fastapi import Request

from spiegel.services.users import normalise_email
from spiegel.web.render import queue_cookie

__all__ = ["KNOWN_BROWSER_COOKIE", "KNOWN_FOR", "is_known_browser", "remember_browser"]

KNOWN_BROWSER_COOKIE = "spiegel_known"
KNOWN_FOR = dt.timedelta(days=90)
_PATH = "/login"


def _mac(secret_key: str, email: str, issued: int) -> str:
    message = f"known-browser|{normalise_email(email)}|{issued}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def is_known_browser(request: Request, email: str) -> bool:
    """Whether this browser logged in to ``email`` within :data:`KNOWN_FOR`."""
    issued_text, _, mac = request.cookies.get(KNOWN_BROWSER_COOKIE, "").partition(".")
    if not issued_text.isascii() or not issued_text.isdigit() or len(issued_text) > 12:
        return False
    issued, now = int(issued_text), time.time()
    if not now - KNOWN_FOR.total_seconds() < issued <= now + 60:
        return False
    expected = _mac(request.app.state.settings.secret_key, email, issued)
    return hmac.compare_digest(mac.encode(), expected.encode())


def remember_browser(request: Request, email: str) -> None:
    """Set the cookie that makes this browser known for ``email``."""
    issued = int(time.time())
    value = f"{issued}.{_mac(request.app.state.settings.secret_key, email, issued)}"
    max_age = int(KNOWN_FOR.total_seconds())
    queue_cookie(request, KNOWN_BROWSER_COOKIE, value, max_age=max_age, path=_PATH)
