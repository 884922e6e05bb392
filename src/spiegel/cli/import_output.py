"""What ``spiegel import`` prints: the problems of a refused file, progress, the result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from spiegel.cli.common import console, err_console
from spiegel.exports.writers import write_frame
from spiegel.ingest.problems import ImportErrors
from spiegel.services import importing, response_import

SHOWN_PROBLEMS = 50


@contextmanager
def import_errors(errors_csv: Path | None) -> Iterator[None]:
    """Show the problems of a refused file as a table (and all of them in a CSV)."""
    try:
        yield
    except ImportErrors as exc:
        problems = exc.problems
        table = Table(
            title=f"{exc.filename}: {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}; nothing was imported",
            title_justify="left",
            show_lines=False,
        )
        table.add_column("Row", justify="right", style="cyan")
        table.add_column("Column", style="magenta")
        table.add_column("Value", overflow="fold", max_width=30)
        table.add_column("Problem", overflow="fold")
        for p in problems[:SHOWN_PROBLEMS]:
            table.add_row(
                "" if p.row is None else str(p.row), p.column or "", p.value or "", p.reason
            )
        for note in exc.notes:
            err_console.print(f"Read as: {note}")
        err_console.print(table)
        if errors_csv is not None:
            write_frame(exc.to_frame(), errors_csv)
            err_console.print(f"All {len(problems)} problems written to [bold]{errors_csv}[/].")
        elif len(problems) > SHOWN_PROBLEMS:
            err_console.print(
                f"… and {len(problems) - SHOWN_PROBLEMS} more; write them all "
                "with --errors-csv FILE."
            )
        raise typer.Exit(1) from None


STAGES = {
    "reading": "Reading the file",
    "checking": "Checking every cell",
    "writing": "Writing responses",
}


@contextmanager
def progress_bar() -> Iterator[importing.Progress]:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


def report(result: importing.ImportResult) -> None:
    if result.already_imported is not None:
        console.print(f"[yellow]{result.summary()}[/]")
        return
    console.print(f"[green]Imported[/] {result.summary()}")
    for note in result.notes:
        console.print(f"  {note}")


def suggested(suggestion: response_import.Suggestion, path: Path) -> None:
    placed = len(suggestion.columns)
    console.print(f"[green]Wrote[/] {path}: {placed} columns placed; nothing was imported.")
    todo = [*suggestion.unplaced, *suggestion.open_values]
    if suggestion.open_units or suggestion.open_roles or todo:
        console.print(
            "  [yellow]Some answers or columns could not be placed; fill in the lines "
            "marked TODO[/]" + (f" ({', '.join(todo)})" if todo else "")
        )
    console.print(f"  Check it, then import with --mapping {path}")
