"""Staff login: sessions, cookies, throttling, disabled users, CSRF, API tokens, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from spiegel.cli import app as cli_app
from spiegel.config import Settings
from spiegel.services import users as users_service
from spiegel.services.users import (
    MAX_FAILURES,
    create_token,
    disable_user,
    find_user,
    hash_password,
    verify_password,
)
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import ApiToken, LoginAttempt, StaffSession, StaffUser
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE
from spiegel.web.routers.auth import safe_next
from tests.web.conftest import World
from tests.web.helpers import STAFF_PASSWORD, Html, csrf_of, login_as, post_login

EN = {"accept-language": "en"}


def _sessions(engine: Engine) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(StaffSession)) or 0)


# --------------------------------------------------------------------------- login, logout


def test_login_and_logout(client: TestClient, engine: Engine, staff: dict[str, str]) -> None:
    assert client.get("/api/me").status_code == 401
    page = Html.of(client.get("/login", headers=EN))
    assert page.text("h1") == "Log in"
    assert page.attr('input[name="email"]', "autocomplete") == "username"
    status, _, headers = post_login(client, staff["manager"], STAFF_PASSWORD, next="/admin")
    assert status == 303 and headers["location"] == "/admin"
    cookie = next(c for c in headers["set-cookie"].split(", spiegel") if SESSION_COOKIE in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in this test; see the HTTPS test
    sid = client.cookies.get(SESSION_COOKIE)
    assert sid and len(sid) >= 40
    me = client.get("/api/me").json()
    assert me["email"] == staff["manager"] and me["role"] == "manager"
    assert _sessions(engine) == 1
    # The session id is not stored, only its hash.
    with transaction(engine) as s:
        assert s.scalar(select(StaffSession.id_hash)) != sid
    logout_page = Html.of(client.get("/logout", headers=EN))
    assert staff["manager"] in logout_page.text("main")
    r = client.post("/logout", data={"csrf_token": logout_page.csrf()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert _sessions(engine) == 0
    assert client.get("/api/me").status_code == 401
    assert client.get("/logout", follow_redirects=False).headers["location"] == "/login"
    # The old cookie does not come back to life.
    client.cookies.set(SESSION_COOKIE, sid)
    assert client.get("/api/me").status_code == 401
    assert Html.of(client.get("/login?logged_out=1", headers=EN)).text(".notice") == (
        "You have logged out."
    )


def test_login_as_json_client(client: TestClient, staff: dict[str, str]) -> None:
    token = csrf_of(client)
    r = client.post(
        "/login",
        json={"email": staff["admin"].upper(), "password": STAFF_PASSWORD, "next": "/admin"},
        headers={"X-CSRF-Token": token, "accept": "application/json"},
    )
    assert r.status_code == 200
    assert r.json()["next"] == "/admin" and r.json()["role"] == "admin"
    assert client.get("/admin", params={"format": "json"}).json()["user"]["role"] == "admin"


def test_secure_cookie_over_https(
    settings: Settings, engine: Engine, staff: dict[str, str]
) -> None:
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="https://testserver") as c:
        status, _, headers = post_login(c, staff["analyst"], STAFF_PASSWORD)
    assert status == 303
    cookie = next(c for c in headers["set-cookie"].split(", spiegel") if SESSION_COOKIE in c)
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_wrong_password_and_unknown_address_look_the_same(
    client: TestClient, engine: Engine, staff: dict[str, str]
) -> None:
    status, page, headers = post_login(client, staff["admin"], "not the password")
    assert status == 400 and page is not None
    message = page.text('[role="alert"]')
    assert message == "The e-mail address or password is not right. Please try again."
    assert page.attr('input[name="email"]', "value") == staff["admin"]
    assert page.attr('input[name="email"]', "aria-invalid") == "true"
    assert SESSION_COOKIE not in headers.get("set-cookie", "")
    status2, page2, _ = post_login(client, "nobody@example.org", "not the password")
    assert status2 == 400 and page2 is not None and page2.text('[role="alert"]') == message
    assert _sessions(engine) == 0
    nl = client.post(
        "/login",
        data={"email": "x@example.org", "password": "y", "csrf_token": csrf_of(client)},
        headers={"accept-language": "nl"},
    )
    assert "wachtwoord" in Html.of(nl).text('[role="alert"]')


def test_login_is_throttled(client: TestClient, engine: Engine, staff: dict[str, str]) -> None:
    email = staff["manager"]
    for _ in range(MAX_FAILURES):
        assert post_login(client, email, "wrong password!")[0] == 400
    status, page, headers = post_login(client, email, STAFF_PASSWORD)
    assert status == 429 and page is not None
    assert "too many failed attempts" in page.text('[role="alert"]')
    assert "15 minutes" in page.text('[role="alert"]')
    assert 14 * 60 < int(headers["retry-after"]) <= 15 * 60 + 1
    assert _sessions(engine) == 0
    # Another address from the same client is not affected.
    assert post_login(client, staff["analyst"], STAFF_PASSWORD)[0] == 303
    client.cookies.delete(SESSION_COOKIE)
    # Once the failures are more than 15 minutes old, the right password works again.
    with transaction(engine) as s:
        s.execute(update(LoginAttempt).values(at=LoginAttempt.at - dt.timedelta(minutes=16)))
    assert post_login(client, email, STAFF_PASSWORD)[0] == 303
    with transaction(engine) as s:  # a successful login clears that address's failures
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_disabled_user_is_logged_out_at_once(
    client: TestClient, engine: Engine, staff: dict[str, str]
) -> None:
    login_as(client, staff["analyst"])
    assert client.get("/api/me").status_code == 200
    with session_factory(engine)() as s:
        # Even without deleting sessions (another worker, a direct update), the next
        # request checks that the user is active.
        s.execute(update(StaffUser).values(active=False).where(StaffUser.email == staff["analyst"]))
        s.commit()
    r = client.get("/api/me/units")
    assert r.status_code == 401
    assert _sessions(engine) == 0
    assert post_login(client, staff["analyst"], STAFF_PASSWORD)[0] == 400


def test_disable_user_ends_sessions(
    client: TestClient, engine: Engine, staff: dict[str, str]
) -> None:
    login_as(client, staff["member"])
    with session_factory(engine)() as s:
        disable_user(s, find_user(s, staff["member"]))
    assert _sessions(engine) == 0
    r = client.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fadmin"


@pytest.mark.parametrize("column", ["expires_at", "last_seen_at"])
def test_sessions_expire(
    client: TestClient, engine: Engine, staff: dict[str, str], column: str
) -> None:
    login_as(client, staff["manager"])
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=13)
    with transaction(engine) as s:
        s.execute(update(StaffSession).values({column: past}))
    assert client.get("/api/me").status_code == 401
    assert _sessions(engine) == 0


def test_login_requires_csrf(client: TestClient, engine: Engine, staff: dict[str, str]) -> None:
    client.get("/login")  # the browser has a CSRF cookie, but the form token is missing
    r = client.post(
        "/login", data={"email": staff["admin"], "password": STAFF_PASSWORD}, headers=EN
    )
    assert r.status_code == 403
    assert Html.of(r).text("h1") == "Please try again"
    forged = client.post(
        "/login",
        data={"email": staff["admin"], "password": STAFF_PASSWORD, "csrf_token": "forged"},
    )
    assert forged.status_code == 403
    assert _sessions(engine) == 0
    login_as(client, staff["admin"])
    assert client.post("/logout", data={}).status_code == 403
    assert _sessions(engine) == 1


def test_login_page_when_logged_in_and_next_is_local(
    client: TestClient, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    r = client.get("/login", params={"next": "/admin/users"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/users"
    for bad in ("https://evil.example", "//evil.example", "/\\evil", "javascript:x", "", None):
        assert safe_next(bad) == "/dash"
    assert safe_next("/") == "/dash"  # the home page is for respondents: staff see results
    assert safe_next("/admin?x=1") == "/admin?x=1"


def test_passwords() -> None:
    with pytest.raises(ValueError, match="at least 10"):
        hash_password("short")
    hashed = hash_password("long enough password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "long enough password")
    assert not verify_password(hashed, "long enough passworD")
    assert not verify_password("not a hash", "x")


# --------------------------------------------------------------------------- API tokens


def test_api_tokens(client: TestClient, engine: Engine, staff: dict[str, str]) -> None:
    with session_factory(engine)() as s:
        token = create_token(s, find_user(s, staff["manager"]), "integration")
    assert token.startswith("sp_") and len(token) > 40
    with transaction(engine) as s:
        stored = s.scalar(select(ApiToken.token_hash))
        assert stored is not None and token not in stored
    auth = {"authorization": f"Bearer {token}"}
    me = client.get("/api/me", headers=auth)
    assert me.status_code == 200 and me.json()["email"] == staff["manager"]
    bad = client.get("/api/me", headers={"authorization": "Bearer sp_not-a-token"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "not_logged_in"
    assert "invalid_token" in bad.headers["www-authenticate"]
    # A token is for the API, not a session: admin pages still want a login.
    assert client.get("/admin", headers=auth, follow_redirects=False).status_code == 303
    with session_factory(engine)() as s:
        s.execute(update(StaffUser).values(active=False).where(StaffUser.email == staff["manager"]))
        s.commit()
    assert client.get("/api/me", headers=auth).status_code == 401
    with session_factory(engine)() as s, pytest.raises(ValueError, match="disabled"):
        create_token(s, find_user(s, staff["manager"]))


def test_tokens_removed_when_user_disabled(engine: Engine, staff: dict[str, str]) -> None:
    with session_factory(engine)() as s:
        user = find_user(s, staff["analyst"])
        token = create_token(s, user)
        disable_user(s, user)
        assert users_service.resolve_token(s, token) is None
        assert s.scalar(select(func.count()).select_from(ApiToken)) == 0


# --------------------------------------------------------------------------- CLI


def test_users_cli(
    monkeypatch: pytest.MonkeyPatch, db_url: str, world: World, fast_passwords: None
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the CLI is database-agnostic; once on SQLite is enough")
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(cli_app, list(args), input=stdin, terminal_width=200)
        return result.exit_code, result.output

    code, out = run(
        "users", "add", "Boss@Example.org", "--role", "admin", stdin="pw-long-enough\n" * 2
    )
    assert code == 0, out
    assert "boss@example.org" in out
    code, out = run(
        "users", "add", "lead@example.org", "--role", "manager", "--unit", "N1",
        "--password-stdin", stdin="another long one\n",
    )  # fmt: skip
    assert code == 0, out
    code, out = run(
        "users", "add", "m@example.org", "--role", "manager", stdin="pw-long-enough\n" * 2
    )
    assert code == 1 and "needs a unit" in out
    code, out = run(
        "users", "add", "boss@example.org", "--role", "admin", stdin="pw-long-enough\n" * 2
    )
    assert code == 1 and "already a user" in out
    code, out = run(
        "users", "add", "x@example.org", "--role", "admin", "--password-stdin", stdin="short\n"
    )
    assert code == 1 and "at least 10" in out
    code, out = run("users", "token", "lead@example.org")
    assert code == 0, out
    token = next(line for line in out.splitlines() if line.startswith("sp_"))
    code, out = run("users", "list")
    assert code == 0 and "lead@example.org" in out and "N1" in out and "all units" in out
    code, out = run("users", "disable", "lead@example.org")
    assert code == 0, out
    code, out = run("users", "list")
    assert "disabled" in out
    code, out = run("users", "disable", "ghost@example.org")
    assert code == 1 and "no user" in out
    engine = __import__("spiegel.store.db", fromlist=["make_engine"]).make_engine(db_url)
    try:
        with session_factory(engine)() as s:
            assert users_service.resolve_token(s, token) is None
            assert (
                users_service.authenticate(
                    s, "boss@example.org", "pw-long-enough", "127.0.0.1"
                ).email
                == "boss@example.org"
            )
    finally:
        engine.dispose()
    assert Path(db_url.removeprefix("sqlite:///")).exists()
