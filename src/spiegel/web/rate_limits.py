"""Rate limits on submissions through location links, kept in memory only.

Two limits apply to every response a location link stores: one for the link as a whole
and one for each client address on that link. Each is a bucket of ``limit`` responses
that refills at ``limit`` per hour (the generic cell rate algorithm: one number per key,
the moment the bucket would be full again). A link's crowd may therefore send ``limit``
responses at once, then ``limit`` an hour.

Only stored responses count: a refused answer, a retry of a stored one or a request to
an unknown link costs nothing and creates no entry.

What is kept about a client: a 16-byte keyed hash (BLAKE2b) of the link's token and the
client's address, the key drawn at random when the process starts and never written
anywhere. An IPv6 address counts by its /64 network (one household or phone can pick
any address in it). Nothing here is logged or stored in the database, and an entry
disappears once its bucket is full again. The limits hold per worker process: with
``spiegel serve --workers N`` a client whose requests reach several workers gets up to
``N`` times as many through (the defaults in :mod:`spiegel.config` are sized so that even
one worker lets a real crowd through).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import threading
import time
from collections.abc import Callable

from starlette.requests import Request

from spiegel.web.errors import AppError
from spiegel.web.i18n import N_

__all__ = ["SubmitLimits", "TooManySubmissions", "client_network", "minutes"]

HOUR = 3600.0
MAX_ENTRIES = 100_000
"""Buckets of each kind kept by a sweep; beyond it the oldest are forgotten. A process
holds at most about twice this many of each (some 150 bytes apiece: tens of megabytes
at worst; a real survey needs a few thousand)."""

TOO_MANY = N_(
    "This survey link has received a great many answers in a short time, so yours could "
    "not be taken just now. Please try again in about {minutes} min."
)


class TooManySubmissions(AppError):
    """Over a submission limit: 429 with ``Retry-After``."""

    status_code = 429
    code = "too_many_submissions"
    title = N_("Please try again in a moment")
    message = TOO_MANY

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            params={"minutes": minutes(retry_after)},
            headers={"Retry-After": str(retry_after)},
        )


def minutes(seconds: int) -> int:
    """Whole minutes to tell someone who must wait ``seconds`` (at least 1)."""
    return max(1, math.ceil(seconds / 60))


def client_network(host: str) -> bytes:
    """The part of a client address that identifies one client: an IPv4 address, or the
    /64 network of an IPv6 address (IPv4-mapped ones count as IPv4). Anything that is not
    an address (a test client's name) counts as itself."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host.encode()
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped.packed
        return address.packed[:8]
    return address.packed


class _Buckets:
    """Buckets of ``limit`` that refill at ``limit`` per hour, by key (GCRA)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._interval = HOUR / limit if limit else 0.0
        self._tolerance = (limit - 1) * self._interval
        self._full_at: dict[bytes, float] = {}
        self._sweep_at = 1024

    def wait(self, key: bytes, now: float) -> float:
        """Seconds until ``key`` may store one more response (0: now)."""
        if not self.limit:
            return 0.0
        full_at = self._full_at.get(key)
        if full_at is None:
            return 0.0
        return max(0.0, full_at - self._tolerance - now)

    def take(self, key: bytes, now: float) -> None:
        """Count one stored response for ``key`` (call with the lock held)."""
        if not self.limit:
            return
        self._full_at[key] = max(self._full_at.get(key, now), now) + self._interval
        if len(self._full_at) >= self._sweep_at:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Forget full buckets; beyond :data:`MAX_ENTRIES`, the oldest ones too."""
        self._full_at = {k: t for k, t in self._full_at.items() if t > now}
        excess = len(self._full_at) - MAX_ENTRIES
        if excess > 0:
            for key in list(self._full_at)[:excess]:
                del self._full_at[key]
        self._sweep_at = max(1024, 2 * len(self._full_at))

    def __len__(self) -> int:
        return len(self._full_at)


class SubmitLimits:
    """The submission limits of one worker process (see the module's description).

    ``per_link`` and ``per_client`` are responses per hour (0: no limit). Ask
    :meth:`wait` before storing a response, and call :meth:`take` once it is stored.
    """

    def __init__(
        self,
        per_link: int,
        per_client: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._key = secrets.token_bytes(32)
        self._links = _Buckets(per_link)
        self._clients = _Buckets(per_client)
        self._clock = clock
        self._lock = threading.Lock()

    def keys(self, token: str, host: str | None) -> tuple[bytes, bytes | None]:
        """The keys of a link and of a client on that link (``None``: no address known)."""
        link = hashlib.blake2b(token.encode(), key=self._key, digest_size=16).digest()
        if host is None:
            return link, None
        client = hashlib.blake2b(
            link + b"|" + client_network(host), key=self._key, digest_size=16
        ).digest()
        return link, client

    def keys_of(self, request: Request, token: str) -> tuple[bytes, bytes | None]:
        """:meth:`keys` for the request's client address."""
        return self.keys(token, request.client.host if request.client else None)

    def wait(self, keys: tuple[bytes, bytes | None]) -> int:
        """Whole seconds until one more response may be stored (0: now)."""
        now = self._clock()
        link, client = keys
        seconds = self._links.wait(link, now)
        if client is not None:
            seconds = max(seconds, self._clients.wait(client, now))
        return math.ceil(seconds)

    def take(self, keys: tuple[bytes, bytes | None]) -> None:
        """Count one stored response for the link and the client."""
        link, client = keys
        with self._lock:
            now = self._clock()
            self._links.take(link, now)
            if client is not None:
                self._clients.take(client, now)

    def entries(self) -> int:
        """Buckets held in memory (links and clients)."""
        return len(self._links) + len(self._clients)
