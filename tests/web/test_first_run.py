"""The first ten minutes: the demo's staff accounts, where staff land after logging in,
the staff header on every staff page, ``spiegel serve``'s hints and the public address."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.cli import serve as serve_module
from spiegel.services.demo_accounts import (
    ADMIN_EMAIL,
    MANAGER_EMAIL,
    accounts_text,
    create_demo_accounts,
    write_accounts_file,
)
from spiegel.services.users import authenticate, unit_scope
from spiegel.store.db import session_factory
from tests.web.conftest import SECRET, World
from tests.web.helpers import STAFF_PASSWORD, Html, login_as

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}
runner = CliRunner()


def test_demo_accounts_log_in_see_their_scope_and_survive_a_rebuild(
    engine: Engine, world: World, fast_passwords: None, tmp_path: Path
) -> None:
    first = create_demo_accounts(engine)
    admin, manager = first
    assert (admin.email, admin.role, admin.unit_code) == (ADMIN_EMAIL, "admin", None)
    # the location with the most employees (its team included): N1 has four, N2 one
    assert (manager.email, manager.role, manager.unit_code) == (MANAGER_EMAIL, "manager", "N1")
    assert len({admin.password, manager.password}) == 2
    assert all(len(a.password) >= 16 for a in first)
    with session_factory(engine)() as s:
        user = authenticate(s, MANAGER_EMAIL, manager.password, "127.0.0.1", True)
        assert unit_scope(s, user) == {world.units["N1"], world.units["N1A"]}
    # Built again into the same database: no error, new passwords, the old ones refused.
    again = create_demo_accounts(engine)
    assert {a.email for a in again} == {ADMIN_EMAIL, MANAGER_EMAIL}
    assert again[0].password != admin.password
    with session_factory(engine)() as s:
        authenticate(s, ADMIN_EMAIL, again[0].password, "127.0.0.1", True)

    path = write_accounts_file(tmp_path, first, "http://127.0.0.1:8123")
    path = write_accounts_file(tmp_path, again, "http://127.0.0.1:8123")  # replaces it
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert text == accounts_text(again, "http://127.0.0.1:8123")
    assert "http://127.0.0.1:8123/login" in text
    assert again[1].password in text and admin.password not in text
    assert "Locatie Zoë (N1)" in text


def test_staff_land_on_the_results_and_see_the_header_everywhere(
    client: TestClient, staff: dict[str, str]
) -> None:
    page = Html.of(client.get("/login", headers=EN))
    r = client.post(
        "/login",
        data={"email": staff["admin"], "password": STAFF_PASSWORD, "csrf_token": page.csrf()},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/dash"
    # On an administration page: Results, Admin (current), the user, Log out.
    admin = Html.of(client.get("/admin/users", headers=EN))
    header = admin.text("header .staff-header")
    assert "Results" in header and "Admin" in header and staff["admin"] in header
    assert admin.attr('header .staff-header a[aria-current="page"]', "href") == "/admin"
    assert admin.attr('header .staff-header a[href="/dash"]', "href") == "/dash"
    assert len(admin.all('form[action="/logout"]')) == 1
    # The results pages carry the same header, in Dutch too (no results yet: the 404
    # page of the results is a staff page as well).
    results = client.get("/dash", headers=NL)
    dash = Html.of(results)
    assert dash.text("header .staff-header a") == "Resultaten Beheer"
    assert dash.attr('header .staff-header a[aria-current="page"]', "href") == "/dash"
    # The home page, for respondents, offers logged-in staff the way to the results.
    home = Html.of(client.get("/", headers=EN))
    assert home.attr('main a[href="/dash"]', "href") == "/dash" and home.all(".staff-header")


def test_a_manager_has_no_admin_link_and_respondents_no_header(
    client: TestClient, staff: dict[str, str]
) -> None:
    home = Html.of(client.get("/", headers=EN))
    assert not home.all(".staff-header")
    assert home.attr('main a[href="/login"]', "href") == "/login"
    login_as(client, staff["manager"])
    page = Html.of(client.get("/logout", headers=EN))
    assert page.text("header .staff-header a") == "Results"
    assert staff["manager"] in page.text("header .staff-user")


@pytest.fixture
def no_public_url(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Neither the database nor the public address come from the environment (``serve``
    sets both for its workers; monkeypatch puts them back afterwards)."""
    monkeypatch.delenv("SPIEGEL_DATABASE_URL", raising=False)
    monkeypatch.delenv("SPIEGEL_PUBLIC_URL", raising=False)
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda target, **kw: None)
    return monkeypatch


def test_serve_without_staff_says_how_to_add_one_and_where_links_point(
    no_public_url: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "serve.db"
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "no staff user yet" in result.output
    assert f"spiegel users add you@example.org --role admin --db {db}" in result.output
    assert "Survey links and QR codes point to http://127.0.0.1:8123" in result.output
    # the workers read the address from the environment
    assert os.environ["SPIEGEL_PUBLIC_URL"] == "http://127.0.0.1:8123"


def test_public_url_comes_from_the_setting_or_the_served_address(
    no_public_url: pytest.MonkeyPatch,
) -> None:
    assert serve_module.public_url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve_module.public_url_for("::1", 8080) == "http://[::1]:8080"
    wildcard = serve_module.public_url_for("0.0.0.0", 9000)
    assert re.fullmatch(r"http://[^/:]+:9000", wildcard) and "0.0.0.0" not in wildcard
    no_public_url.setenv("SPIEGEL_PUBLIC_URL", "https://enquete.example.org/")
    assert serve_module.public_url_for("0.0.0.0", 9000) == "https://enquete.example.org"


def test_links_without_a_public_url_say_where_they_point(
    monkeypatch: pytest.MonkeyPatch, db_url: str, world: World, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", SECRET)
    monkeypatch.delenv("SPIEGEL_PUBLIC_URL", raising=False)
    out = tmp_path / "posters"
    args = ["links", "--survey", "klanten-2026-h2", "--out", str(out), "--unit", "N1"]
    result = runner.invoke(app, args, terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "SPIEGEL_PUBLIC_URL is not set" in result.output
    monkeypatch.setenv("SPIEGEL_PUBLIC_URL", "https://enquete.example.org")
    again = runner.invoke(app, args, terminal_width=300)
    assert again.exit_code == 0 and "SPIEGEL_PUBLIC_URL" not in again.output
