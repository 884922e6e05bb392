"""``spiegel analyze`` and ``spiegel report``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, database, friendly_errors, settings_for

if TYPE_CHECKING:
    from spiegel.results import Step
    from spiegel.services import analyze, reporting
else:  # the statistics and the report renderer load when a command runs
    analyze = lazy_module("spiegel.services.analyze")
    reporting = lazy_module("spiegel.services.reporting")

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation (slug); default: the only one.")
]
WaveOption = Annotated[
    str | None, typer.Option("--wave", help="The wave to describe; default: the latest.")
]


STATUS = {
    "ok": "[green]ok[/]",
    "not_available": "[yellow]not available[/]",
    "failed": "[red]failed[/]",
}


def print_steps(steps: list[Step]) -> None:
    """Each step with its time and how it went; a reason in plain words when not ok."""
    table = Table(title="Analysis steps")
    for col in ("step", "seconds", "result", "reason"):
        table.add_column(col)
    for s in steps:
        reason = s.reason.en if s.reason is not None else ""
        table.add_row(s.name, f"{s.seconds:.2f}", STATUS[s.status], reason)
    console.print(table)


def analyze_cmd(
    db: DbOption = None,
    org: OrgOption = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the results document to FILE.")
    ] = None,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples for CIs.")] = 500,
    wave: WaveOption = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the details of steps that fail unexpectedly.")
    ] = False,
) -> None:
    """Run every analysis for the organisation and store the protected results."""
    _log_details(debug)
    with friendly_errors(), database(settings_for(db)) as engine:
        with console.status("Analysing...") as status:
            results, steps = analyze.analyze(
                engine,
                org,
                n_boot=n_boot,
                progress=lambda n: status.update(f"Analysing: {n}"),
                wave=wave,
            )
        print_steps(steps)
        if json_path:
            console.print(f"Results written to {reporting.write_json(results, json_path)}")
        failed = [s.name for s in steps if s.status == "failed"]
        if failed:
            hint = "" if debug else " Run again with --debug to see why."
            console.print(
                f"[red]{len(failed)} step(s) failed unexpectedly ({', '.join(failed)}); the "
                f"other results were stored.{hint}[/]"
            )
            raise typer.Exit(1)


def _log_details(debug: bool) -> None:
    """With ``--debug``, the analysis log (tracebacks of failed steps) goes to the
    terminal; without it, nothing but the table of steps does."""
    log = logging.getLogger("spiegel")
    log.handlers = [logging.StreamHandler() if debug else logging.NullHandler()]
    log.setLevel(logging.INFO if debug else logging.CRITICAL + 1)
    log.propagate = False


def report_cmd(
    db: DbOption = None,
    org: OrgOption = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit code: a unit's report.")] = None,
    wave: WaveOption = None,
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    lang: Annotated[str, typer.Option("--lang", help="nl or en.")] = "nl",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write.")] = None,
) -> None:
    """Write the organisation report, or a unit's report, from the latest analysis."""
    with friendly_errors(), database(settings_for(db)) as engine:
        results = reporting.latest_results(engine, org, wave)
        uid = reporting.unit_id(engine, unit, org) if unit else None
        path = output or Path(f"spiegel-report{'-' + unit if unit else ''}-{lang}.{fmt}")
        with console.status("Rendering report..."):
            written = reporting.write_report(results, path, fmt=fmt, lang=lang, unit=uid)
        console.print(f"Report written to [bold]{written}[/]")
