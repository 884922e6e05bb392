"""The submission limits on their own: buckets that refill, client networks, memory."""

from __future__ import annotations

import ipaddress

import pytest

from spiegel.web import rate_limits as limits
from spiegel.web.rate_limits import SubmitLimits, client_network, minutes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fill(limiter: SubmitLimits, keys: tuple[bytes, bytes | None]) -> int:
    """Responses stored at the current moment until the limiter says wait."""
    stored = 0
    while limiter.wait(keys) == 0:
        limiter.take(keys)
        stored += 1
    return stored


def test_a_bucket_takes_its_limit_at_once_then_refills_by_the_hour() -> None:
    clock = Clock()
    limiter = SubmitLimits(per_link=1000, per_client=60, clock=clock)
    keys = limiter.keys("token-a", "192.0.2.10")
    assert _fill(limiter, keys) == 60
    assert limiter.wait(keys) == 60  # one more per minute
    clock.now += 59
    assert limiter.wait(keys) == 1
    clock.now += 1
    assert _fill(limiter, keys) == 1
    clock.now += 30 * 60
    assert _fill(limiter, keys) == 30
    clock.now += 3600  # an hour later the bucket is full again
    assert _fill(limiter, keys) == 60


def test_the_link_limit_binds_a_crowd_of_addresses() -> None:
    clock = Clock()
    limiter = SubmitLimits(per_link=10, per_client=60, clock=clock)
    stored = 0
    for i in range(30):
        keys = limiter.keys("token-a", f"203.0.113.{i}")
        stored += _fill(limiter, keys)
    assert stored == 10
    assert limiter.wait(limiter.keys("token-a", "198.51.100.1")) == 360
    assert limiter.wait(limiter.keys("token-b", "198.51.100.1")) == 0


def test_addresses_count_per_link_and_ipv6_per_network() -> None:
    clock = Clock()
    limiter = SubmitLimits(per_link=1000, per_client=3, clock=clock)
    assert _fill(limiter, limiter.keys("a", "2001:db8:1:2::1")) == 3
    # Another address in the same /64 is the same client; another /64 is not.
    assert limiter.wait(limiter.keys("a", "2001:db8:1:2:ffff::9")) > 0
    assert limiter.wait(limiter.keys("a", "2001:db8:1:3::1")) == 0
    # The same client through another link starts afresh.
    assert limiter.wait(limiter.keys("b", "2001:db8:1:2::1")) == 0
    assert _fill(limiter, limiter.keys("a", "::ffff:192.0.2.1")) == 3
    assert limiter.wait(limiter.keys("a", "192.0.2.1")) > 0
    # Without an address only the link's limit applies.
    assert limiter.keys("a", None)[1] is None


def test_client_networks() -> None:
    assert client_network("192.0.2.1") == ipaddress.ip_address("192.0.2.1").packed
    assert client_network("2001:db8::1") == client_network("2001:db8::ffff:1")
    assert len(client_network("2001:db8::1")) == 8
    assert client_network("testclient") == b"testclient"


def test_nothing_about_a_client_is_kept_in_the_clear() -> None:
    first = SubmitLimits(per_link=10, per_client=10)
    second = SubmitLimits(per_link=10, per_client=10)
    link, client = first.keys("token-a", "192.0.2.77")
    assert client is not None and len(client) == 16 and len(link) == 16
    assert ipaddress.ip_address("192.0.2.77").packed not in client
    assert b"token-a" not in link
    # A new process draws a new key: the same address hashes differently.
    assert second.keys("token-a", "192.0.2.77") != (link, client)


def test_zero_is_no_limit() -> None:
    clock = Clock()
    limiter = SubmitLimits(per_link=0, per_client=0, clock=clock)
    keys = limiter.keys("a", "192.0.2.1")
    for _ in range(1000):
        assert limiter.wait(keys) == 0
        limiter.take(keys)
    assert limiter.entries() == 0


def test_full_buckets_are_forgotten_and_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    limiter = SubmitLimits(per_link=100_000, per_client=10, clock=clock)
    for i in range(1500):
        limiter.take(limiter.keys("a", f"10.0.{i // 256}.{i % 256}"))
    assert limiter.entries() == 1 + 1500
    clock.now += 3600  # every bucket full again: the next sweep forgets them
    for i in range(1100):
        limiter.take(limiter.keys("b", f"10.1.{i // 256}.{i % 256}"))
    assert limiter.entries() < 1500
    # Under a flood of fresh addresses the oldest buckets go first.
    monkeypatch.setattr(limits, "MAX_ENTRIES", 50)
    flooded = SubmitLimits(per_link=100_000, per_client=1, clock=clock)
    for i in range(5000):
        flooded.take(flooded.keys("c", f"10.2.{i // 256}.{i % 256}"))
        assert flooded.entries() <= 1 + 1024
    assert flooded.wait(flooded.keys("c", "10.2.19.135")) > 0  # the newest is kept
    assert flooded.wait(flooded.keys("c", "10.2.0.0")) == 0  # the oldest forgotten


def test_minutes_to_wait() -> None:
    assert [minutes(s) for s in (1, 59, 60, 61, 3600)] == [1, 1, 1, 2, 60]
