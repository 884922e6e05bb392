"""``spiegel db``: the database schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, friendly_errors, settings_for

if TYPE_CHECKING:
    from spiegel.store import db as store
else:
    store = lazy_module("spiegel.store.db")

app = typer.Typer(help="Create or upgrade the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd(db: DbOption = None) -> None:
    """Apply all migrations (creates the database when it does not exist)."""
    with friendly_errors():
        settings = settings_for(db)
        store.upgrade(settings.database_url)
        engine = store.make_engine(settings.database_url)
        console.print(f"Database at revision [bold]{store.current_revision(engine)}[/].")
        engine.dispose()


@app.command("status")
def status_cmd(db: DbOption = None) -> None:
    """Show the schema revision of the database."""
    with friendly_errors():
        settings = settings_for(db)
        engine = store.make_engine(settings.database_url)
        revision = store.current_revision(engine)
        console.print(f"Revision: {revision or 'empty (run spiegel db upgrade)'}")
        engine.dispose()
