"""Benchmark the analysis engine on a large synthetic organisation.

    uv run python bench/analysis.py [--employees 50000] [--locations 1000] [--customers 500000]

Generates the organisation with the demo generator (default: 50,000 employees in about
2,500 units, 4 waves of 500,000 customer responses = 2,000,000), then times each step of
the full analysis (the same steps `spiegel analyze` runs, privacy gate included) on the
frames in memory, and the unit aggregation next to a plain DuckDB GROUP BY over the same
data. Prints one line per step and the totals.
"""

from __future__ import annotations

import argparse
import time

import duckdb
import numpy as np

from spiegel.analysis import aggregate_units
from spiegel.demo import generate
from spiegel.services.analyze import analyse_frames
from spiegel.services.demo_frames import organisation_frames


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


if __name__ == "__main__":
    main()
