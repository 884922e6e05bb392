"""``spiegel surveys exclusions|exclude|include`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.store.db import transaction
from spiegel.store.models import ResponseExclusion
from tests.web.conftest import World
from tests.web.helpers import add_web_responses, spread

runner = CliRunner()
START = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
BURST = START + dt.timedelta(hours=20)
SLUG = "klanten-2026-h2"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["surveys", *args], terminal_width=200)
    return result.exit_code, " ".join(result.output.split())  # the console wraps at 80


def test_flag_exclude_and_include_from_the_command_line(
    env: None, engine: Engine, world: World
) -> None:
    add_web_responses(engine, world.customer_survey_id, world.units["N1"], spread(START, 12, 1))
    add_web_responses(engine, world.customer_survey_id, world.units["N1"], spread(BURST, 1, 25))
    code, out = _run("exclusions", SLUG)
    assert code == 0, out
    assert f"{BURST:%Y-%m-%d %H:%M}" in out and "25" in out and "No exclusions." in out
    code, out = _run(
        "exclude",
        SLUG,
        "--link",
        "N1",
        "--from",
        f"{BURST:%Y-%m-%dT%H:%M}",
        "--to",
        f"{BURST + dt.timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "--reason",
        "25 in one hour",
        "--by",
        "auditor@example.org",
    )
    assert code == 0, out
    assert "Exclusion 1: 25 response(s) of link N1" in out
    assert f"spiegel surveys include {SLUG} 1" in out
    code, out = _run("exclusions", SLUG)
    assert "25 in one hour" in out and "auditor@example.org" in out and "active" in out
    assert "25 response(s) are left out of the analysis now." in out
    code, out = _run("include", SLUG, "1")
    assert code == 0 and "Exclusion 1 is undone: 25 response(s) count again." in out
    with transaction(engine) as s:
        row = s.scalars(select(ResponseExclusion)).one()
    assert row.created_by == "auditor@example.org" and row.revoked_by.startswith("cli")
    code, out = _run("include", SLUG, "1")
    assert code == 1 and "undone already" in out


def test_wrong_exclusions_are_refused_with_a_message(
    env: None, engine: Engine, world: World
) -> None:
    window = ["--from", f"{START:%Y-%m-%d}", "--to", f"{BURST:%Y-%m-%dT%H:%M}"]
    code, out = _run("exclude", SLUG, "--link", "N7", *window, "--reason", "r")
    assert code == 1 and "no location link for unit 'N7'" in out
    code, out = _run(
        "exclude", SLUG, "--link", "N1", "--from", "soon", "--to", "x", "--reason", "r"
    )
    assert code == 2 and "--from" in out
    code, out = _run("exclude", "medewerkers-2026-h2", "--link", "N1A", *window, "--reason", "r")
    assert code == 1 and "employee survey" in out
    code, out = _run("include", SLUG, "3")
    assert code == 1 and "no exclusion 3" in out
    with transaction(engine) as s:
        assert s.scalars(select(ResponseExclusion)).all() == []
