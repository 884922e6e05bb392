"""Fixtures for the end-to-end tests: a real ``spiegel serve`` on a temporary SQLite
database, and Debian's Chromium driven by Playwright.

Outside CI the tests skip (with the reason) when Chromium or axe-core is missing; under
``CI=true`` they fail instead, since ``.ci/run`` installs both.

Screenshots go to ``test-artifacts/`` at the repository root (CI keeps that directory).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine

from spiegel.instruments import get_instrument
from spiegel.services.invitations import ensure_location_links
from spiegel.services.surveys import close_survey, store_instrument
from spiegel.store.db import make_engine, session_factory, transaction, upgrade
from spiegel.store.models import Audience, Survey
from spiegel.store.organisation import ensure_wave
from spiegel.store.surveys import ensure_survey
from tests.browser.axe import AXE_JS, axe_available
from tests.browser.server import RunningServer, spiegel_server
from tests.web.conftest import PUBLIC_URL, SECRET, World, build_world

CHROMIUM = Path(os.environ.get("SPIEGEL_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _missing() -> str | None:
    problems = []
    if not CHROMIUM.is_file():
        problems.append(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    if not axe_available():
        problems.append(f"axe-core not found at {AXE_JS} (cd tests/browser && npm ci)")
    return "; ".join(problems) or None


@pytest.fixture(scope="session")
def browser_ready() -> None:
    """Skip (outside CI) or fail (in CI) when the browser tooling is missing."""
    problem = _missing()
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"the browser tests must run in CI: {problem}")
    pytest.skip(problem)


CLOSED_SLUG = "klanten-2026-h1-gesloten"


def add_closed_survey(engine: Engine, world: World) -> str:
    """A customer survey that has closed, with a link for location N2; its token."""
    with transaction(engine) as s:
        wave = ensure_wave(s, world.organisation_id, "2026-H1")
        stored = store_instrument(s, get_instrument("customer"))
        survey = ensure_survey(
            s, world.organisation_id, wave, stored, CLOSED_SLUG, Audience.CUSTOMER
        )
        survey_id = survey.id
    with session_factory(engine)() as s:
        survey = s.get(Survey, survey_id)
        if survey is None:
            raise LookupError(CLOSED_SLUG)
        [link] = ensure_location_links(s, survey, SECRET, ["N2"])
        close_survey(s, survey)
    return link.token


@dataclass(frozen=True)
class Site:
    """A running server with the test organisation: where, and what links it has."""

    server: RunningServer
    engine: Engine
    world: World
    closed_token: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"


@pytest.fixture(scope="session")
def site(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``spiegel serve`` on a fresh SQLite database with the web tests' organisation: two
    locations, five employees, an open customer survey with location links and an open
    employee survey with personal links, and a closed customer survey."""
    directory = tmp_path_factory.mktemp("browser-site")
    url = f"sqlite:///{directory / 'spiegel.db'}"
    upgrade(url)
    engine = make_engine(url)
    world = build_world(engine)
    closed_token = add_closed_survey(engine, world)
    env = {
        "SPIEGEL_SECRET_KEY": SECRET,
        "SPIEGEL_PUBLIC_URL": PUBLIC_URL,
        "SPIEGEL_ENVIRONMENT": "test",
    }
    try:
        with spiegel_server(url, directory / "server.log", env) as server:
            yield Site(server, engine, world, closed_token)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def browser(browser_ready: None) -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per test module (so Playwright's event
    loop is gone before the rest of the suite runs)."""
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/browser`` at the repository root, for screenshots."""
    path = ARTIFACTS / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path
