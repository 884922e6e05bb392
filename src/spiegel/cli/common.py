"""What every command shares: the console, the database option, error printing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from spiegel.config import Settings, get_settings, sqlite_url
from spiegel.store.db import current_revision, make_engine, session_factory

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite database file to use instead of SPIEGEL_DATABASE_URL.",
        dir_okay=False,
    ),
]


def settings_for(db: Path | None) -> Settings:
    """Settings from the environment, with ``--db`` taking precedence."""
    if db is not None:
        return get_settings(database_url=sqlite_url(db))
    return get_settings()


class UserError(Exception):
    """A problem the user can fix; printed without a stack trace."""


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn expected errors into a red message and exit code 1, never a stack trace."""
    try:
        yield
    except (UserError, ValueError, LookupError, FileNotFoundError, PermissionError) as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from None


@contextmanager
def database(settings: Settings, migrated: bool = True) -> Iterator[Engine]:
    """An engine for ``settings``' database, disposed of afterwards.

    With ``migrated``, an empty database is refused with a message instead of failing
    later on a missing table.
    """
    engine = make_engine(settings.database_url, settings.echo_sql)
    try:
        if migrated and current_revision(engine) is None:
            raise UserError("the database has no tables yet; run `spiegel db upgrade` first")
        yield engine
    finally:
        engine.dispose()


@contextmanager
def open_session(settings: Settings) -> Iterator[Session]:
    """A session on ``settings``' database; the engine is disposed of afterwards."""
    with database(settings) as engine, session_factory(engine)() as s:
        yield s
