"""Settings come from SPIEGEL_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiegel.config import Settings


def test_instrument_dirs_split_on_colons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIEGEL_INSTRUMENT_DIRS", "/a/b:/c")
    assert Settings().instrument_dirs == [Path("/a/b"), Path("/c")]
    monkeypatch.setenv("SPIEGEL_INSTRUMENT_DIRS", '["/x y", "/z"]')
    assert Settings().instrument_dirs == [Path("/x y"), Path("/z")]


def test_postgres_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", "postgres://u@h/db")
    assert Settings().database_url == "postgresql+psycopg://u@h/db"


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "production")
    monkeypatch.delenv("SPIEGEL_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="SPIEGEL_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", "x" * 40)
    assert Settings().environment == "production"
