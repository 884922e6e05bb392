"""``spiegel waves``: measurement waves (name, start, end)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from spiegel.cli.common import DbOption, console, database, friendly_errors, settings_for
from spiegel.services.waves import define_wave
from spiegel.store.db import session_factory
from spiegel.store.organisation import get_organisation, waves

app = typer.Typer(help="Measurement waves, e.g. 2026-H1.", no_args_is_help=True)
OrgOption = Annotated[str | None, typer.Option("--org", help="Organisation (slug).")]


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date like 2026-01-31") from None


@app.command("add")
def add_cmd(
    name: Annotated[str, typer.Argument(help="Wave name, e.g. 2026-H1.")],
    start: Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")],
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Add a wave, or correct its dates. Waves are ordered by their start."""
    with friendly_errors(), database(settings_for(db)) as engine:
        created = define_wave(engine, name, _date(start, "--start"), _date(end, "--end"), org)
        console.print(f"Wave {name} {'added' if created else 'updated'}: {start} to {end}.")


@app.command("list")
def list_cmd(org: OrgOption = None, db: DbOption = None) -> None:
    """List the waves in order."""
    with friendly_errors(), database(settings_for(db)) as engine:
        with session_factory(engine)() as session:
            organisation = get_organisation(session, org)
            table = Table(title=f"Waves of {organisation.name}")
            for col in ("wave", "starts", "ends"):
                table.add_column(col)
            for w in waves(session, organisation.id):
                table.add_row(w.name, str(w.starts_on), str(w.ends_on))
        console.print(table)
