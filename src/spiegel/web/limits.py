"""What a request may send, checked before anything is parsed or stored.

* :class:`BodyLimit` (ASGI middleware): a body over the size limit ends in a 413 that is
  rendered like every other error (HTML page or JSON), and that arrives: the rest of the
  body is read and dropped before the response ends, so the server does not close a
  connection the client is still sending on (which would reset it, and the client would
  see a network error instead of the 413).
* :func:`parse_json_object`: a JSON body nested at most :data:`MAX_JSON_DEPTH` levels
  deep (counted before parsing, so no parser recursion can be exhausted), valid UTF-8,
  an object.
* :func:`check_text`: no text that a database cannot store: NUL characters (PostgreSQL
  refuses them in text) and lone surrogates (halves of a UTF-16 pair, which cannot be
  encoded as UTF-8; JSON can carry them as ``"\\ud800"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spiegel.web.errors import (
    BodyTooLarge,
    InvalidJson,
    InvalidText,
    JsonNotAnObject,
    JsonTooDeep,
)

__all__ = [
    "DRAIN_BYTES",
    "DRAIN_SECONDS",
    "MAX_JSON_DEPTH",
    "BodyLimit",
    "check_text",
    "json_too_deep",
    "parse_json_object",
    "printable",
]

MAX_JSON_DEPTH = 32
"""Nesting levels a JSON body may have; the body object itself is level 1."""
DRAIN_BYTES = 32_000_000
"""Of a body over the limit, at most this much is read and dropped before the response
ends (a longer one is left to the server, which may close the connection)."""
DRAIN_SECONDS = 30.0
"""How long at most to wait for the rest of a body over the limit."""

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


# --------------------------------------------------------------------------- body size


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with :class:`~spiegel.web.errors.BodyTooLarge`
    (raised when the application reads the body, so the application's error handler shows
    it), and drop an unread rest of the body before the response ends.

    A declared ``Content-Length`` over the limit is refused before anything is read; a
    client that sent ``Expect: 100-continue`` then never sends the body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _Guard(scope, receive, send, self.max_bytes)
        await self.app(scope, guard.receive, guard.send)


class _Guard:
    """One request's body: counts what arrives, refuses too much, drains the rest."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, max_bytes: int) -> None:
        headers = Headers(scope=scope)
        self._receive = receive
        self._send = send
        self.max_bytes = max_bytes
        self.declared = _content_length(headers)
        self.waits_for_continue = headers.get("expect", "").lower() == "100-continue"
        self.asked = False  # the application asked for the body
        self.received = 0
        # HTTP/1.1: a request with neither header has no body.
        self.complete = self.declared == 0 or (
            self.declared is None and "transfer-encoding" not in headers
        )

    def _too_large(self) -> BodyTooLarge:
        return BodyTooLarge(params={"limit": f"{self.max_bytes / 1_000_000:g} MB"})

    async def receive(self) -> Message:
        if self.declared is not None and self.declared > self.max_bytes:
            raise self._too_large()
        self.asked = True
        message = await self._next()
        if self.received > self.max_bytes:
            raise self._too_large()
        return message

    async def _next(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        else:  # http.disconnect
            self.complete = True
        return message

    def _should_drain(self) -> bool:
        if self.complete or (self.waits_for_continue and not self.asked):
            return False  # nothing more will come (the client waits for "100 Continue")
        return self.declared is None or self.declared <= DRAIN_BYTES

    async def send(self, message: Message) -> None:
        last = message["type"] == "http.response.body" and not message.get("more_body", False)
        if not last or not self._should_drain():
            await self._send(message)
            return
        # The response goes out now; it ends only once the client has sent everything.
        await self._send({**message, "more_body": True})
        with anyio.move_on_after(DRAIN_SECONDS):
            while not self.complete and self.received <= DRAIN_BYTES:
                await self._next()
        await self._send({"type": "http.response.body", "body": b"", "more_body": False})


def _content_length(headers: Headers) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


# --------------------------------------------------------------------------- JSON and text


def json_too_deep(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests more than ``limit`` levels deep (brackets inside strings
    do not count). Cheap: a body with few brackets is not scanned at all, and the scan
    stops at the first level too deep. For text that is not valid JSON the answer may be
    wrong, but the parser then refuses the text anyway."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for char in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse_json_object(raw: bytes) -> dict[str, object]:
    """The JSON object in ``raw`` (UTF-8). Raises :class:`~spiegel.web.errors.InvalidJson`
    (with line and column), :class:`~spiegel.web.errors.JsonTooDeep` or
    :class:`~spiegel.web.errors.JsonNotAnObject`; its text is checked by :func:`check_text`."""
    if not raw.strip():
        return {}  # no body: no fields
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw[: exc.start].decode("utf-8", "replace"))
        raise _invalid_json("not UTF-8 text", line, column) from None
    if json_too_deep(text, MAX_JSON_DEPTH):
        raise JsonTooDeep(params={"max": MAX_JSON_DEPTH}, details={"max_depth": MAX_JSON_DEPTH})
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid_json(exc.msg, exc.lineno, exc.colno) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise _invalid_json(str(exc), 1, 1) from None
    if not isinstance(data, dict):
        raise JsonNotAnObject(details={"field": None})
    return data


def _position(text: str) -> tuple[int, int]:
    """Line and column just after ``text`` (both counted from 1)."""
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1


def _invalid_json(reason: str, line: int, column: int) -> InvalidJson:
    return InvalidJson(
        params={"reason": reason, "line": line, "column": column},
        details={"line": line, "column": column},
    )


def printable(name: str) -> str:
    """``name`` with characters that cannot be shown written as ``\\uXXXX``."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)


def check_text(fields: Mapping[str, object]) -> None:
    """Raise :class:`~spiegel.web.errors.InvalidText` naming the first field of ``fields``
    whose name or text (at any depth) holds a NUL character or a lone surrogate."""
    for name, value in fields.items():
        if _UNSTORABLE.search(name) or _holds_unstorable(value):
            field = printable(name)
            raise InvalidText(params={"field": field}, details={"field": field})


def _holds_unstorable(value: object) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_UNSTORABLE.search(k) or _holds_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(v) for v in value)
    return False
