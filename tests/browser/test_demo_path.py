"""The README's demo path in a real browser, as a new user follows it.

``spiegel demo --no-serve`` builds a small demo (the real command, at a small size) and
prints its staff accounts; ``spiegel serve`` then serves it on the port the demo named.
The first test logs in with the printed administrator account, lands on the results
overview, reaches every results page and the administration from the header, switches to
Dutch and walks them again, logs out and logs in as the printed location manager.
Screenshots at 1280 and 390 px of every main page go to ``test-artifacts/browser/``
(``demo-<lang>-<nn>-<page>-<width>.png``).

On every page the walk runs the checks of :mod:`tests.browser.page_checks` (raw codes, too
wide, English on Dutch pages) and axe. The header and menus (this part's) must pass the
checks outright, every page must pass axe; the rest of each page is reported by the three
check tests after the walk.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from spiegel.config import sqlite_url
from tests.browser import page_checks as checks
from tests.browser.axe import BLOCKING, run_axe
from tests.browser.conftest import LAPTOP
from tests.browser.pages import shoot
from tests.browser.server import RunningServer, free_port, spiegel_command, spiegel_server
from tests.web.dash_helpers import SECRET

DEMO_ARGS = [
    "--employees",
    "360",
    "--customers",
    "1500",
    "--locations",
    "16",
    "--bootstrap",
    "50",
    "--no-pdf",
]
DEMO_TIMEOUT_S = 900
WIDTHS = (1280, 390)
ACCOUNT_LINE = re.compile(r"^\s+(admin|manager)\s+(\S+@\S+)\s+password\s+(\S+)", re.M)
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.vega-chart')).every(
  (e) => e.classList.contains('vega-drawn') || e.classList.contains('vega-failed'))"""
HEADER = "header.site-header"


@dataclass(frozen=True)
class DemoRun:
    """The demo as its command left it, served."""

    output: str
    login_url: str
    accounts: dict[str, tuple[str, str]]  # role -> (e-mail, password)
    accounts_file: Path
    server: RunningServer

    def url(self, path: str) -> str:
        return f"{self.server.base_url}{path}"


@dataclass
class Findings:
    """What the checks found, per page (``lang page width``)."""

    visited: list[str] = field(default_factory=list)
    raw: dict[str, list[str]] = field(default_factory=dict)
    wide: dict[str, list[str]] = field(default_factory=dict)
    english: dict[str, list[str]] = field(default_factory=dict)
    axe: dict[str, list[str]] = field(default_factory=dict)
    done: bool = False


