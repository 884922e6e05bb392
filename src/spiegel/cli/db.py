"""``spiegel db``: the database schema."""

from __future__ import annotations

import typer

from spiegel.cli.common import DbOption, console, friendly_errors, settings_for
from spiegel.store.db import current_revision, make_engine, upgrade

app = typer.Typer(help="Create or upgrade the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd(db: DbOption = None) -> None:
    """Apply all migrations (creates the database when it does not exist)."""
    with friendly_errors():
        settings = settings_for(db)
        upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        console.print(f"Database at revision [bold]{current_revision(engine)}[/].")
        engine.dispose()


@app.command("status")
def status_cmd(db: DbOption = None) -> None:
    """Show the schema revision of the database."""
    with friendly_errors():
        settings = settings_for(db)
        engine = make_engine(settings.database_url)
        console.print(f"Revision: {current_revision(engine) or 'empty (run spiegel db upgrade)'}")
        engine.dispose()
