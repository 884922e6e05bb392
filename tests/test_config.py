"""Settings come from SPIEGEL_* environment variables."""

from __future__ import annotations

import base64
import secrets
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spiegel.cli import app
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
    key = secrets.token_urlsafe(32)
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", key)
    assert Settings().environment == "production" and Settings().secret_key == key


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("x", "1 character"),
        (secrets.token_urlsafe(31)[:42], "42 characters"),
        (secrets.token_hex(24), "48 hex digits"),
        ("".join(secrets.choice(string.digits) for _ in range(60)), "60 digits"),
        ("a" * 64, "1 different character"),
        ("correct horse battery staple " * 2, "repeats"),
        ("0123456789abcdef" * 4, "repeats"),
        ("aB3-xY9_" * 6, "repeats"),
    ],
    ids=["one", "short", "short-hex", "digits", "one-char", "phrase", "hex-pattern", "pattern"],
)
def test_production_wants_32_random_bytes_in_the_secret_key(
    monkeypatch: pytest.MonkeyPatch, key: str, why: str
) -> None:
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "production")
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", key)
    with pytest.raises(ValueError) as caught:
        Settings()
    message = str(caught.value)
    assert "SPIEGEL_SECRET_KEY" in message and why in message
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in message
    assert len(key) < 10 or key[-8:] not in message  # no part of the key is printed
    # Development and tests take any key.
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "development")
    assert Settings().secret_key == key


@pytest.mark.parametrize(
    "make",
    [
        lambda: secrets.token_urlsafe(32),
        lambda: secrets.token_hex(32),
        lambda: secrets.token_hex(32).upper(),
        lambda: base64.b64encode(secrets.token_bytes(32)).decode(),  # openssl rand -base64 32
        lambda: "".join(secrets.choice(string.digits) for _ in range(78)),
    ],
    ids=["urlsafe", "hex", "HEX", "base64", "digits"],
)
def test_production_takes_random_keys(monkeypatch: pytest.MonkeyPatch, make: object) -> None:
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "production")
    for _ in range(200):
        key = make()  # type: ignore[operator]
        monkeypatch.setenv("SPIEGEL_SECRET_KEY", key)
        assert Settings().secret_key == key


def test_the_command_line_names_the_problem_and_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "production")
    monkeypatch.setenv("SPIEGEL_SECRET_KEY", "short-secret-7f3a")
    result = CliRunner().invoke(app, ["db", "status"], terminal_width=300)
    assert result.exit_code == 1
    text = " ".join(result.output.split())  # as one line, however the console wraps it
    assert text.startswith("Error: SPIEGEL_SECRET_KEY is not safe for production")
    assert "it has 17 characters" in text and "secrets.token_urlsafe(32)" in text
    assert "validation error" not in text and "short-secret" not in text
    monkeypatch.setenv("SPIEGEL_ENVIRONMENT", "staging")
    result = CliRunner().invoke(app, ["db", "status"], terminal_width=300)
    assert result.exit_code == 1
    assert " ".join(result.output.split()).startswith("Error: SPIEGEL_ENVIRONMENT: Input should be")
