"""Build the demo: generate the organisation, import its files, analyse, write reports.

The demo's data goes in through the same import path as a user's files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spiegel.config import sqlite_url
from spiegel.demo import DemoData, generate, write_files
from spiegel.services import importing
from spiegel.services.analyze import Step, analyze
from spiegel.services.demo_accounts import DemoAccount, create_demo_accounts
from spiegel.services.reporting import write_json, write_report
from spiegel.services.waves import define_wave
from spiegel.store.db import make_engine, upgrade

Progress = Callable[[str], None]


@dataclass
class DemoBuild:
    """Where the demo's pieces are."""

    directory: Path
    database: Path
    data_files: dict[str, Path]
    reports: dict[str, Path] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)


def import_directory(
    url: str, paths: dict[str, Path], waves: list[tuple[str, dt.date, dt.date]], progress: Progress
) -> None:
    """Import a directory of files written like the demo's (units, employees, waves, ...)."""
    engine = make_engine(url)
    try:
        progress("importing units")
        importing.import_units(engine, paths["units"], organisation="demo")
        progress("importing employees")
        importing.import_employees(engine, paths["employees"])
        for name, start, end in waves:
            define_wave(engine, name, start, end)
        progress("importing outcomes")
        importing.import_outcomes(engine, paths["outcomes"])
        for key, path in paths.items():
            if ":" not in key:
                continue
            kind, wave = key.split(":", 1)
            audience = "employee" if kind.startswith("employee") else "customer"
            progress(f"importing {audience} responses {wave}")
            importing.import_responses(
                engine, path, survey=f"{audience}-{wave}", wave=wave, instrument=audience
            )
    finally:
        engine.dispose()


def build_demo(
    directory: Path,
    seed: int = 1,
    employees: int = 1200,
    customers_per_wave: int = 10_000,
    locations: int = 80,
    n_boot: int = 500,
    pdf: bool = True,
    progress: Progress | None = None,
) -> DemoBuild:
    """Generate, import, analyse and report the demo organisation in ``directory``, with
    a demo administrator and a demo location manager (``build.accounts``)."""
    say = progress or (lambda _msg: None)
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "spiegel.db"
    for stale in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        stale.unlink(missing_ok=True)
    say("generating the organisation")
    data = generate(
        seed=seed, employees=employees, customers_per_wave=customers_per_wave, locations=locations
    )
    paths = write_files(data, directory / "data")
    url = sqlite_url(database)
    upgrade(url)
    import_directory(url, paths, wave_dates(data), say)
    engine = make_engine(url)
    try:
        results, steps = analyze(
            engine, n_boot=n_boot, progress=lambda name: say(f"analysing: {name}")
        )
        say("adding the demo accounts")
        accounts = create_demo_accounts(engine)
    finally:
        engine.dispose()
    build = DemoBuild(directory, database, paths, steps=steps, accounts=accounts)
    build.reports["json"] = write_json(results, directory / "results.json")
    for lang in ("nl", "en"):
        say(f"writing the report ({lang})")
        build.reports[f"html-{lang}"] = write_report(
            results, directory / f"report-{lang}.html", "html", lang
        )
    if pdf:
        say("writing the PDF report")
        build.reports["pdf-nl"] = write_report(results, directory / "report-nl.pdf", "pdf", "nl")
    return build


def wave_dates(data: DemoData) -> list[tuple[str, dt.date, dt.date]]:
    """The demo's waves as (name, first day, last day)."""
    return [(str(w.name), _date(w.starts_on), _date(w.ends_on)) for w in data.waves.itertuples()]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
