"""``spiegel surveys``, ``spiegel invitations``, ``spiegel links`` and ``spiegel serve``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.cli import serve as serve_module
from spiegel.services.invitations import token_hash
from spiegel.store.db import current_revision, make_engine, transaction
from spiegel.store.models import Employee, Invitation, RoleGroup, Survey, SurveyStatus
from tests.web.conftest import PUBLIC_URL, SECRET, World

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", SECRET)
    monkeypatch.setenv("SPIEGEL_PUBLIC_URL", PUBLIC_URL)


def _status(engine: Engine, survey_id: int) -> SurveyStatus:
    with transaction(engine) as s:
        survey = s.get(Survey, survey_id)
        assert survey is not None
        return survey.status


def test_surveys_list_open_close(env: None, engine: Engine, world: World) -> None:
    listed = runner.invoke(app, ["surveys", "list"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    assert "klanten-2026-h2" in listed.output and "medewerkers-2026-h2" in listed.output
    closed = runner.invoke(app, ["surveys", "close", "klanten-2026-h2"])
    assert closed.exit_code == 0 and _status(engine, world.customer_survey_id) == "closed"
    opened = runner.invoke(app, ["surveys", "open", "klanten-2026-h2", "--closes-at", "2099-01-01"])
    assert opened.exit_code == 0, opened.output
    assert _status(engine, world.customer_survey_id) == "open"
    unknown = runner.invoke(app, ["surveys", "close", "nope"])
    assert unknown.exit_code == 1 and "known surveys" in unknown.output
    bad = runner.invoke(app, ["surveys", "open", "klanten-2026-h2", "--opens-at", "soon"])
    assert bad.exit_code == 2


def test_invitations_create_writes_a_mail_merge_file(
    env: None, engine: Engine, world: World, tmp_path: Path
) -> None:
    with transaction(engine) as s:  # two more employees since the fixture issued links
        for key in ("E6", "E7"):
            s.add(
                Employee(
                    organisation_id=world.organisation_id,
                    key=key,
                    unit_id=world.units["N2"],
                    role_group=RoleGroup.FRONT_LINE,
                )
            )
    out = tmp_path / "mailmerge.csv"
    result = runner.invoke(
        app, ["invitations", "create", "--survey", "medewerkers-2026-h2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["employee_key"] for r in rows] == ["E6", "E7"]
    assert rows[0]["unit_code"] == "N2" and rows[0]["role_group"] == "front_line"
    assert all(r["url"].startswith(f"{PUBLIC_URL}/s/") for r in rows)
    tokens = [r["url"].rsplit("/", 1)[1] for r in rows]
    with transaction(engine) as s:
        hashes = set(s.scalars(select(Invitation.token_hash)))
    assert {token_hash(t) for t in tokens} <= hashes
    again = runner.invoke(
        app, ["invitations", "create", "--survey", "medewerkers-2026-h2", "--out", str(out)]
    )
    assert again.exit_code == 1 and "exists" in again.output


def test_links_writes_qr_codes_and_posters(env: None, world: World, tmp_path: Path) -> None:
    out = tmp_path / "posters"
    result = runner.invoke(
        app, ["links", "--survey", "klanten-2026-h2", "--out", str(out), "--unit", "N1"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["N1.pdf", "N1.png", "N1.svg", "links.csv"]
    [row] = list(csv.DictReader((out / "links.csv").open(encoding="utf-8")))
    assert row["url"] == f"{PUBLIC_URL}/s/{world.location_tokens['N1']}"
    assert Image.open(out / "N1.png").format == "PNG"
    assert (out / "N1.pdf").read_bytes().startswith(b"%PDF-")
    assert "Locatie Zoë" in (out / "N1.svg").read_text(encoding="utf-8")
    wrong = runner.invoke(app, ["links", "--survey", "medewerkers-2026-h2", "--out", str(out)])
    assert wrong.exit_code == 1 and "customer surveys" in wrong.output


def test_serve_upgrades_the_database_and_runs_uvicorn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(
        serve_module.uvicorn, "run", lambda target, **kw: calls.append((target, kw))
    )
    monkeypatch.delenv("SPIEGEL_DATABASE_URL", raising=False)
    db = tmp_path / "serve.db"
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "8123", "--workers", "2"])
    assert result.exit_code == 0, result.output
    [(target, kwargs)] = calls
    assert target == "spiegel.web.app:create_app_from_env" and kwargs["factory"] is True
    assert (kwargs["port"], kwargs["workers"], kwargs["host"]) == (8123, 2, "127.0.0.1")
    engine = make_engine(f"sqlite:///{db}")
    assert current_revision(engine) is not None
    engine.dispose()
