"""Benchmark the overview dashboard on a large analysed organisation.

    uv run python bench/dashboard.py [--dir DIR] [--employees 50000] [--locations 620]
                                     [--customers 50000] [--requests 50] [--rebuild]

Builds the demo organisation at size with ``build_demo`` (or reuses ``DIR/spiegel.db``
from an earlier run; the build time is printed when it runs), adds an admin and a location
manager, then requests through an in-process client (``TestClient``: routing, session
check, templates and JSON included, no network):

* the first overview after start (reads and parses the stored results of the run);
* the overview HTML and JSON twin, and the API overview, ``--requests`` times each;
* every region's overview once (page contexts not yet cached: building the heatmap spec);
* a manager's overview.

and prints p50/p95 per route. Target: p95 under 300 ms for the overview.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from spiegel.config import Settings, sqlite_url
from spiegel.services.demo import build_demo
from spiegel.services.users import add_user, start_session
from spiegel.store.db import make_engine, session_factory
from spiegel.store.models import AnalysisRun, Organisation, StaffUser, Unit, UnitKind
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE

SECRET = "bench-secret-key-0123456789-abcdefghijklmnop"


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"n={len(ordered):3d}  p50 {1000 * statistics.median(ordered):7.1f} ms  "
        f"p95 {1000 * p95:7.1f} ms  max {1000 * ordered[-1]:7.1f} ms"
    )


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _user(url: str, email: str, role: str, kind: UnitKind | None) -> str:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            org = s.scalars(select(Organisation)).one()
            user = s.scalar(select(StaffUser).where(StaffUser.email == email))
            if user is None:
                code = None
                if kind is not None:
                    code = s.scalar(select(Unit.code).where(Unit.kind == kind).limit(1))
                user = add_user(s, org, email, "bench-password-long", role, code)
            return start_session(s, user)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/spiegel-bench-dashboard"))
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--locations", type=int, default=620)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--n-boot", type=int, default=50)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    database = args.dir / "spiegel.db"
    if args.rebuild or not database.exists():
        print(
            f"building the demo: {args.employees} employees, {args.locations} locations, "
            f"{args.customers} customers per wave ..."
        )
        start = time.perf_counter()
        build_demo(
            args.dir,
            employees=args.employees,
            locations=args.locations,
            customers_per_wave=args.customers,
            n_boot=args.n_boot,
            pdf=False,
            progress=lambda msg: print(f"  {time.perf_counter() - start:7.1f}s  {msg}", flush=True),
        )
        print(f"build_demo took {time.perf_counter() - start:.0f} s")
    url = sqlite_url(database)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        units = s.scalar(select(Unit.id).order_by(Unit.id.desc()).limit(1))
        run = s.scalar(select(AnalysisRun.id).order_by(AnalysisRun.id.desc()).limit(1))
    size = (args.dir / "results.json").stat().st_size if (args.dir / "results.json").exists() else 0
    print(f"units: {units}, results document: {size / 1e6:.1f} MB (run {run})")

    admin_sid = _user(url, "bench-admin@example.org", "admin", None)
    manager_sid = _user(url, "bench-manager@example.org", "manager", UnitKind.LOCATION)
    settings = Settings(database_url=url, environment="test", secret_key=SECRET)
    app = create_app(settings, engine=engine)
    with TestClient(app) as client:
        client.cookies.set(SESSION_COOKIE, admin_sid)
        first = _timed(lambda: client.get("/dash").raise_for_status())
        print(f"first overview after start (parse results + build page): {1000 * first:.0f} ms")
        twin = client.get("/dash", params={"format": "json"}).json()
        regions = [r["unit"]["id"] for r in twin["rows"][1:]]
        print(f"overview rows: {len(twin['rows'])} (organisation + {len(regions)} regions)")
        routes: dict[str, Callable[[], object]] = {
            "GET /dash (HTML)": lambda: client.get("/dash").raise_for_status(),
            "GET /dash?format=json": lambda: client.get(
                "/dash", params={"format": "json"}
            ).raise_for_status(),
            "GET /api/v1/overview": lambda: client.get("/api/v1/overview").raise_for_status(),
        }
        for name, call in routes.items():
            call()
            times = [_timed(call) for _ in range(args.requests)]
            print(f"{name:32s} {_ms(times)}")
        cold = [
            _timed(lambda r=r: client.get("/dash", params={"parent": r}).raise_for_status())
            for r in regions
        ]
        if cold:
            print(f"{'region overview, first time':32s} {_ms(cold)}")
        warm = [
            _timed(lambda r=r: client.get("/dash", params={"parent": r}).raise_for_status())
            for r in regions
        ]
        if warm:
            print(f"{'region overview, again':32s} {_ms(warm)}")
        client.cookies.set(SESSION_COOKIE, manager_sid)
        client.get("/dash").raise_for_status()
        times = [
            _timed(lambda: client.get("/dash").raise_for_status()) for _ in range(args.requests)
        ]
        print(f"{'GET /dash as a manager':32s} {_ms(times)}")
        body = client.get("/dash", params={"format": "json"}).text
        top = json.loads(body)["rows"][0]["unit"]["kind"]
        print(f"manager's JSON twin: {len(body) / 1e3:.1f} kB, a {top} at the top")
    engine.dispose()


if __name__ == "__main__":
    main()
