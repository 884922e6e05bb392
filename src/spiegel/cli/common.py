"""What every command shares: the console, the database option, error printing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from spiegel.config import Settings, get_settings, sqlite_url

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
