"""Benchmark: customers answering the survey through a running server on PostgreSQL.

    uv run python bench/submit_load.py [--clients 100] [--submissions 30000]
        [--max-seconds 30] [--workers 2] [--flow one-request|pages] [--think-ms 0]
        [--pgbench-seconds 20] [--admin-url URL]

What it does, all on localhost:

1. Creates a fresh PostgreSQL database next to the admin URL (``--admin-url``, default
   ``SPIEGEL_BENCH_POSTGRES_URL`` or ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
   migrates it and sets up an organisation with ``--locations`` locations, the built-in
   customer questionnaire as an open survey, and a link per location.
2. Starts ``spiegel serve --workers N`` on a free port (as a user would: access log on),
   with the submission limits (``SPIEGEL_SUBMIT_LIMIT_PER_LINK`` and ``..._PER_CLIENT``)
   raised to :data:`BENCH_LIMIT` an hour: every simulated phone comes from 127.0.0.1, and
   the limiter still counts each response, so its cost is in the figures.
3. Runs ``--clients`` concurrent respondents in a closed loop, flat out (``--think-ms``
   adds a person's pause before each POST): first for ``--warmup-seconds`` (not
   counted), then until ``--submissions`` submissions or ``--max-seconds``, whichever
   comes first. A submission is the unit of work:

   * ``--flow one-request`` (default): the whole questionnaire in one JSON
     ``POST /s/TOKEN/finish`` with a fresh submission key, on a fresh connection (a
     phone that scanned the code at the entrance). Latency includes the connect.
   * ``--flow pages``: a browser without JavaScript (``httpx.AsyncClient``, fresh
     cookies): GET the start page, GET page 1, then for each of the 4 pages POST its
     answers and GET the page the server redirects to, then POST "send" and GET the
     thank-you page (12 requests).

4. Prints submissions/s and p50/p95/p99 latency of the submit POST (and, for ``pages``,
   of every kind of request), checks that the database holds exactly the responses
   counted, and stops the server.
5. Runs ``pgbench`` with a custom script inserting the same rows directly (a ``response``
   row with the packed answers blob and its ``text_answer``, in one transaction), with
   the same number of clients (fewer when ``max_connections`` leaves no room; it says
   so), and prints inserts/s and the ratio.

Targets on a 2-core machine: p99 of the submit request under 150 ms at 100 concurrent
respondents, and web submissions/s at least 25% of pgbench's inserts/s.

The database is dropped at the end (``--keep-db`` keeps it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
import numpy as np
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from spiegel.instruments import get_instrument
from spiegel.services.invitations import ensure_location_links
from spiegel.services.questionnaire import pack_answers
from spiegel.services.surveys import open_survey, store_instrument
from spiegel.store.db import make_engine, session_factory, transaction, upgrade
from spiegel.store.models import Audience, Response, Survey, SurveyStatus, UnitKind
from spiegel.store.organisation import add_unit, ensure_organisation, ensure_wave
from spiegel.store.surveys import ensure_survey

T = TypeVar("T")
ADMIN_URL = os.environ.get(
    "SPIEGEL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
COMMENT = "Fijne leidsters, soms wat druk bij het ophalen."
# The answers every respondent gives, page by page (the built-in customer questionnaire).
PAGES: list[dict[str, str]] = [
    {"overall_grade": "8", "recommend": "9"},
    {"mot_first_contact": "7", "mot_drop_off": "8", "mot_pick_up": "6"},
    {"asp_friendliness": "9", "asp_expertise": "8", "asp_care": "9"},
    {"comment": COMMENT},
]
BENCH_LIMIT = 1_000_000
"""Submission limits per hour while benchmarking (the defaults would refuse the load)."""
TARGET_P99_MS = 150.0
TARGET_RATIO = 0.25


# --------------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class Fixture:
    survey_id: int
    unit_ids: list[int]
    tokens: list[str]
    packed: bytes


def create_database(admin_url: str) -> str:
    """A fresh, migrated database next to ``admin_url``; its URL."""
    name = f"spiegel_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, secret_key: str, locations: int) -> Fixture:
    """An organisation with ``locations`` locations and an open customer survey."""
    engine = make_engine(url)
    try:
        with transaction(engine) as s:
            org = ensure_organisation(s, "bench", "Benchmark Kinderopvang")
            root = add_unit(s, org, "ORG", "Benchmark", UnitKind.ORGANISATION)
            for i in range(locations):
                add_unit(s, org, f"L{i:03d}", f"Locatie {i}", UnitKind.LOCATION, parent=root)
            wave = ensure_wave(s, org.id, "2026-H2")
            instrument = get_instrument("customer")
            stored = store_instrument(s, instrument)
            survey = ensure_survey(
                s, org.id, wave, stored, "klanten", Audience.CUSTOMER, SurveyStatus.DRAFT
            )
            survey_id = survey.id
            item_order = list(stored.item_order)
        with session_factory(engine)() as s:
            survey = s.get(Survey, survey_id)
            if survey is None:
                raise LookupError("the benchmark survey vanished")
            open_survey(s, survey)
            links = ensure_location_links(s, survey, secret_key)
        answers: dict[str, object] = {}
        for page in PAGES:
            answers.update({k: v if k == "comment" else int(v) for k, v in page.items()})
        packed = pack_answers(instrument, item_order, answers).numeric
    finally:
        engine.dispose()
    return Fixture(
        survey_id, [link.unit_id for link in links], [link.token for link in links], packed
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(url: str, secret_key: str, workers: int, log: Path) -> Iterator[str]:
    """``spiegel serve`` on a free localhost port; its base URL."""
    port = free_port()
    spiegel = Path(sys.executable).parent / "spiegel"
    command = [
        str(spiegel) if spiegel.exists() else "spiegel",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "SPIEGEL_DATABASE_URL": url,
        "SPIEGEL_SECRET_KEY": secret_key,
        "SPIEGEL_ENVIRONMENT": "production",
        "SPIEGEL_PUBLIC_URL": base,
        "SPIEGEL_SUBMIT_LIMIT_PER_LINK": str(BENCH_LIMIT),
        "SPIEGEL_SUBMIT_LIMIT_PER_CLIENT": str(BENCH_LIMIT),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"spiegel serve exited:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"spiegel serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        # Every worker process up: a few health checks spread over the workers.
        for _ in range(4 * workers):
            httpx.get(f"{base}/healthz", timeout=10)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


# --------------------------------------------------------------------------- load


@dataclass
class Tally:
    """What the clients measured."""

    requests_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    submit_ms: list[float] = field(default_factory=list)
    submissions: int = 0
    errors: list[str] = field(default_factory=list)
    started: int = 0


class Failed(Exception):
    pass


async def _timed(
    client: httpx.AsyncClient, tally: Tally, kind: str, url: str, **kwargs: object
) -> tuple[httpx.Response, float]:
    """One request, timed; ``kind`` is the method and what the page is (for the table)."""
    began = time.perf_counter()
    response = await client.request(kind.split()[0], url, **kwargs)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - began) * 1000
    tally.requests_ms.append(elapsed)
    tally.by_kind.setdefault(kind, []).append(elapsed)
    return response, elapsed


def _expect(response: httpx.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise Failed(f"{what}: HTTP {response.status_code} (expected {status})")


async def respondent(
    client: httpx.AsyncClient, tally: Tally, token: str, think_s: float = 0.0
) -> None:
    """One customer, fresh cookies, from the start page to the thank-you page; with
    ``think_s``, a pause of about that long (0.5-1.5x) before each POST."""
    client.cookies.clear()
    base = f"/s/{token}"
    r, _ = await _timed(client, tally, "GET start", base)
    _expect(r, 200, "start page")
    r, _ = await _timed(client, tally, "GET page", f"{base}/1")
    _expect(r, 200, "page 1")
    for number, answers in enumerate(PAGES, start=1):
        found = CSRF.search(r.text)
        if found is None:
            raise Failed(f"page {number}: no CSRF token in the form")
        data = {**answers, "csrf_token": found.group(1), "action": "next"}
        if think_s:
            await asyncio.sleep(think_s * random.uniform(0.5, 1.5))
        r, _ = await _timed(client, tally, "POST page", f"{base}/{number}", data=data)
        _expect(r, 303, f"POST page {number}")
        kind = "GET finish" if number == len(PAGES) else "GET page"
        r, _ = await _timed(client, tally, kind, r.headers["location"])
        _expect(r, 200, f"GET after page {number}")
    found = CSRF.search(r.text)
    if found is None:
        raise Failed("finish page: no CSRF token")
    if think_s:
        await asyncio.sleep(think_s * random.uniform(0.5, 1.5))
    r, elapsed = await _timed(
        client, tally, "POST finish", f"{base}/finish", data={"csrf_token": found.group(1)}
    )
    _expect(r, 303, "POST finish")
    if not r.headers["location"].endswith("/thanks"):
        raise Failed(f"POST finish went to {r.headers['location']}")
    tally.submit_ms.append(elapsed)
    tally.submissions += 1
    r, _ = await _timed(client, tally, "GET thanks", r.headers["location"])
    _expect(r, 200, "thanks page")


async def drive(
    base: str,
    tokens: list[str],
    clients: int,
    submissions: int,
    max_seconds: float,
    think_s: float = 0.0,
) -> tuple[Tally, float]:
    """``clients`` concurrent respondents until ``submissions`` or ``max_seconds``."""
    tally = Tally()
    deadline = time.monotonic() + max_seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def worker(index: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
            while tally.started < submissions and time.monotonic() < deadline:
                tally.started += 1
                token = tokens[(tally.started + index) % len(tokens)]
                try:
                    await respondent(client, tally, token, think_s)
                except (Failed, httpx.HTTPError) as exc:
                    tally.errors.append(f"{type(exc).__name__}: {exc}")

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    return tally, time.perf_counter() - began


async def post_json(host: str, port: int, path: str, body: bytes) -> tuple[int, bytes]:
    """One POST on a fresh connection, as a phone that scanned the code sends it.

    A minimal HTTP/1.1 client: httpx spends about a millisecond of CPU per request, this
    one a few tens of microseconds, so on a 2-core machine the load generator leaves the
    cores to the server and the database, which are what is measured."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        writer.write(head + body)
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        payload = await reader.readexactly(length)
        return int(status_line.split()[1]), payload
    finally:
        writer.close()


