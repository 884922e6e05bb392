"""Schemathesis against ``/openapi.json``: generated requests, valid and invalid, to the
survey routes (real links: a location link, a personal link, an unknown token; on
PostgreSQL location-link submissions take the fast lane) and to the results API (an
analysed demo organisation, API tokens of an admin and of a team member).

Every answer must be free of server errors and conform to the schema where the schema
states it: documented status, content type and body. Runs in-process (ASGI, no network)
with a fixed budget of examples per operation and generation mode, derandomized so that
every run sends the same requests.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.instruments import get_instrument
from spiegel.web.app import create_app
from tests.web.conftest import World
from tests.web.dash_helpers import bearer, demo, settings_for, shared_engine

EXAMPLES = 100
"""Examples per operation and generation mode (positive, negative)."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

PathChoices = dict[str, Sequence[object]]


def _operations(app: FastAPI, prefix: str, items: Sequence[str] = ()) -> list[APIOperation]:
    """The operations under ``prefix``; posted bodies also name ``items`` (the schema
    allows any item id, which generated names would never hit)."""
    raw = app.openapi()
    if items:
        raw = _naming_items(raw, items)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.path.startswith(prefix)]


def _naming_items(raw: dict[str, Any], items: Sequence[str]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    answer = {
        "anyOf": [
            {"type": "integer", "minimum": -1, "maximum": 12},
            {"type": "string", "maxLength": 40},
            {"type": "null"},
        ]
    }
    for path in ("/s/{token}/finish", "/s/{token}/{number}"):
        content = raw["paths"][path]["post"]["requestBody"]["content"]
        for media_type, body in content.items():
            schema = body["schema"]
            if "$ref" in schema:
                name = schema.pop("$ref").rsplit("/", 1)[-1]
                schema.update(copy.deepcopy(raw["components"]["schemas"][name]))
            value = answer if media_type == "application/json" else {"type": "string"}
            named = {item: value for item in items}
            schema.setdefault("properties", {}).update(named)
            if "answers" in schema["properties"]:
                schema["properties"]["answers"] = {"type": "object", "properties": named}
    return raw


def _cases(op: APIOperation, mode: GenerationMode, choices: PathChoices) -> st.SearchStrategy[Case]:
    """Cases of ``op`` with path parameters drawn from ``choices`` (real tokens and ids:
    generated ones would only ever meet a 404)."""
    names = [p for p in choices if "{" + p + "}" in op.path]
    fixed = st.fixed_dictionaries({p: st.sampled_from(list(choices[p])) for p in names})
    return fixed.flatmap(lambda params: op.as_strategy(mode, path_parameters=params))


def _fuzz(
    operations: list[APIOperation],
    choices: PathChoices,
    headers: Callable[[int], dict[str, str]],
) -> int:
    """Send ``EXAMPLES`` cases per operation and mode; returns how many were sent."""
    sent = 0
    for op in operations:
        for mode in GenerationMode:

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=_cases(op, mode, choices))
            def run(case: Case) -> None:
                nonlocal sent
                sent += 1
                case.call_and_validate(headers=headers(sent), checks=CHECKS, allow_redirects=False)

            try:
                run()
            except Unsatisfiable:
                # Negative mode with nothing to make invalid (the path is fixed, and
                # there is neither query nor body): nothing to send.
                assert mode == GenerationMode.NEGATIVE, op.path
    return sent


@pytest.fixture
def lifespans() -> Iterator[None]:
    """Schemathesis starts an application's lifespan on its first request and keeps it;
    end it (and so the fast lane's connections) with the test."""
    yield
    shutdown_lifespans()


def test_survey_routes_give_no_server_error_and_keep_to_the_schema(
    settings: Settings, engine: Engine, world: World, lifespans: None
) -> None:
    app = create_app(settings, engine=engine)
    items = [i.id for name in ("customer", "employee") for i in get_instrument(name).items]
    operations = _operations(app, "/s/", items)
    assert len(operations) == 6
    choices: PathChoices = {
        "token": [
            world.location_tokens["N1"],
            world.location_tokens["N2"],
            world.personal_tokens["E1"],
            "no-such-token",
        ],
        "number": [1, 2, 4, 15, 0, 99],
    }
    languages = ["nl", "en"]
    start = time.perf_counter()
    sent = _fuzz(operations, choices, lambda n: {"accept-language": languages[n % 2]})
    elapsed = time.perf_counter() - start
    print(f"schemathesis, survey routes ({engine.dialect.name}): {sent} cases in {elapsed:.1f} s")
    # Pages with only a path to vary run out of distinct cases early; the posts do not.
    assert sent >= 4 * EXAMPLES


def test_api_routes_give_no_server_error_and_keep_to_the_schema(lifespans: None) -> None:
    organisation = demo()
    app = create_app(settings_for(organisation.url), engine=shared_engine(organisation.url))
    operations = _operations(app, "/api/")
    assert len(operations) == 12  # /api/v1/comments since issue 15
    units = sorted(organisation.units)
    choices: PathChoices = {"unit_id": [*units[:: max(1, len(units) // 6)], 0, 10**9]}
    admin = bearer(organisation.accounts["admin"])
    member = bearer(organisation.accounts["member"])
    start = time.perf_counter()
    sent = _fuzz(operations, choices, lambda n: admin if n % 3 else member)
    elapsed = time.perf_counter() - start
    print(f"schemathesis, API routes: {sent} cases in {elapsed:.1f} s")
    assert sent >= 2 * len(operations)
