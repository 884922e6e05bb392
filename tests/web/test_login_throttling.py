"""Login throttling against password spraying: one e-mail address from one client
address, one client address across accounts, and all addresses together; browsers that
logged in before; the client address behind a proxy (``spiegel serve
--forwarded-allow-ips``)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from spiegel.cli import app as cli_app
from spiegel.config import Settings
from spiegel.services import login_throttle
from spiegel.services.login_throttle import (
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    MAX_GLOBAL_FAILURES,
    LoginThrottled,
)
from spiegel.services.users import LoginRefused, authenticate
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import LoginAttempt
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE
from spiegel.web.known_browsers import KNOWN_BROWSER_COOKIE
from tests.web.helpers import STAFF_PASSWORD, post_login

WRONG = "Winter2026!-wrong"
PAUSED = (
    "There have been too many failed attempts to log in. For your security, logging in is "
    "paused for 15 minutes. Please try again later."
)

ClientAt = Callable[[str], TestClient]


@pytest.fixture
def client_at(settings: Settings, engine: Engine) -> Iterator[ClientAt]:
    """Browsers on one app, each connecting from the client address given."""
    app = create_app(settings, engine=engine)
    with ExitStack() as stack:

        def at(address: str) -> TestClient:
            client = TestClient(app, base_url="http://testserver", client=(address, 50000))
            return stack.enter_context(client)

        yield at


def _failures(engine: Engine) -> list[tuple[str, str]]:
    with transaction(engine) as s:
        return [(e, ip) for e, ip in s.execute(select(LoginAttempt.email, LoginAttempt.ip))]


def _age_failures(engine: Engine) -> None:
    """Move every recorded failure out of the throttling window."""
    with transaction(engine) as s:
        s.execute(update(LoginAttempt).values(at=LoginAttempt.at - dt.timedelta(minutes=16)))


def _paused(result: tuple[int, object, dict[str, str]]) -> bool:
    status, page, headers = result
    if status != 429:
        return False
    assert 14 * 60 < int(headers["retry-after"]) <= 15 * 60 + 1
    assert page is not None and page.text('[role="alert"]') == PAUSED  # type: ignore[attr-defined]
    return True


def test_one_address_cannot_try_a_password_on_many_accounts(
    client_at: ClientAt, engine: Engine, staff: dict[str, str]
) -> None:
    sprayer = client_at("198.51.100.7")
    unknown = [f"nobody{i}@example.org" for i in range(15)]
    targets = [unknown[0], *staff.values(), *unknown[1:]]  # 20 addresses, one try each
    results = [post_login(sprayer, email, WRONG) for email in targets]
    assert [r[0] for r in results[:MAX_ADDRESS_FAILURES]] == [400] * MAX_ADDRESS_FAILURES
    assert all(_paused(r) for r in results[MAX_ADDRESS_FAILURES:])
    # The same answer for a real account and an unknown address.
    assert targets[MAX_ADDRESS_FAILURES] in unknown and staff["member"] in targets[:6]
    assert _paused(post_login(sprayer, staff["member"], WRONG))
    # Only failures are counted; refusals while paused are not.
    assert len(_failures(engine)) == MAX_ADDRESS_FAILURES
    # The right password from that address waits too (a new browser there) ...
    assert _paused(post_login(client_at("198.51.100.7"), staff["admin"], STAFF_PASSWORD))
    # ... while another address is not held up.
    assert post_login(client_at("198.51.100.8"), staff["admin"], STAFF_PASSWORD)[0] == 303
    _age_failures(engine)
    assert post_login(client_at("198.51.100.7"), staff["admin"], STAFF_PASSWORD)[0] == 303


def test_a_browser_that_logged_in_before_is_not_held_up_by_others(
    client_at: ClientAt, engine: Engine, staff: dict[str, str]
) -> None:
    office = "192.0.2.20"  # one address for a whole office (NAT)
    manager = client_at(office)
    assert post_login(manager, staff["manager"], STAFF_PASSWORD)[0] == 303
    cookie = manager.cookies.get(KNOWN_BROWSER_COOKIE)
    assert cookie and staff["manager"] not in cookie
    manager.cookies.delete(SESSION_COOKIE)  # logged out; the browser stays known
    intruder = client_at(office)
    for i in range(MAX_ADDRESS_FAILURES):
        assert post_login(intruder, f"guess{i}@example.org", WRONG)[0] == 400
    assert _paused(post_login(intruder, staff["manager"], STAFF_PASSWORD))
    assert _paused(post_login(client_at(office), staff["analyst"], STAFF_PASSWORD))
    assert post_login(manager, staff["manager"], STAFF_PASSWORD)[0] == 303
    manager.cookies.delete(SESSION_COOKIE)
    # The cookie is for the account that logged in: not another, nor copied or forged.
    assert _paused(post_login(manager, staff["analyst"], STAFF_PASSWORD))
    copied = client_at(office)
    copied.cookies.set(KNOWN_BROWSER_COOKIE, str(cookie), path="/login")
    assert post_login(copied, staff["manager"], STAFF_PASSWORD)[0] == 303
    copied.cookies.delete(SESSION_COOKIE)
    assert _paused(post_login(copied, staff["analyst"], STAFF_PASSWORD))
    forged = client_at(office)
    issued, _, mac = str(cookie).partition(".")
    forged.cookies.set(KNOWN_BROWSER_COOKIE, f"{int(issued) + 1}.{mac}", path="/login")
    assert _paused(post_login(forged, staff["manager"], STAFF_PASSWORD))
    # The rule for one e-mail address from one client address still holds.
    for _ in range(MAX_FAILURES):
        assert post_login(manager, staff["manager"], WRONG)[0] == 400
    assert _paused(post_login(manager, staff["manager"], STAFF_PASSWORD))


def test_a_known_browser_is_paused_once_its_account_is_under_attack(
    client_at: ClientAt, engine: Engine, staff: dict[str, str]
) -> None:
    """A stolen known-browser cookie does not buy unlimited guesses from many addresses:
    after as many failures for its account as one address may make, the browser is
    treated like any other."""
    office = "192.0.2.30"
    manager = client_at(office)
    assert post_login(manager, staff["manager"], STAFF_PASSWORD)[0] == 303
    manager.cookies.delete(SESSION_COOKIE)
    intruder = client_at(office)
    for i in range(MAX_ADDRESS_FAILURES):
        assert post_login(intruder, f"guess{i}@example.org", WRONG)[0] == 400
    for i in range(MAX_ADDRESS_FAILURES - 1):  # one try each from many addresses
        assert post_login(client_at(f"203.0.113.{i + 1}"), staff["manager"], WRONG)[0] == 400
    assert post_login(manager, staff["manager"], WRONG)[0] == 400
    assert _paused(post_login(manager, staff["manager"], STAFF_PASSWORD))
    assert post_login(client_at("192.0.2.31"), staff["manager"], STAFF_PASSWORD)[0] == 303


def test_failures_from_many_addresses_pause_new_browsers_only(
    client_at: ClientAt, engine: Engine, staff: dict[str, str]
) -> None:
    analyst = client_at("192.0.2.40")
    assert post_login(analyst, staff["analyst"], STAFF_PASSWORD)[0] == 303
    analyst.cookies.delete(SESSION_COOKIE)
    # A spray from a botnet: each address and each account stays below its own limit.
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as s:
        s.add_all(
            LoginAttempt(email=f"u{i % 50}@example.org", ip=f"10.{i // 200}.{i % 200}.1", at=now)
            for i in range(MAX_GLOBAL_FAILURES - 1)
        )
    assert post_login(client_at("10.99.0.1"), staff["admin"], WRONG)[0] == 400
    assert _paused(post_login(client_at("10.99.0.2"), staff["admin"], STAFF_PASSWORD))
    assert _paused(post_login(client_at("10.99.0.3"), "nobody@example.org", WRONG))
    assert len(_failures(engine)) == MAX_GLOBAL_FAILURES
    # Someone logging in from a browser they used before is not held up.
    assert post_login(analyst, staff["analyst"], STAFF_PASSWORD)[0] == 303
    _age_failures(engine)
    assert post_login(client_at("10.99.0.2"), staff["admin"], STAFF_PASSWORD)[0] == 303


def test_json_clients_are_paused_with_retry_after(
    client_at: ClientAt, engine: Engine, staff: dict[str, str]
) -> None:
    client = client_at("198.51.100.9")
    json = {"accept": "application/json"}
    for i in range(MAX_ADDRESS_FAILURES):
        assert post_login(client, f"x{i}@example.org", WRONG, headers=json)[0] == 400
    status, _, headers = post_login(client, staff["admin"], STAFF_PASSWORD, headers=json)
    assert status == 429 and 14 * 60 < int(headers["retry-after"]) <= 15 * 60 + 1


def test_a_burst_of_parallel_attempts_cannot_pass_the_limit(
    engine: Engine, world: object, fast_passwords: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attempts that arrive together all find fewer failures than the limit at first; each
    is checked again and counted one at a time before its password is checked, so no more
    than the limit get a check."""
    attempts = MAX_ADDRESS_FAILURES + 4  # each holds a connection: fewer than SQLite's 15
    together = threading.Barrier(attempts, timeout=30)
    first_look = threading.local()
    paused_until = login_throttle.paused_until

    def look_together(*args: object) -> object:
        found = paused_until(*args)  # type: ignore[arg-type]
        if not getattr(first_look, "done", False):
            first_look.done = True
            together.wait()  # every attempt has looked before any goes on
        return found

    monkeypatch.setattr(login_throttle, "paused_until", look_together)
    outcomes: list[str] = []

    def attempt(i: int) -> None:
        with session_factory(engine)() as s:
            try:
                authenticate(s, f"target{i}@example.org", WRONG, "198.51.100.50")
            except LoginRefused:
                outcomes.append("refused")
            except LoginThrottled:
                outcomes.append("throttled")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == attempts
    assert outcomes.count("refused") == MAX_ADDRESS_FAILURES
    with transaction(engine) as s:
        recorded = s.scalar(select(func.count()).select_from(LoginAttempt))
    assert recorded == MAX_ADDRESS_FAILURES


