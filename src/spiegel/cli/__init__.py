"""The ``spiegel`` command: thin Typer commands that parse, call a service and print."""

from spiegel.cli.app import app, main

__all__ = ["app", "main"]
