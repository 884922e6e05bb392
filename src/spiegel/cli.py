"""Command line entry point (placeholder until the commands land)."""

import typer

app = typer.Typer(help="Spiegel: employee engagement and customer experience, side by side.")


@app.callback()
def _root() -> None:
    """Spiegel command line."""


def main() -> None:
    app()
