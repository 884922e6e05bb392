"""``spiegel import list`` and ``spiegel import undo``: the files imported, and taking one
back out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from spiegel._lazy import lazy_module
from spiegel.cli.common import (
    DbOption,
    console,
    database,
    err_console,
    friendly_errors,
    settings_for,
)

if TYPE_CHECKING:
    from spiegel.services import import_batches
else:  # the store loads when a command runs
    import_batches = lazy_module("spiegel.services.import_batches")

OrgOpt = Annotated[
    str | None, typer.Option("--org", help="Organisation (slug); needed when there are several.")
]


def register(import_app: typer.Typer) -> None:
    """Add ``list`` and ``undo`` to ``spiegel import``."""
    import_app.command("list")(list_cmd)
    import_app.command("undo")(undo_cmd)


def list_cmd(org: OrgOpt = None, db: DbOption = None) -> None:
    """Every imported file, newest first: its batch number, when, what and into which
    survey, the file and its rows. `spiegel import undo BATCH` takes one out again."""
    with friendly_errors(), database(settings_for(db)) as engine:
        batches = import_batches.list_batches(engine, org)
    if not batches:
        console.print("No imports yet.")
        return
    table = Table(title="Imports (newest first)", title_justify="left")
    table.add_column("Batch", justify="right", style="cyan")
    table.add_column("Imported")
    table.add_column("What")
    table.add_column("Into")
    table.add_column("File", no_wrap=True)
    table.add_column("Rows", justify="right")
    table.add_column("Notes")
    for b in batches:
        notes = [n for n, on in (("with a mapping", b.mapped), ("no undo", not b.undoable)) if on]
        table.add_row(
            str(b.id),
            b.created_at.strftime("%Y-%m-%d %H:%M"),
            b.kind,
            b.target,
            b.filename,
            f"{b.rows:,}",
            ", ".join(notes),
        )
    console.print(table)


def undo_cmd(
    batch: Annotated[int, typer.Argument(help="The batch number (see `spiegel import list`).")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Also when stored analysis results were built on the batch."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    org: OrgOpt = None,
    db: DbOption = None,
) -> None:
    """Take an imported file back out: every row it wrote, or nothing.

    Responses and outcomes can be undone; outcome figures the import replaced get their
    old values back. Refused when analysis results were stored after the import, unless
    --force (then run `spiegel analyze` again).
    """
    with friendly_errors(), database(settings_for(db)) as engine:
        if not yes:
            known = {b.id: b for b in import_batches.list_batches(engine, org)}
            found = known.get(batch)
            what = (
                f"batch {batch} ({found.kind}, {found.filename}, {found.rows:,} rows)"
                if found is not None
                else f"batch {batch}"
            )
            if not typer.confirm(f"Undo {what}?", default=False):
                err_console.print("Nothing changed.")
                raise typer.Exit(1)
        result = import_batches.undo_batch(engine, batch, org, force)
    console.print(f"[green]Undone[/] {result.summary()}")
    for note in result.notes:
        console.print(f"  [yellow]{note}[/]")
