"""``spiegel analyze`` and ``spiegel report``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, database, friendly_errors, settings_for

if TYPE_CHECKING:
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


def print_steps(steps: list[analyze.Step]) -> None:
    table = Table(title="Analysis steps")
    for col in ("step", "seconds", "result"):
        table.add_column(col)
    for s in steps:
        table.add_row(s.name, f"{s.seconds:.2f}", f"[yellow]{s.error}[/]" if s.error else "ok")
    console.print(table)


def analyze_cmd(
    db: DbOption = None,
    org: OrgOption = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the results document to FILE.")
    ] = None,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples for CIs.")] = 500,
    wave: WaveOption = None,
) -> None:
    """Run every analysis for the organisation and store the protected results."""
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
