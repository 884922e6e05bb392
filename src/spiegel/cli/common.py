"""What every command shares: the console, the database option, error printing.

The command modules import typer, rich and this module at start; what a command works
with (services, the database, pandas) they load through :func:`spiegel._lazy.lazy_module`
on first use, so that ``spiegel --help`` and ``spiegel serve`` start in well under a
second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from spiegel._lazy import lazy_module

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from spiegel import config
    from spiegel.store import db as store
else:
    config = lazy_module("spiegel.config")
    store = lazy_module("spiegel.store.db")

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


def settings_for(db: Path | None) -> config.Settings:
    """Settings from the environment, with ``--db`` taking precedence."""
    if db is not None:
        return config.get_settings(database_url=config.sqlite_url(db))
    return config.get_settings()


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
def database(settings: config.Settings, migrated: bool = True) -> Iterator[Engine]:
    """An engine for ``settings``' database, disposed of afterwards.

    With ``migrated``, an empty database is refused with a message instead of failing
    later on a missing table.
    """
    engine = store.make_engine(settings.database_url, settings.echo_sql)
    try:
        if migrated and store.current_revision(engine) is None:
            raise UserError("the database has no tables yet; run `spiegel db upgrade` first")
        yield engine
    finally:
        engine.dispose()


@contextmanager
def open_session(settings: config.Settings) -> Iterator[Session]:
    """A session on ``settings``' database; the engine is disposed of afterwards."""
    with database(settings) as engine, store.session_factory(engine)() as s:
        yield s
