"""``spiegel waves``: measurement waves (name, start, end)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, database, friendly_errors, settings_for

if TYPE_CHECKING:
    from spiegel.services import waves
    from spiegel.store import db as store
    from spiegel.store import organisation
else:
    waves = lazy_module("spiegel.services.waves")
    store = lazy_module("spiegel.store.db")
    organisation = lazy_module("spiegel.store.organisation")

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
        created = waves.define_wave(engine, name, _date(start, "--start"), _date(end, "--end"), org)
        console.print(f"Wave {name} {'added' if created else 'updated'}: {start} to {end}.")


@app.command("list")
def list_cmd(org: OrgOption = None, db: DbOption = None) -> None:
    """List the waves in order."""
    with friendly_errors(), database(settings_for(db)) as engine:
        with store.session_factory(engine)() as session:
            found = organisation.get_organisation(session, org)
            table = Table(title=f"Waves of {found.name}")
            for col in ("wave", "starts", "ends"):
                table.add_column(col)
            for w in organisation.waves(session, found.id):
                table.add_row(w.name, str(w.starts_on), str(w.ends_on))
        console.print(table)
