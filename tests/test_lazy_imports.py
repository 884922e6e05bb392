"""Start-up loads only what it uses.

``spiegel --help`` and ``--version`` load neither the database layer nor any heavy module
(statistics, reports, pandas); building the web application and serving a respondent (the
survey page, a JSON submission, ``/healthz``) loads none of the heavy modules either. Each
is checked in a fresh interpreter (``tests/import_probe.py``); ``bench/startup.py`` times
them. Deferring imports must break nothing: every command still resolves, and every
deferred module exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

import spiegel
from spiegel._lazy import LazyModule
from spiegel.cli import app
from tests.import_probe import heavy, loaded_after
from tests.web.conftest import SECRET, build_world

runner = CliRunner()

NOT_FOR_HELP = ("sqlalchemy", "alembic", "fastapi", "pydantic_settings", "spiegel.store.models")
"""What the command line needs only once a command runs."""


@pytest.mark.parametrize("args", [["--help"], ["--version"]], ids=["help", "version"])
def test_the_command_line_starts_without_heavy_modules(args: list[str]) -> None:
    loaded = loaded_after("cli", *args)
    assert heavy(loaded) == []
    assert [name for name in NOT_FOR_HELP if name in loaded] == []


def test_a_respondent_is_served_without_heavy_modules(db_url: str, engine: Engine) -> None:
    """The survey page, a whole questionnaire sent as JSON (the fast lane on PostgreSQL)
    and the health check, in a worker that ran the console script as each does (without
    loading the command line)."""
    token = build_world(engine).location_tokens["N1"]
    loaded = loaded_after("survey", db_url, SECRET, token)
    assert heavy(loaded) == []
    assert [name for name in ("alembic", "typer", "spiegel.cli.app") if name in loaded] == []


def _commands(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subcommands = getattr(command, "commands", None)  # a group (typer has its own click)
    if isinstance(subcommands, dict):
        for name, sub in subcommands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path


def test_every_command_resolves() -> None:
    """``spiegel X [Y] --help`` works for every command (its options' types resolve)."""
    commands = sorted(_commands(typer.main.get_command(app)))
    assert ("serve",) in commands and ("import", "responses") in commands
    assert len(commands) >= 25
    for path in commands:
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, (path, result.output, result.exception)
        assert "Usage" in result.output, path


def _spiegel_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(spiegel.__path__, "spiegel."):
        if ".migrations" not in info.name:  # alembic runs these itself
            yield info.name


def test_every_deferred_module_exists() -> None:
    """A misspelt ``lazy_module("...")`` would fail only when first used: import each."""
    deferred = {
        (name, value.__name__)
        for name in _spiegel_modules()
        for value in vars(importlib.import_module(name)).values()
        if isinstance(value, LazyModule)
    }
    assert ("spiegel.cli.data", "spiegel.services.importing") in deferred
    for owner, target in sorted(deferred):
        assert importlib.import_module(target).__name__ == target, owner