async def drive_one_request(
    base: str,
    tokens: list[str],
    clients: int,
    submissions: int,
    max_seconds: float,
    think_s: float = 0.0,
) -> tuple[Tally, float]:
    """``clients`` concurrent respondents, each sending whole questionnaires in one JSON
    request (``POST /s/TOKEN/finish`` with the answers and a fresh submission key)."""
    tally = Tally()
    deadline = time.monotonic() + max_seconds
    url = httpx.URL(base)
    answers: dict[str, object] = {}
    for page in PAGES:
        answers.update({k: v if k == "comment" else int(v) for k, v in page.items()})

    async def worker(index: int) -> None:
        host, port = url.host, url.port or 80
        while tally.started < submissions and time.monotonic() < deadline:
            tally.started += 1
            token = tokens[(tally.started + index) % len(tokens)]
            body = json.dumps(
                {"answers": answers, "submission_key": secrets.token_urlsafe(16)}
            ).encode()
            if think_s:
                await asyncio.sleep(think_s * random.uniform(0.5, 1.5))
            began = time.perf_counter()
            try:
                status, payload = await post_json(host, port, f"/s/{token}/finish", body)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                tally.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - began) * 1000
            tally.requests_ms.append(elapsed)
            tally.by_kind.setdefault("POST finish", []).append(elapsed)
            if status != 200 or b'"submitted":true' not in payload:
                tally.errors.append(f"HTTP {status}: {payload[:200]!r}")
                continue
            tally.submit_ms.append(elapsed)
            tally.submissions += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    return tally, time.perf_counter() - began


