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
import pandas as pd

from spiegel.analysis import aggregate_units
from spiegel.demo import DemoData, generate
from spiegel.instruments import get_instrument
from spiegel.services.analyze import Analysis
from spiegel.services.dataset import OrganisationData


def organisation_frames(data: DemoData) -> OrganisationData:
    """The demo's frames in the shape the analysis service reads from the store."""
    units = data.units.reset_index(drop=True).copy()
    ids = {code: i + 1 for i, code in enumerate(units["code"])}
    units["id"] = units["code"].map(ids)
    units["parent_id"] = units["parent"].map(ids).astype("Int64")
    paths: dict[str, str] = {}

    def path(code: str) -> str:
        if code not in paths:
            parent = units.loc[units["code"] == code, "parent"].iloc[0]
            prefix = path(parent) if isinstance(parent, str) and parent else "/"
            paths[code] = f"{prefix}{ids[code]}/"
        return paths[code]

    parent_of = dict(zip(units["code"], units["parent"], strict=True))
    for code in _topological(parent_of):
        path(code)
    units["path"] = units["code"].map(paths)
    units["depth"] = units["path"].str.count("/") - 2

    def responses(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        out = pd.concat(list(frames.values()), ignore_index=True)
        out = out.rename(columns={"unit": "unit_code"})
        out.insert(1, "unit_id", out["unit_code"].map(ids))
        if "role_group" not in out:
            out["role_group"] = None
        return out

    employee = responses(dict(data.employee_responses))
    customer = responses(dict(data.customer_responses))
    texts = []
    for frame, audience in ((employee, "employee"), (customer, "customer")):
        inst = get_instrument(audience)
        for item in inst.items:
            if inst.format_of(item.id).kind == "text" and item.id in frame:
                t = frame[["wave", "unit_id", item.id]].dropna().rename(columns={item.id: "text"})
                t["audience"], t["item_id"] = audience, item.id
                texts.append(t)
    outcomes = data.outcomes.rename(columns={"unit": "unit_code"})
    outcomes["unit_id"] = outcomes["unit_code"].map(ids)
    headcount = data.employees.assign(unit_id=data.employees["unit"].map(ids))
    headcount = headcount.groupby(["unit_id", "role_group"]).size().rename("n").reset_index()
    return OrganisationData(
        organisation="bench",
        organisation_name="Benchmark",
        privacy={},
        units=units,
        waves=list(data.wave_names),
        employee=employee,
        customer=customer,
        texts=pd.concat(texts, ignore_index=True),
        outcomes=outcomes[["unit_id", "metric", "period", "value"]],
        headcount=headcount,
        employee_instrument=get_instrument("employee"),
        customer_instrument=get_instrument("customer"),
    )


def _topological(parent_of: dict[str, object]) -> list[str]:
    order, seen = [], set()
    for code in parent_of:
        chain = []
        while code and code not in seen and isinstance(code, str):
            chain.append(code)
            seen.add(code)
            code = parent_of.get(code)  # type: ignore[assignment]
        order.extend(reversed(chain))
    return order


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

    job = Analysis(frames, n_boot=args.boot)
    job.run()
    total = 0.0
    print(f"{'step':<16}{'seconds':>9}")
    for step in job.steps:
        total += step.seconds
        flag = f"  ERROR {step.error}" if step.error else ""
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
