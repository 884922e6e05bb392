"""The Typer application: one sub-application per area, collected here."""

from __future__ import annotations

import typer

from spiegel import __version__
from spiegel.cli import analysis as analysis_commands
from spiegel.cli import data as data_commands
from spiegel.cli import db as db_commands
from spiegel.cli import demo as demo_commands
from spiegel.cli import instruments as instrument_commands
from spiegel.cli import serve as serve_commands
from spiegel.cli import surveys as survey_commands
from spiegel.cli import users as user_commands
from spiegel.cli import waves as wave_commands

app = typer.Typer(
    help="Spiegel: employee engagement and customer experience, side by side.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.command("demo")(demo_commands.demo_cmd)
app.add_typer(db_commands.app, name="db")
app.command("analyze")(analysis_commands.analyze_cmd)
app.command("report")(analysis_commands.report_cmd)
app.add_typer(instrument_commands.app, name="instruments")
app.add_typer(wave_commands.app, name="waves")
app.add_typer(survey_commands.app, name="surveys")
app.add_typer(survey_commands.invitations_app, name="invitations")
app.command("links")(survey_commands.links_cmd)
app.command("serve")(serve_commands.serve_cmd)
app.add_typer(user_commands.app, name="users")
data_commands.register(app)


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
