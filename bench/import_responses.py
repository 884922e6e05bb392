"""Benchmark: import a million customer responses into SQLite and PostgreSQL.

    uv run python bench/import_responses.py [--rows N] [--skip-sqlite] [--skip-postgres]

Generates a wide CSV (respondent, unit and 10 items of the built-in ``customer``
instrument, about 3% of answers blank) in ``bench/out/``, imports it with
``spiegel.services.importing.import_responses`` into a fresh SQLite file and a fresh
PostgreSQL database (created and dropped here), and prints rows/s for each next to a plain
PostgreSQL ``COPY`` of the same file into a table without constraints or indexes.
Target: the PostgreSQL import within 3x of that ``COPY``.

PostgreSQL: the admin URL comes from ``SPIEGEL_BENCH_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); the benchmark database is created
next to it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spiegel.services.importing import import_responses, import_units
from spiegel.store.db import make_engine, upgrade

OUT = Path(__file__).parent / "out"
ADMIN_URL = os.environ.get(
    "SPIEGEL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ITEMS = [
    "overall_grade",
    "recommend",
    "mot_first_contact",
    "mot_intake",
    "mot_drop_off",
    "mot_pick_up",
    "mot_updates",
    "asp_friendliness",
    "asp_expertise",
    "asp_reliability",
]
N_LOCATIONS = 2_500


def generate(rows: int) -> tuple[Path, Path]:
    """The responses CSV and a units CSV with one organisation and its locations."""
    OUT.mkdir(parents=True, exist_ok=True)
    units = OUT / "bench_units.csv"
    codes = [f"LOC{i:05d}" for i in range(N_LOCATIONS)]
    lines = ["code;name;kind;parent", "BENCH;Benchmark BV;organisation;"]
    lines += [f"{c};Locatie {c};location;BENCH" for c in codes]
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")

    path = OUT / f"responses_{rows}.csv"
    if path.exists():
        return path, units
    rng = np.random.default_rng(2026)
    columns: dict[str, pa.Array] = {
        "respondent": pa.array(np.char.add("R", np.arange(rows).astype(str))),
        "unit": pa.array(np.asarray(codes)[rng.integers(0, N_LOCATIONS, rows)]),
    }
    for item in ITEMS:
        low = 0 if item == "recommend" else 1
        values = rng.integers(low, 11, rows).astype(float)
        values[rng.random(rows) < 0.03] = np.nan
        columns[item] = pa.array(values, mask=np.isnan(values)).cast(pa.int64())
    pacsv.write_csv(
        pa.table(columns),
        path,
        write_options=pacsv.WriteOptions(delimiter=";", quoting_style="needed"),
    )
    return path, units


def _import(url: str, responses: Path, units: Path) -> tuple[float, dict[str, float]]:
    upgrade(url)
    engine = make_engine(url)
    try:
        import_units(engine, units)
        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            marks.setdefault(stage, time.perf_counter())

        start = time.perf_counter()
        result = import_responses(
            engine,
            responses,
            survey="bench",
            wave="2026-Q1",
            instrument="customer",
            progress=progress,
        )
        elapsed = time.perf_counter() - start
        if result.counts.get("imported") is None:
            raise RuntimeError(f"nothing imported: {result.summary()}")
        stages = ["reading", "checking", "writing"]  # "reading" includes setting up the survey
        phases = {}
        for here, nxt in zip(stages, [*stages[1:], None], strict=True):
            end = marks.get(nxt, start + elapsed) if nxt else start + elapsed
            phases[here] = end - marks.get(here, start)
        return elapsed, phases
    finally:
        engine.dispose()


def plain_copy(url: str, responses: Path) -> float:
    """Seconds for ``COPY`` of the file into a plain table (no constraints, no indexes)."""
    engine = create_engine(url)
    columns = ", ".join(["respondent text", "unit text", *(f"{i} integer" for i in ITEMS)])
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE plain_copy ({columns})"))
        start = time.perf_counter()
        with engine.begin() as conn:
            raw = conn.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(
                    "COPY plain_copy FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')"
                ) as copy,
                responses.open("rb") as fh,
            ):
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
        return time.perf_counter() - start
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    t = time.perf_counter()
    responses, units = generate(args.rows)
    size = responses.stat().st_size / 1e6
    print(
        f"file: {responses} ({args.rows:,} rows, {size:.1f} MB; "
        f"{time.perf_counter() - t:.1f} s to make)"
    )

    def line(label: str, seconds: float, phases: dict[str, float] | None = None) -> None:
        detail = ""
        if phases:
            detail = "  (" + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()) + ")"
        print(f"{label:<34} {seconds:7.2f} s  {args.rows / seconds:>11,.0f} rows/s{detail}")

    if not args.skip_sqlite:
        db = OUT / f"bench_{uuid.uuid4().hex[:8]}.db"
        try:
            seconds, phases = _import(f"sqlite:///{db}", responses, units)
            line("spiegel import, SQLite", seconds, phases)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

    if not args.skip_postgres:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"spiegel_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        try:
            seconds, phases = _import(url, responses, units)
            copy_seconds = plain_copy(url, responses)
            line("spiegel import, PostgreSQL", seconds, phases)
            line("plain COPY of the file, PostgreSQL", copy_seconds)
            ratio = seconds / copy_seconds
            verdict = "within" if ratio <= 3 else "NOT within"
            print(f"PostgreSQL import / plain COPY: {ratio:.2f}x ({verdict} the 3x target)")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
