"""A location manager in a real browser: logs in, sees their own location, is refused
another; the dashboards pass the axe check.

The server runs on the analysed demo organisation of the dashboard tests
(``tests/web/dash_helpers.demo``: built once per test process, with a staff user per role).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import BLOCKING, Violation, run_axe
from tests.browser.conftest import LAPTOP
from tests.browser.pages import shoot
from tests.browser.server import RunningServer, spiegel_server
from tests.web.dash_helpers import PASSWORD, SECRET, Demo, demo


@dataclass(frozen=True)
class DemoSite:
    server: RunningServer
    demo: Demo

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"


@pytest.fixture(scope="module")
def demo_site(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """``spiegel serve`` on the analysed demo organisation."""
    built = demo()
    env = {"SPIEGEL_SECRET_KEY": SECRET, "SPIEGEL_ENVIRONMENT": "test"}
    log = tmp_path_factory.mktemp("browser-demo") / "server.log"
    with spiegel_server(built.url, log, env) as server:
        yield DemoSite(server, built)


def _log_in(page: Page, site: DemoSite, email: str) -> None:
    page.goto(site.url("/dash"))
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdash$"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dash$"))


def test_manager_sees_own_location_and_is_refused_another(
    demo_site: DemoSite, browser: Browser, artifacts: Path
) -> None:
    built = demo_site.demo
    account = built.accounts["location_manager"]
    assert account.unit_code is not None and account.units is not None
    own = built.by_code(account.unit_code)
    own_name = str(built.units[own]["name"])
    other = next(u for u in built.of_kind("location") if u not in account.units)
    other_name = str(built.units[other]["name"])

    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    try:
        page = context.new_page()
        _log_in(page, demo_site, "location_manager@example.org")
        expect(page.locator("main")).to_contain_text(own_name)
        assert other_name not in page.locator("main").inner_text()
        shoot(page, artifacts, "manager-1-overview-laptop-en")

        page.locator(f'main a[href="/dash/units/{own}"]').first.click()
        expect(page).to_have_url(re.compile(f"/dash/units/{own}$"))
        expect(page.locator("h1")).to_have_text(own_name)
        shoot(page, artifacts, "manager-2-own-location-laptop-en")

        refused = page.goto(demo_site.url(f"/dash/units/{other}"))
        assert refused is not None and refused.status == 403
        assert other_name not in page.content()
        shoot(page, artifacts, "manager-3-other-location-refused-laptop-en")
    finally:
        context.close()

    # Logged out (a fresh browser), the unit page sends to the login form.
    anonymous = browser.new_context(viewport=LAPTOP, locale="en-GB")
    try:
        page = anonymous.new_page()
        page.goto(demo_site.url(f"/dash/units/{own}"))
        expect(page).to_have_url(re.compile(r"/login\?next="))
        assert own_name not in page.locator("main").inner_text()
    finally:
        anonymous.close()


DASH_PAGES = ("/dash", "/dash/linkage", "/dash/drivers", "/dash/mirror", "/dash/risk")


@pytest.mark.parametrize("key", ["admin", "location_manager"])
def test_dashboards_have_no_serious_accessibility_violations(
    demo_site: DemoSite, browser: Browser, artifacts: Path, key: str
) -> None:
    built = demo_site.demo
    account = built.accounts[key]
    found: dict[str, list[Violation]] = {}
    context = browser.new_context(viewport=LAPTOP, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(demo_site.url("/login"))
        shoot(page, artifacts, "dash-login-laptop-nl")
        found["login"] = run_axe(page)
        page.get_by_label("E-mailadres").fill(f"{key}@example.org")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.locator("form.staff-form button[type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/login"))

        unit = (
            built.by_code(account.unit_code) if account.unit_code else built.of_kind("location")[0]
        )
        paths = [*DASH_PAGES, "/dash/ambition", f"/dash/units/{unit}"]
        for path in paths:
            response = page.goto(demo_site.url(path))
            assert response is not None
            if response.status == 403:  # a page outside this role's scope
                continue
            assert response.status == 200, f"{path}: HTTP {response.status}"
            # Charts are drawn by script after load: check them drawn.
            page.wait_for_load_state("networkidle")
            name = f"dash-{key}-{path.strip('/').replace('/', '-')}"
            shoot(page, artifacts, name)
            found[path] = run_axe(page)
    finally:
        context.close()

    blocking = {where: [v for v in vs if v.impact in BLOCKING] for where, vs in found.items()}
    blocking = {where: vs for where, vs in blocking.items() if vs}
    assert not blocking, f"axe ({key}): serious/critical WCAG 2.1 AA violations\n" + "\n".join(
        f"{where}:\n" + "\n".join(v.describe() for v in vs) for where, vs in blocking.items()
    )
    assert len(found) >= 6