def run_loop(work: Coroutine[object, object, T]) -> T:
    """Run the load on uvloop when it is installed (it is with ``spiegel serve``)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(work)
    return uvloop.run(work)


def percentiles(values: list[float]) -> str:
    if not values:
        return "n/a"
    p50, p95, p99 = np.percentile(np.asarray(values), [50, 95, 99])
    return f"p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   p99 {p99:7.1f} ms   max {max(values):7.1f} ms"


# --------------------------------------------------------------------------- pgbench


PGBENCH_SCRIPT = """\\set unit random({umin}, {umax})
BEGIN;
INSERT INTO response
  (survey_id, unit_id, role_group, external_id, submitted_at, numeric_answers)
  VALUES ({survey}, :unit, NULL,
          'pgbench-' || md5(random()::text || clock_timestamp()::text),
          now(), '\\x{blob}'::bytea)
  RETURNING id \\gset
INSERT INTO text_answer (response_id, item_id, text) VALUES (:id, 'comment', '{comment}');
COMMIT;
"""


def pgbench_clients(url: str, wanted: int) -> int:
    """``wanted``, or fewer when the server's ``max_connections`` leaves no room."""
    engine = create_engine(url)
    with engine.connect() as conn:
        limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
        busy = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity")).scalar_one())
    engine.dispose()
    return max(1, min(wanted, limit - busy - 2))