# --------------------------------------------------------------------------- behind a proxy


def _uvicorn_options(monkeypatch: pytest.MonkeyPatch, db_url: str, *args: str) -> dict[str, object]:
    """What ``spiegel serve ARGS`` hands to uvicorn (which is not started)."""
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append(kw))
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    result = CliRunner().invoke(cli_app, ["serve", *args])
    assert result.exit_code == 0, result.output
    [options] = calls
    return options


def test_serve_trusts_proxy_headers_only_from_the_given_addresses(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    options = _uvicorn_options(monkeypatch, db_url, "--forwarded-allow-ips", "10.0.0.1")
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == "10.0.0.1"
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert _uvicorn_options(monkeypatch, db_url)["forwarded_allow_ips"] is None  # 127.0.0.1
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "172.18.0.0/16, ::1")
    assert _uvicorn_options(monkeypatch, db_url)["forwarded_allow_ips"] == "172.18.0.0/16, ::1"
    # A mistyped address would silently trust no proxy in uvicorn.
    for wrong in ("10.0.0.300", "10.0.0.1/16", "proxy.local"):
        result = CliRunner().invoke(cli_app, ["serve", "--forwarded-allow-ips", wrong])
        assert result.exit_code == 2 and "is not an IP address or network" in result.output


def test_behind_a_trusted_proxy_each_client_address_is_throttled_on_its_own(
    monkeypatch: pytest.MonkeyPatch,
    db_url: str,
    settings: Settings,
    engine: Engine,
    staff: dict[str, str],
) -> None:
    options = _uvicorn_options(monkeypatch, db_url, "--forwarded-allow-ips", "10.0.0.1")
    # The app as uvicorn serves it with these options (its proxy-headers middleware).
    config = uvicorn.Config(
        create_app(settings, engine=engine),
        proxy_headers=bool(options["proxy_headers"]),
        forwarded_allow_ips=options["forwarded_allow_ips"],  # type: ignore[arg-type]
        log_config=None,
    )
    config.load()

    def browser(address: str) -> TestClient:
        return TestClient(config.loaded_app, base_url="http://testserver", client=(address, 1))

    def via(address: str) -> dict[str, str]:
        return {"x-forwarded-for": address}

    with browser("10.0.0.1") as proxy:
        for i in range(MAX_ADDRESS_FAILURES):
            assert post_login(proxy, f"x{i}@example.org", WRONG, via("203.0.113.5"))[0] == 400
        assert _paused(post_login(proxy, staff["admin"], STAFF_PASSWORD, via("203.0.113.5")))
        assert post_login(proxy, staff["admin"], STAFF_PASSWORD, via("203.0.113.6"))[0] == 303
    assert {ip for _, ip in _failures(engine)} == {"203.0.113.5"}
    # Another machine cannot pick its address by sending the header itself.
    with browser("10.0.0.99") as other:
        for i in range(MAX_ADDRESS_FAILURES):
            spoofed = via(f"203.0.113.{100 + i}")
            assert post_login(other, f"y{i}@example.org", WRONG, spoofed)[0] == 400
        assert _paused(post_login(other, staff["analyst"], STAFF_PASSWORD, via("203.0.113.7")))
    assert {ip for _, ip in _failures(engine)} == {"203.0.113.5", "10.0.0.99"}
