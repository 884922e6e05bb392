"""Benchmark the analysis engine on a large synthetic organisation.

    uv run python bench/analysis.py [--employees 50000] [--locations 620] [--customers 500000]
                                    [--no-store] [--postgres URL]

Generates the organisation with the demo generator (default: 50,000 employees in about
2,500 units, 4 waves of 500,000 customer responses = 2,000,000), then

1. times each step of the full analysis (the same steps `spiegel analyze` runs, privacy
   gate included) on the frames in memory, and the unit aggregation next to a plain
   DuckDB GROUP BY over the same data;
2. (unless ``--no-store``) imports the organisation's files into a scratch PostgreSQL
   database the way a user would, and times what a user waits for: ``spiegel analyze``
   end to end (reading from the store, every step, writing the results). Target: under
   60 s.

Prints one line per step and the totals.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import duckdb
import numpy as np
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spiegel.analysis import aggregate_units
from spiegel.demo import DemoData, generate, write_files
from spiegel.services.analyze import analyse_frames
from spiegel.services.demo import import_directory, wave_dates
from spiegel.services.demo_frames import organisation_frames
from spiegel.store.db import upgrade

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--locations", type=int, default=620)
    parser.add_argument("--customers", type=int, default=500_000, help="per wave (4 waves)")
    parser.add_argument("--boot", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-store", action="store_true", help="skip the end-to-end run")
    parser.add_argument("--postgres", default=POSTGRES, help="server for the scratch database")
    args = parser.parse_args()

    start = time.perf_counter()
    data = generate(
        seed=args.seed,
        employees=args.employees,
        locations=args.locations,
        regions=max(4, args.locations // 20),
        customers_per_wave=args.customers,
    )
    frames = organisation_frames(data)
    print(
        f"generated {len(frames.units):,} units, {len(frames.employee):,} employee and "
        f"{len(frames.customer):,} customer responses over {len(frames.waves)} waves "
        f"in {time.perf_counter() - start:.1f} s"
    )

    results, _job = analyse_frames(frames, n_boot=args.boot)
    total = 0.0
    print(f"{'step':<16}{'seconds':>9}")
    for step in results.steps:
        total += step.seconds
        flag = f"  {step.status}: {step.reason.en}" if step.reason else ""
        print(f"{step.name:<16}{step.seconds:>9.2f}{flag}")
    print(f"{'all steps':<16}{total:>9.2f}   (target < 60 s)")

    cust = frames.customer[["unit_id", "overall_grade"]].copy()
    cust["unit_id"] = cust["unit_id"].astype(np.int64)
    ours = best_of(lambda: aggregate_units(cust, unit="unit_id", value="overall_grade"))
    con = duckdb.connect()
    con.register("cust", cust)
    query = (
        "SELECT unit_id, count(overall_grade), avg(overall_grade), stddev_samp(overall_grade) "
        "FROM cust GROUP BY unit_id"
    )
    duck = best_of(lambda: con.execute(query).fetchall())
    print(
        f"unit aggregation of {len(cust):,} rows: spiegel {ours * 1000:.0f} ms, "
        f"DuckDB GROUP BY {duck * 1000:.0f} ms, ratio {ours / duck:.2f} (target <= 2)"
    )
    if not args.no_store:
        end_to_end(data, args.postgres, args.boot)


def end_to_end(data: DemoData, server: str, n_boot: int) -> None:
    """Import the organisation into a scratch PostgreSQL database, then time
    ``spiegel analyze`` as a user runs it (a new process: start-up included)."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"spiegel_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            paths = write_files(data, Path(tmp))
            import_directory(url, paths, wave_dates(data), lambda _msg: None)
            print(f"imported the files into PostgreSQL in {time.perf_counter() - start:.1f} s")
        command = [str(Path(sys.executable).with_name("spiegel")), "analyze", "--boot", str(n_boot)]
        start = time.perf_counter()
        done = subprocess.run(
            command, env={"SPIEGEL_DATABASE_URL": url, "PATH": ""}, capture_output=True, text=True
        )
        took = time.perf_counter() - start
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])
        print(f"spiegel analyze end to end on PostgreSQL: {took:.1f} s   (target < 60 s)")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
