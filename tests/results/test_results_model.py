"""The typed results model: its documentation, its version, and results stored by this
release rendered by every page, the API and the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.reports.render import render_html
from spiegel.results import SCHEMA, OutdatedResults, Results, load_results
from spiegel.results.schema_doc import render
from spiegel.services.users import add_user, create_token, start_session
from spiegel.store.db import session_factory
from spiegel.store.models import AnalysisRun, Organisation
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE

ROOT = Path(__file__).parents[2]
STORED = Path(__file__).parent / "data" / "results-2.json"


def _stored() -> dict[str, object]:
    return dict(json.loads(STORED.read_text(encoding="utf-8")))


def test_the_schema_page_is_generated_from_the_classes() -> None:
    page = (ROOT / "docs" / "results-schema.md").read_text(encoding="utf-8")
    assert page == render(), (
        "docs/results-schema.md is out of date: "
        "uv run python -m spiegel.results.schema_doc > docs/results-schema.md"
    )


def test_stored_results_of_this_release_load_and_round_trip() -> None:
    document = _stored()
    results = load_results(document)
    assert results.schema_id == SCHEMA
    assert results.to_json() == document
    assert results.employee is not None and results.employee.cells


@pytest.mark.parametrize(
    "document",
    [
        {"schema": "spiegel.results/1", "waves": [], "unit_scores": []},
        {"waves": []},
        {"schema": SCHEMA, "waves": "not a list"},
    ],
)
def test_other_versions_are_refused_with_what_to_do(document: dict[str, object]) -> None:
    with pytest.raises(OutdatedResults, match=r"run `spiegel analyze` again"):
        load_results(document)


def test_results_are_read_only() -> None:
    results = load_results(_stored())
    with pytest.raises(ValueError, match="frozen"):
        results.wave = "2030-H1"  # type: ignore[misc]


def test_an_unknown_field_is_refused() -> None:
    document = _stored()
    document["surprise"] = 1
    with pytest.raises(OutdatedResults):
        load_results(document)


# --- every page, the API and the report from the stored file ----------------------------


@pytest.fixture
def stored_client(engine: Engine, db_url: str) -> Iterator[tuple[TestClient, Results, str]]:
    with session_factory(engine)() as s:
        org = Organisation(slug="stored", name="Stored results")
        s.add(org)
        s.flush()
        s.add(AnalysisRun(organisation_id=org.id, results=_stored()))
        s.commit()
        admin = add_user(s, org, "admin@example.org", "a-long-enough-password", "admin", None)
        sid = start_session(s, admin)
        token = create_token(s, admin, "tests")
    settings = Settings(
        database_url=db_url, environment="test", secret_key="test-secret-key-0123456789abcdef"
    )
    with TestClient(create_app(settings)) as client:
        client.cookies.set(SESSION_COOKIE, sid)
        yield client, load_results(_stored()), token


def test_every_page_renders_from_stored_results(
    stored_client: tuple[TestClient, Results, str],
) -> None:
    client, results, token = stored_client
    location = next(u for u in results.units if u.kind == "location")
    pages = ["/dash", f"/dash/units/{location.id}"] + [
        f"/dash/{p}" for p in ("linkage", "drivers", "mirror", "risk", "ambition")
    ]
    for path in pages:
        for lang in ("nl", "en"):
            r = client.get(path, params={"lang": lang})
            assert r.status_code == 200, (path, r.text[:300])
            assert client.get(path, params={"format": "json"}).status_code == 200
    auth = {"authorization": f"Bearer {token}"}
    for path in ("results", "units", "overview", f"units/{location.id}", "linkage", "drivers",
                 "mirror", "risk", "ambition"):  # fmt: skip
        r = client.get(f"/api/v1/{path}", headers=auth)
        assert r.status_code == 200, (path, r.text[:300])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_renders_from_stored_results(lang: str) -> None:
    results = load_results(_stored())
    html = render_html(results, lang=lang)
    assert 'class="missing"' not in html
    location = next(u for u in results.units if u.kind == "location")
    assert location.name in render_html(results, lang=lang, unit=location.id)


def test_outdated_results_get_a_page_that_says_what_to_do(engine: Engine, db_url: str) -> None:
    with session_factory(engine)() as s:
        org = Organisation(slug="old", name="Old results")
        s.add(org)
        s.flush()
        s.add(AnalysisRun(organisation_id=org.id, results={"schema": "spiegel.results/1"}))
        s.commit()
        admin = add_user(s, org, "old@example.org", "a-long-enough-password", "admin", None)
        sid = start_session(s, admin)
    settings = Settings(
        database_url=db_url, environment="test", secret_key="test-secret-key-0123456789abcdef"
    )
    with TestClient(create_app(settings)) as client:
        client.cookies.set(SESSION_COOKIE, sid)
        r = client.get("/dash", headers={"accept-language": "en"})
        assert r.status_code == 409
        assert "spiegel analyze" in r.text and "Traceback" not in r.text
        r = client.get("/api/v1/overview")
        assert r.status_code == 409 and r.json()["error"]["code"] == "results_outdated"
