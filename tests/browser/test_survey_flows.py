"""Respondents in a real browser: a parent on a phone through the location link, and an
employee who closes the page midway and comes back through the personal link."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from spiegel.store.models import RoleGroup
from tests.browser.conftest import PHONE, Site
from tests.browser.pages import choose, response_ids, shoot, stored_response


def test_parent_answers_the_customer_survey_on_a_phone_in_dutch(
    site: Site, browser: Browser, artifacts: Path
) -> None:
    world = site.world
    base = f"/s/{world.location_tokens['N1']}"
    before = response_ids(site.engine, world.customer_survey_id)
    context = browser.new_context(
        viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        page = context.new_page()
        page.goto(site.url(base))
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(page.locator("h1")).to_have_text("Klantonderzoek")
        # Phone-first: nothing wider than the screen.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the start page scrolls sideways ({width}px)"
        shoot(page, artifacts, "customer-1-start-phone-nl")

        page.get_by_role("link", name="Beginnen").click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/1$"))
        expect(page.locator(".progress-label")).to_have_text("Pagina 1 van 4")
        choose(page, "overall_grade", "8")
        choose(page, "recommend", "9")
        shoot(page, artifacts, "customer-2-question-page-phone-nl")
        page.get_by_role("button", name="Volgende", exact=True).click()

        expect(page).to_have_url(re.compile(f"{re.escape(base)}/2$"))
        choose(page, "mot_first_contact", "7")
        choose(page, "mot_pick_up", "6")
        page.get_by_role("button", name="Volgende", exact=True).click()

        expect(page).to_have_url(re.compile(f"{re.escape(base)}/3$"))
        choose(page, "asp_friendliness", "9")
        page.get_by_role("button", name="Volgende", exact=True).click()

        expect(page).to_have_url(re.compile(f"{re.escape(base)}/4$"))
        page.locator("textarea#q-comment").fill("Fijne leidsters, soms wat druk bij het ophalen.")
        page.get_by_role("button", name="Volgende: controleren en versturen").click()

        expect(page).to_have_url(re.compile(f"{re.escape(base)}/finish$"))
        expect(page.locator(".lead")).to_have_text("U hebt 6 van de 15 vragen beantwoord.")
        shoot(page, artifacts, "customer-3-finish-phone-nl")
        page.get_by_role("button", name="Mijn antwoorden versturen").click()

        expect(page).to_have_url(re.compile(f"{re.escape(base)}/thanks$"))
        expect(page.locator("h1")).to_have_text("Hartelijk dank!")
        shoot(page, artifacts, "customer-4-thanks-phone-nl")
    finally:
        context.close()

    [new] = response_ids(site.engine, world.customer_survey_id) - before
    response, answers = stored_response(site.engine, new)
    assert response.unit_id == world.units["N1"]
    assert response.role_group is None
    assert answers == {
        "overall_grade": 8,
        "recommend": 9,
        "mot_first_contact": 7,
        "mot_pick_up": 6,
        "asp_friendliness": 9,
        "comment": "Fijne leidsters, soms wat druk bij het ophalen.",
    }


def test_employee_closes_the_page_midway_and_finishes_later(
    site: Site, browser: Browser, artifacts: Path
) -> None:
    world = site.world
    base = f"/s/{world.personal_tokens['E1']}"
    before = response_ids(site.engine, world.employee_survey_id)
    page1 = {"vig_energy": "Eens", "vig_fit": "Helemaal eens", "vig_persist": "Oneens"}
    page3 = {"abs_focus": "Niet eens, niet oneens", "abs_deep": "Eens"}

    first = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    try:
        page = first.new_page()
        page.goto(site.url(base))
        page.get_by_role("link", name="Beginnen").click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/1$"))
        for item, label in page1.items():
            choose(page, item, label)
        page.get_by_role("button", name="Volgende", exact=True).click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/2$"))
        choose(page, "ded_meaning", "Helemaal oneens")
        page.get_by_role("button", name="Volgende", exact=True).click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/3$"))
        # Answers on page 3, then the page is closed without pressing a button: only the
        # background save (survey.js) keeps them.
        for item, label in page3.items():
            choose(page, item, label)
        expect(page.locator("#save-status")).to_have_text("Opgeslagen", timeout=10_000)
        shoot(page, artifacts, "employee-1-saved-before-closing-phone-nl")
    finally:
        first.close()  # the browser is closed midway, cookies and all

    second = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    try:
        page = second.new_page()
        page.goto(site.url(base))
        expect(page.locator("main")).to_contain_text("U hebt al 6 vragen beantwoord.")
        shoot(page, artifacts, "employee-2-start-again-phone-nl")
        page.get_by_role("link", name="Verder waar u gebleven was").click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/3$"))
        for item, label in page3.items():
            radio = page.locator(f"fieldset#q-{item}").get_by_role("radio", name=label, exact=True)
            expect(radio).to_be_checked()
        choose(page, "abs_hours", "Helemaal eens")
        page.get_by_role("button", name="Volgende", exact=True).click()
        # Through the remaining pages to the last one, answering one question on it.
        for number in range(4, 16):
            expect(page).to_have_url(re.compile(f"{re.escape(base)}/{number}$"))
            if number == 4:
                choose(page, "tru_team", "Eens")
            if number < 15:
                page.get_by_role("button", name="Volgende", exact=True).click()
        page.get_by_role("button", name="Volgende: controleren en versturen").click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/finish$"))
        expect(page.locator(".lead")).to_contain_text("U hebt 8 van de")
        page.get_by_role("button", name="Mijn antwoorden versturen").click()
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/thanks$"))
        expect(page.locator("h1")).to_have_text("Hartelijk dank!")

        # The link sends once: coming back shows that the answers were received.
        page.goto(site.url(f"{base}/2"))
        expect(page).to_have_url(re.compile(f"{re.escape(base)}/thanks$"))
    finally:
        second.close()

    [new] = response_ids(site.engine, world.employee_survey_id) - before
    response, answers = stored_response(site.engine, new)
    assert response.unit_id == world.units["N1A"]
    assert response.role_group == RoleGroup.FRONT_LINE
    assert answers == {
        "vig_energy": 4,
        "vig_fit": 5,
        "vig_persist": 2,
        "ded_meaning": 1,
        "abs_focus": 3,
        "abs_deep": 4,
        "abs_hours": 5,
        "tru_team": 4,
    }
