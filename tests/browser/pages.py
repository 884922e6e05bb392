"""Helpers for the browser tests: answer questions the way a person does, keep
screenshots, and read back what the server stored."""

from __future__ import annotations

import math
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select

from spiegel.store.answers import unpack_rows
from spiegel.store.db import transaction
from spiegel.store.models import Response, Survey, TextAnswer


def choose(page: Page, item_id: str, label: str) -> None:
    """Pick the option labelled ``label`` in the question ``item_id`` as a person does:
    by tapping its label (the box drawn over the radio). The radio is found by its
    accessible name first, so an option without a proper label cannot be picked."""
    radio = page.locator(f"fieldset#q-{item_id}").get_by_role("radio", name=label, exact=True)
    radio_id = radio.get_attribute("id")
    page.locator(f'label[for="{radio_id}"]').click()
    expect(radio).to_be_checked()


def shoot(page: Page, directory: Path, name: str) -> Path:
    """A full-page screenshot ``NAME.png`` in ``directory``."""
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def response_ids(engine: Engine, survey_id: int) -> set[int]:
    """The ids of the responses stored for a survey."""
    with transaction(engine) as s:
        return set(s.scalars(select(Response.id).where(Response.survey_id == survey_id)))


def stored_response(engine: Engine, response_id: int) -> tuple[Response, dict[str, object]]:
    """A stored response and its answers: numbers by item id (unanswered items left out)
    and the open texts."""
    with transaction(engine) as s:
        response = s.get(Response, response_id)
        if response is None:
            raise LookupError(f"no response {response_id}")
        survey = s.get(Survey, response.survey_id)
        if survey is None:
            raise LookupError(f"no survey {response.survey_id}")
        order = list(survey.instrument.item_order)
        texts = {
            t.item_id: t.text
            for t in s.scalars(select(TextAnswer).where(TextAnswer.response_id == response_id))
        }
    [values] = unpack_rows([response.numeric_answers], len(order))
    answers: dict[str, object] = {
        item: int(v) for item, v in zip(order, values, strict=True) if not math.isnan(v)
    }
    answers.update(texts)
    return response, answers