@pytest.fixture(scope="module")
def demo_run(browser_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    """``spiegel demo --no-serve`` (small), then ``spiegel serve`` on the port it printed."""
    directory = tmp_path_factory.mktemp("demo-path") / "spiegel-demo"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPIEGEL_")}
    env["COLUMNS"] = "200"
    done = subprocess.run(
        [
            *spiegel_command(),
            "demo",
            "--dir",
            str(directory),
            "--no-serve",
            "--port",
            str(port),
            *DEMO_ARGS,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    found = re.search(r"Open (http://\S+/login) and log in", output)
    assert found, output[-2000:]
    accounts = {role: (email, pw) for role, email, pw in ACCOUNT_LINE.findall(output)}
    assert set(accounts) == {"admin", "manager"}, output[-2000:]
    server_env = {"SPIEGEL_SECRET_KEY": SECRET, "SPIEGEL_ENVIRONMENT": "test"}
    log = directory.parent / "server.log"
    with spiegel_server(sqlite_url(directory / "spiegel.db"), log, server_env, port=port) as server:
        yield DemoRun(output, found.group(1), accounts, directory / "accounts.txt", server)


@pytest.fixture(scope="module")
def findings() -> Findings:
    return Findings()


def _log_in(page: Page, run: DemoRun, role: str, email_label: str, password_label: str) -> None:
    email, password = run.accounts[role]
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label).fill(password)
    page.locator("form.staff-form button[type=submit]").click()


def _settle(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)


def _header_clean(page: Page, lang: str) -> None:
    """The staff header and the section menu (this part's) have no code, no English on a
    Dutch page and fit the window."""
    text = " ".join(page.locator(f"{HEADER}, nav.staff-nav").all_inner_texts())
    assert not checks.raw_codes(text), text
    if lang == "nl":
        assert not checks.untranslated(text), text
    assert page.locator(HEADER).evaluate("e => e.scrollWidth <= e.clientWidth + 1"), text


def _visit(page: Page, findings: Findings, artifacts: Path, lang: str, n: int, key: str) -> None:
    """Check and photograph the page at each width."""
    _settle(page)
    name = f"{lang} {key}"
    findings.visited.append(name)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(300)  # charts redraw to their new width
        shoot(page, artifacts, f"demo-{lang}-{n:02d}-{key}-{width}")
        _header_clean(page, lang)
        wide = checks.too_wide(page)
        if wide:
            findings.wide[f"{name} {width}px"] = wide
    page.set_viewport_size(LAPTOP)
    page.wait_for_timeout(300)
    blocking = [v.describe() for v in run_axe(page) if v.impact in BLOCKING]
    if blocking:
        findings.axe[name] = blocking
    text = checks.visible_text(page)
    raw = checks.raw_codes(text)
    if raw:
        findings.raw[name] = raw
    if lang == "nl":
        english = checks.untranslated(text)
        if english:
            findings.english[name] = english


def _walk(page: Page, findings: Findings, artifacts: Path, lang: str) -> None:
    """Every results page from the menu, one unit, the administration, back to results."""
    header = page.locator(HEADER)
    header.get_by_role("link", name="Resultaten" if lang == "nl" else "Results").click()
    expect(page).to_have_url(re.compile(r"/dash$"))
    tabs = page.locator("nav.staff-nav a")
    names = tabs.all_inner_texts()
    hrefs = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
    assert hrefs == [
        "/dash",
        "/dash/linkage",
        "/dash/drivers",
        "/dash/mirror",
        "/dash/risk",
        "/dash/ambition",
        "/dash/comments",
    ], hrefs
    for n, (name, href) in enumerate(zip(names, hrefs, strict=True), start=1):
        page.locator("nav.staff-nav").get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(re.compile(f"{re.escape(str(href))}$"))
        expect(page.locator("nav.staff-nav a[aria-current=page]")).to_have_text(name)
        _visit(page, findings, artifacts, lang, n, str(href).rsplit("/", 1)[-1])
        if href == "/dash":  # the overview leads to the units' pages
            overview_url = page.url
            page.locator('main a[href^="/dash/units/"]').first.click()
            expect(page).to_have_url(re.compile(r"/dash/units/\d+$"))
            _visit(page, findings, artifacts, lang, 7, "unit")
            page.goto(overview_url)
    header.get_by_role("link", name="Beheer" if lang == "nl" else "Admin").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    _visit(page, findings, artifacts, lang, 8, "admin")


def test_demo_path_from_the_printed_account_through_every_page(
    demo_run: DemoRun, browser: Browser, artifacts: Path, findings: Findings
) -> None:
    run = demo_run
    # The command printed the accounts once, and kept them in a file for its owner only.
    text = run.accounts_file.read_text(encoding="utf-8")
    assert all(email in text and pw in text for email, pw in run.accounts.values())
    assert run.accounts_file.stat().st_mode & 0o077 == 0
    assert run.login_url == run.url("/login")  # the address it is served on

    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(run.login_url)
        shoot(page, artifacts, "demo-en-00-login-1280")
        _log_in(page, run, "admin", "E-mail address", "Password")
        # Staff land on the results overview, with the header.
        expect(page).to_have_url(re.compile(r"/dash$"))
        header = page.locator(HEADER)
        expect(header.get_by_role("link", name="Results")).to_have_attribute("aria-current", "page")
        expect(header.get_by_role("link", name="Admin")).to_be_visible()
        expect(header).to_contain_text(run.accounts["admin"][0])
        expect(header.get_by_role("button", name="Log out")).to_be_visible()
        _walk(page, findings, artifacts, "en")

        # Switch language (the header's switch), on the administration and on results.
        page.locator(".lang-switch a[hreflang=nl]").click()
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(header.get_by_role("link", name="Beheer")).to_have_attribute("aria-current", "page")
        _walk(page, findings, artifacts, "nl")
        tabs = page.locator("nav.staff-nav a")
        page.locator(HEADER).get_by_role("link", name="Resultaten").click()
        expect(tabs).to_have_text(
            [
                "Overzicht",
                "Verband",
                "Drijfveren",
                "Spiegelbeeld",
                "Risico",
                "Ambitie",
                "Opmerkingen",
            ]
        )

        # Log out from the header; the location manager lands on their results, no Admin.
        header.get_by_role("button", name="Uitloggen").click()
        expect(page).to_have_url(re.compile(r"/login\?logged_out=1$"))
        _log_in(page, run, "manager", "E-mailadres", "Wachtwoord")
        expect(page).to_have_url(re.compile(r"/dash$"))
        expect(header.get_by_role("link", name="Resultaten")).to_be_visible()
        expect(header.get_by_role("link", name="Beheer")).to_have_count(0)
        expect(page.locator("nav.staff-nav a")).to_have_count(6)  # no key drivers
        _settle(page)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            shoot(page, artifacts, f"demo-nl-09-manager-overview-{width}")
            _header_clean(page, "nl")
    finally:
        context.close()
    assert len(findings.visited) == 18, findings.visited
    findings.done = True


def test_every_page_of_the_path_passes_axe(findings: Findings) -> None:
    """No serious or critical WCAG 2.1 AA violation on any page of the walk (header and
    menus included), in English and Dutch."""
    _walked(findings)
    assert not findings.axe, "\n".join(f"{p}:\n" + "\n".join(v) for p, v in findings.axe.items())


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}: {', '.join(items[:12])}" for page, items in found.items())


def _walked(findings: Findings) -> None:
    if not findings.done:
        pytest.skip("the demo path did not get through (see the first test)")


def test_no_raw_codes_on_the_main_pages(findings: Findings) -> None:
    _walked(findings)
    assert not findings.raw, _report(findings.raw)


def test_no_element_wider_than_the_window(findings: Findings) -> None:
    _walked(findings)
    assert not findings.wide, _report(findings.wide)


def test_no_english_on_the_dutch_pages(findings: Findings) -> None:
    _walked(findings)
    assert not findings.english, _report(findings.english)
