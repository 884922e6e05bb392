"""The Typer application: one sub-application per area, collected here."""

from __future__ import annotations

import typer

from spiegel import __version__
from spiegel.cli import db as db_commands

app = typer.Typer(
    help="Spiegel: employee engagement and customer experience, side by side.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(db_commands.app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spiegel {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and stop."
    ),
) -> None:
    """Spiegel command line."""


def main() -> None:
    app()