def run_pgbench(url: str, fixture: Fixture, clients: int, seconds: int) -> float:
    """Inserts/s of pgbench inserting the same rows (one response per transaction)."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise RuntimeError("pgbench is not installed (Debian: postgresql-contrib)")
    u = make_url(url)
    script = PGBENCH_SCRIPT.format(
        umin=min(fixture.unit_ids),
        umax=max(fixture.unit_ids),
        survey=fixture.survey_id,
        blob=fixture.packed.hex(),
        comment=COMMENT.replace("'", "''"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "insert_response.sql"
        path.write_text(script, encoding="utf-8")
        command = [
            pgbench,
            "-n",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-f",
            str(path),
            "-h",
            u.host or "127.0.0.1",
            "-p",
            str(u.port or 5432),
            "-U",
            u.username or "postgres",
            u.database or "",
        ]
        env = {**os.environ}
        if u.password:
            env["PGPASSWORD"] = u.password
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench failed:\n{done.stdout}\n{done.stderr}")
    found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    if found is None:
        raise RuntimeError(f"no tps in pgbench's output:\n{done.stdout}")
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    if failed and int(failed.group(1)):
        print(f"  pgbench: {failed.group(1)} failed transactions")
    return float(found.group(1))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL, help="PostgreSQL admin URL")
    parser.add_argument("--clients", type=int, default=100, help="concurrent respondents")
    parser.add_argument("--submissions", type=int, default=30000, help="stop after this many")
    parser.add_argument("--max-seconds", type=float, default=30.0, help="or after this long")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="pause before each POST, as a person answering (default 0: flat out)",
    )
    parser.add_argument(
        "--flow",
        choices=("one-request", "pages"),
        default="one-request",
        help="one-request: each submission is one JSON POST with all answers (default); "
        "pages: a browser without JavaScript, page by page (12 requests)",
    )
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=3.0,
        help="run the load this long first, not counted (default 3)",
    )
    parser.add_argument("--workers", type=int, default=2, help="spiegel serve worker processes")
    parser.add_argument("--locations", type=int, default=50, help="locations (links)")
    parser.add_argument("--pgbench-seconds", type=int, default=20, help="pgbench duration")
    parser.add_argument("--keep-db", action="store_true", help="keep the benchmark database")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or not 1 <= args.submissions <= 100_000:
        parser.error("--clients must be 1..1000 and --submissions 1..100000")

    secret_key = secrets.token_urlsafe(32)
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} CPUs)"
    )
    url = create_database(args.admin_url)
    print(f"database: {make_url(url).render_as_string(hide_password=True)}")
    try:
        fixture = seed(url, secret_key, args.locations)
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "server.log"
            with running_server(url, secret_key, args.workers, log) as base:
                print(
                    f"spiegel serve --workers {args.workers} at {base}; {args.clients} clients, "
                    f"up to {args.submissions} submissions or {args.max_seconds:.0f} s, "
                    f"think time {args.think_ms:.0f} ms, flow {args.flow}"
                )
                warmed = 0
                driver = drive_one_request if args.flow == "one-request" else drive
                if args.warmup_seconds > 0:
                    # The same load, not counted: every worker opens its connections,
                    # prepares its statements and learns the links first.
                    warm, _ = run_loop(
                        driver(
                            base,
                            fixture.tokens,
                            args.clients,
                            args.submissions,
                            args.warmup_seconds,
                            args.think_ms / 1000,
                        )
                    )
                    warmed = warm.submissions
                    print(f"warm-up: {warmed} submissions, not counted")
                cpu0 = time.process_time()
                tally, wall = run_loop(
                    driver(
                        base,
                        fixture.tokens,
                        args.clients,
                        args.submissions,
                        args.max_seconds,
                        args.think_ms / 1000,
                    )
                )
                client_cpu = time.process_time() - cpu0
        load_after = os.getloadavg()
        engine = create_engine(url)
        with engine.connect() as conn:
            stored = conn.execute(
                select(func.count())
                .select_from(Response)
                .where(Response.survey_id == fixture.survey_id)
            ).scalar_one()
        engine.dispose()

        rate = tally.submissions / wall
        print()
        print(
            f"web: {tally.submissions} submissions in {wall:.1f} s = {rate:.1f} submissions/s "
            f"({len(tally.requests_ms) / wall:.0f} requests/s, "
            f"{len(tally.requests_ms)} requests)"
        )
        print(f"  submit POST:  {percentiles(tally.submit_ms)}")
        print(f"  all requests: {percentiles(tally.requests_ms)}")
        for kind in (
            "GET start",
            "GET page",
            "POST page",
            "GET finish",
            "POST finish",
            "GET thanks",
        ):
            if args.flow == "pages":
                print(f"    {kind:<12} {percentiles(tally.by_kind.get(kind, []))}")
        print(
            f"  errors: {len(tally.errors)}"
            + (f" (first: {tally.errors[0]})" if tally.errors else "")
        )
        print(f"  responses stored: {stored} (counted {tally.submissions} + {warmed} warm-up)")
        print(
            f"  load client process CPU: {client_cpu / wall:.0%} of one core; "
            f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}"
        )

        clients = pgbench_clients(url, args.clients)
        note = (
            ""
            if clients == args.clients
            else (f" (not {args.clients}: max_connections leaves room for {clients})")
        )
        print(f"\npgbench: {clients} clients{note}, {args.pgbench_seconds} s ...")
        inserts = run_pgbench(url, fixture, clients, args.pgbench_seconds)
        print(
            f"pgbench: {inserts:.1f} inserts/s (a response row + its text answer per transaction)"
        )

        p99 = float(np.percentile(tally.submit_ms, 99)) if tally.submit_ms else float("inf")
        ratio = rate / inserts if inserts else 0.0
        print()
        print(
            f"ratio web/pgbench: {ratio:.1%} (target >= {TARGET_RATIO:.0%}: "
            f"{'met' if ratio >= TARGET_RATIO else 'NOT met'})"
        )
        print(
            f"submit p99: {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms: "
            f"{'met' if p99 < TARGET_P99_MS else 'NOT met'})"
        )
        if stored != tally.submissions + warmed:
            print("ERROR: the database does not hold exactly the submissions counted")
            return 1
        return 0
    finally:
        if args.keep_db:
            print(f"kept {make_url(url).database}")
        else:
            drop_database(args.admin_url, url)


if __name__ == "__main__":
    sys.exit(main())
