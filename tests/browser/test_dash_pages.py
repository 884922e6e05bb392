"""The long dashboard pages in a real browser at 1280 and 390 px: no table wider than its
page on a laptop, tables scroll inside their box on a phone, the mirror page is short,
and filtering works with JavaScript switched off.

Screenshots: ``test-artifacts/browser/pages-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.pages import shoot
from tests.browser.server import spiegel_server
from tests.browser.test_manager import DemoSite
from tests.web.dash_helpers import PASSWORD, SECRET, demo

PAGES = ("/dash", "/dash/mirror", "/dash/risk", "/dash/ambition")

# Tables whose right edge passes their scroll box (or, outside one, the viewport); and
# whether anything makes the page itself scroll sideways.
WIDE_TABLES = """() => [...document.querySelectorAll('main table')].filter(t => {
  const box = t.closest('.table-scroll');
  const edge = box ? box.getBoundingClientRect().right : window.innerWidth;
  return t.getBoundingClientRect().right > edge + 1;
}).map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60))"""
BOXES_OUTSIDE = """() => [...document.querySelectorAll('.table-scroll')].filter(
  b => b.getBoundingClientRect().right > window.innerWidth + 1).length"""


@pytest.fixture(scope="module")
def demo_site(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    built = demo()
    env = {"SPIEGEL_SECRET_KEY": SECRET, "SPIEGEL_ENVIRONMENT": "test"}
    log = tmp_path_factory.mktemp("browser-pages") / "server.log"
    with spiegel_server(built.url, log, env) as server:
        yield DemoSite(server, built)


def _log_in(page: Page, site: DemoSite, key: str) -> None:
    page.goto(site.url("/login"))
    page.get_by_label("E-mail address").fill(f"{key}@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.staff-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize("key", ["admin", "location_manager"])
@pytest.mark.parametrize(("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_pages_fit_their_screen(
    demo_site: DemoSite,
    browser: Browser,
    artifacts: Path,
    key: str,
    size: str,
    viewport: dict[str, int],
) -> None:
    built = demo_site.demo
    account = built.accounts[key]
    unit = built.by_code(account.unit_code) if account.unit_code else built.of_kind("location")[0]
    context = browser.new_context(viewport=viewport, locale="en-GB")
    heights: dict[str, int] = {}
    problems: list[str] = []
    try:
        page = context.new_page()
        _log_in(page, demo_site, key)
        for path in (*PAGES, f"/dash/units/{unit}"):
            page.goto(demo_site.url(path))
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "-").replace(str(unit), "unit")
            shoot(page, artifacts, f"pages-{key}-{name}-{size}")
            heights[path] = int(page.evaluate("document.documentElement.scrollHeight"))
            if size == "laptop":
                wide = page.evaluate(WIDE_TABLES)
                if wide:
                    problems.append(f"{path}: tables wider than the page: {wide}")
            outside = page.evaluate(BOXES_OUTSIDE)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if outside or scroll_width > viewport["width"]:
                problems.append(f"{path}: page scrolls sideways ({scroll_width} px)")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    # one line per location and 25 lines a page: no longer 38,000 px
    assert heights["/dash/mirror"] < (6000 if size == "laptop" else 9000), heights


def test_filter_sort_and_page_without_javascript(
    demo_site: DemoSite, browser: Browser, artifacts: Path
) -> None:
    built = demo_site.demo
    location = built.of_kind("location")[0]
    word = str(built.units[location]["name"]).split()[-1]
    context = browser.new_context(viewport=LAPTOP, locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        _log_in(page, demo_site, "admin")
        page.goto(demo_site.url("/dash/risk"))
        page.get_by_label("Name contains").fill(word)
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"q=" + re.escape(word)))
        rows = page.locator("main table.figures tbody tr")
        expect(rows.first).to_contain_text(word)
        page.get_by_role("link", name="Exhaustion", exact=True).click()
        expect(page).to_have_url(re.compile(r"sort=exhaustion"))
        expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Exhaustion")
        expect(page.get_by_label("Name contains")).to_have_value(word)
        shoot(page, artifacts, "pages-risk-filtered-nojs-laptop")
    finally:
        context.close()
