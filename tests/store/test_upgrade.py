"""Migrations at start-up: applied when the database is behind, skipped cheaply when not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from spiegel.store import db
from spiegel.store.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    upgrade_if_behind,
)


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def _record_upgrades(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = db.upgrade

    def recording(url: str, revision: str = "head") -> None:
        calls.append(url)
        real(url, revision)

    monkeypatch.setattr(db, "upgrade", recording)
    return calls


def test_head_revision_is_alembics() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revision() == script.get_current_head()


def _versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, str]) -> None:
    """The migrations, with ``extra`` files added, as the ones :mod:`spiegel.store.db` reads."""
    shutil.copytree(db.MIGRATIONS / "versions", tmp_path / "versions")
    for name, text in extra.items():
        (tmp_path / "versions" / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(db, "MIGRATIONS", tmp_path)


def test_head_revision_is_none_unless_one_migration_is_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = head_revision()
    branch = f'revision: str = "b1"\ndown_revision: str | None = "{head}"\n'
    _versions(tmp_path, monkeypatch, {"b1.py": branch})
    assert head_revision() == "b1"
    two = {"b1.py": branch, "b2.py": branch.replace("b1", "b2")}
    _versions(tmp_path / "two", monkeypatch, two)
    assert head_revision() is None
    merge = 'revision = "m"\ndown_revision = ("b1", "b2")\n'
    _versions(tmp_path / "merged", monkeypatch, {**two, "m.py": merge})
    assert head_revision() == "m"
    _versions(tmp_path / "odd", monkeypatch, {"x.py": "revision = make_id()\n"})
    assert head_revision() is None


def test_upgrade_if_behind_migrates_only_a_database_that_is_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'spiegel.db'}"
    calls = _record_upgrades(monkeypatch)
    assert upgrade_if_behind(url) is True  # empty
    assert _revision(url) == head_revision() and len(calls) == 1
    assert upgrade_if_behind(url) is False  # up to date: alembic is not asked
    assert len(calls) == 1
    command.downgrade(alembic_config(url), "-1")
    assert _revision(url) != head_revision()
    assert upgrade_if_behind(url) is True
    assert _revision(url) == head_revision() and len(calls) == 2


def test_upgrade_if_behind_leaves_an_up_to_date_database_alone(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _record_upgrades(monkeypatch)
    assert upgrade_if_behind(db_url) is False
    assert calls == []
