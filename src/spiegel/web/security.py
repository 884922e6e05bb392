"""Security headers on every response, and survey tokens kept out of the logs.

* ``Content-Security-Policy``: only our own scripts, styles and images; no inline script
  or style, no framing, forms post only to us.
* ``Referrer-Policy: no-referrer``: a survey address holds its token; no other site may
  see it in a ``Referer`` header.
* ``Cache-Control: no-store`` on pages (answers must not stay in a shared device's cache);
  static files, whose addresses carry a content hash, are cached for a year.
* The access log shows ``/s/…`` instead of a survey link's token, and ``-`` instead of
  the address of whoever follows a survey link.
"""

from __future__ import annotations

import logging
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["REDACTED", "SecurityHeaders", "TokenRedactingFilter", "redact_path"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
REDACTED = "/s/…"
_TOKEN_PATH = re.compile(r"/s/[^/?\s\"]+")


def redact_path(path: str) -> str:
    """``path`` with a survey link's token replaced by ``…``."""
    return _TOKEN_PATH.sub(REDACTED, path)


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above (cheaper than ``BaseHTTPMiddleware``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [h for h in HEADERS if h[0] not in present]
                if b"cache-control" not in present:
                    extra.append(
                        (b"cache-control", b"public, max-age=31536000, immutable")
                        if static
                        else (b"cache-control", b"no-store")
                    )
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenRedactingFilter(logging.Filter):
    """Replaces survey tokens in log records (uvicorn's access log passes the path as an
    argument), and in the access log the address of a respondent (a request to a survey
    link) by ``-``: Spiegel keeps no address of the people who answer."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            survey = any(isinstance(a, str) and "/s/" in a for a in record.args)
            record.args = tuple(
                redact_path(a) if isinstance(a, str) and "/s/" in a else a for a in record.args
            )
            if survey and record.name == "uvicorn.access" and record.args:
                record.args = ("-", *record.args[1:])
        if isinstance(record.msg, str) and "/s/" in record.msg:
            record.msg = redact_path(record.msg)
        return True
