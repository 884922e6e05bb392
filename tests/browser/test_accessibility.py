"""axe-core on every survey page, on a phone in Dutch and on a laptop in English: no
serious or critical WCAG 2.1 AA violations (start, question pages, an error state, the
check-and-send page, thanks, a closed survey and an unknown link)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import BLOCKING, Violation, assert_accessible, run_axe
from tests.browser.conftest import LAPTOP, PHONE, Site
from tests.browser.pages import choose, shoot

SETUPS = {
    "phone-nl": {"viewport": PHONE, "locale": "nl-NL", "is_mobile": True, "has_touch": True},
    "laptop-en": {"viewport": LAPTOP, "locale": "en-GB"},
}


def _checker(
    page: Page, artifacts: Path, setup: str, found: dict[str, list[Violation]]
) -> Callable[[str], None]:
    def check(name: str) -> None:
        shoot(page, artifacts, f"a11y-{setup}-{name}")
        found[f"{name} ({page.url})"] = run_axe(page)

    return check


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_survey_pages_have_no_serious_accessibility_violations(
    site: Site, browser: Browser, artifacts: Path, setup: str
) -> None:
    world = site.world
    customer = f"/s/{world.location_tokens['N2']}"
    employee = f"/s/{world.personal_tokens['E4']}"
    found: dict[str, list[Violation]] = {}
    context = browser.new_context(**SETUPS[setup])  # type: ignore[arg-type]
    try:
        page = context.new_page()
        check = _checker(page, artifacts, setup, found)

        page.goto(site.url(customer))
        check("customer-start")
        page.goto(site.url(f"{customer}/1"))
        check("customer-question-page")
        page.goto(site.url(f"{customer}/2"))
        check("customer-moments-of-truth")
        page.goto(site.url(f"{customer}/4"))
        check("customer-open-comment")

        # An error state: sending "finish" before answering anything.
        page.goto(site.url(f"{customer}/finish"))
        page.locator("form.send-form button[type=submit]").click()
        expect(page.locator(".notice-error")).to_be_visible()
        check("customer-finish-nothing-answered")

        # An error state on a question page: a value the questionnaire does not allow (a
        # tampered form), refused next to the question with a summary at the top.
        page.goto(site.url(f"{customer}/1"))
        page.locator("#q-overall_grade-10").evaluate("e => { e.value = '11'; }")
        page.locator('label[for="q-overall_grade-10"]').click()
        choose(page, "recommend", "7")
        page.locator("form.survey-form button[value=next]").click()
        expect(page.locator("#error-summary")).to_be_visible()
        expect(page.locator("#error-summary")).to_be_focused()
        check("customer-question-page-error")

        choose(page, "overall_grade", "7")
        page.locator("form.survey-form button[value=save]").click()
        expect(page.locator(".notice")).to_be_visible()
        check("customer-saved-notice")
        page.goto(site.url(f"{customer}/finish"))
        check("customer-finish")
        page.locator("form.send-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(f"{re.escape(customer)}/thanks$"))
        check("customer-thanks")

        page.goto(site.url(employee))
        check("employee-start")
        page.goto(site.url(f"{employee}/1"))
        check("employee-question-page")

        page.goto(site.url(f"/s/{site.closed_token}"))
        check("survey-closed")
        page.goto(site.url("/s/no-such-link-at-all"))
        check("unknown-link")
        page.goto(site.url("/"))
        check("home")
    finally:
        context.close()

    blocking = {
        where: [v for v in violations if v.impact in BLOCKING]
        for where, violations in found.items()
    }
    blocking = {where: vs for where, vs in blocking.items() if vs}
    minor = sorted(
        {f"[{v.impact}] {v.rule}" for vs in found.values() for v in vs if v.impact not in BLOCKING}
    )
    if minor:
        print(f"axe, minor/moderate only ({setup}): {', '.join(minor)}")
    assert not blocking, "axe: serious/critical WCAG 2.1 AA violations\n" + "\n".join(
        f"{where}:\n" + "\n".join(v.describe() for v in vs) for where, vs in blocking.items()
    )
    assert len(found) == 14


def test_the_axe_check_catches_a_known_violation(browser: Browser) -> None:
    """The check itself works: a page with an unlabelled field and an image without
    alternative text fails it."""
    page = browser.new_page()
    try:
        page.set_content(
            '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<input type="text"></main></body></html>'
        )
        rules = {v.rule for v in run_axe(page) if v.impact in BLOCKING}
        assert {"image-alt", "label"} <= rules
        with pytest.raises(AssertionError, match="image-alt"):
            assert_accessible(page, "a broken page")
    finally:
        page.close()
