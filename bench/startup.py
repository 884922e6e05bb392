"""Start-up time of the ``spiegel`` command and of ``spiegel serve`` (a restart is downtime).

    uv run python bench/startup.py [--runs 5] [--workers 2] [--admin-url URL] [--no-postgres]

1. ``spiegel --help`` and ``spiegel --version``: wall time of a fresh process, the median
   of ``--runs``. Target: under 1 s each. And the processor time they used.
2. ``spiegel serve --workers 2`` on an up-to-date database with an open customer survey,
   as after a crash: a temporary SQLite file, then a scratch PostgreSQL database next to
   ``--admin-url`` (default ``SPIEGEL_BENCH_POSTGRES_URL`` or the local server), when it
   answers. The median of ``--runs`` starts of the time from launch until ``/healthz``
   answers 200 (target: under 3 s), until the survey page ``/s/TOKEN`` answers 200, and
   until every worker has logged that it is ready. And processor time, which the load of
   a shared machine moves far less than wall time: what the server process and its
   busiest worker had used when ``/healthz`` first answered (the work on the way to the
   first answer: on an idle machine with a core per worker, about the wall time), and
   what all the server's processes used from start to stop.
3. The heavy modules a worker has loaded after serving a respondent (the survey page, a
   JSON submission and ``/healthz``; see ``tests/import_probe.py``).

The load average is printed before and after: on a shared machine the figures move with
it. So does whether the installed modules have bytecode: without it (``uv sync`` does not
compile by default, and ``PYTHONDONTWRITEBYTECODE`` keeps Python from saving it) every
process compiles them from source at every start; the bench says which. The scratch
databases are removed at the end.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.submit_load import ADMIN_URL, create_database, drop_database
from tests.browser.server import free_port, spiegel_command
from tests.import_probe import WATCHED, heavy, loaded_after
from tests.web.conftest import SECRET, build_world

from spiegel.store.db import make_engine, upgrade

CLI_TARGET_S = 1.0
HEALTHZ_TARGET_S = 3.0
START_TIMEOUT_S = 180.0
READY_LINE = b"Application startup complete."


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _has_bytecode(source: str) -> bool:
    return Path(importlib.util.cache_from_source(source)).is_file()


def _bytecode() -> str:
    """Whether the installed packages and Spiegel's own modules start from bytecode."""
    spiegel_app = importlib.util.find_spec("spiegel.web.app")
    packages = "yes" if _has_bytecode(str(sqlalchemy.__file__)) else "no"
    own = "yes" if spiegel_app and _has_bytecode(str(spiegel_app.origin)) else "no"
    saved = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    return (
        f"bytecode: installed packages compiled {packages}, spiegel compiled {own}, "
        f"saving new bytecode {saved} (uncompiled modules are compiled at every start "
        "when saving is off: uv sync --compile-bytecode)"
    )


@dataclass(frozen=True)
class Figure:
    """The runs of one measurement, in seconds."""

    what: str
    seconds: list[float]
    target: float | None = None

    def line(self) -> str:
        median = statistics.median(self.seconds)
        spread = f"(min {min(self.seconds):.2f}, max {max(self.seconds):.2f})"
        verdict = ""
        if self.target is not None:
            ok = "ok" if median < self.target else "MISSED"
            verdict = f"target < {self.target:g} s: {ok}"
        return f"  {self.what:<40} {median:6.2f} s  {spread:<24} {verdict}"


def _children_cpu() -> float:
    """Processor seconds used by the child processes waited for so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


# --------------------------------------------------------------------------- the CLI


def time_command(args: list[str], runs: int) -> list[Figure]:
    """Wall and processor time of ``spiegel ARGS`` in a fresh process, ``runs`` times."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu_before = _children_cpu()
        began = time.perf_counter()
        subprocess.run(
            [*spiegel_command(), *args], check=True, stdout=subprocess.DEVNULL, timeout=120
        )
        walls.append(time.perf_counter() - began)
        cpus.append(_children_cpu() - cpu_before)
    what = " ".join(["spiegel", *args])
    return [Figure(what, walls, CLI_TARGET_S), Figure(f"{what}: processor time", cpus)]


# --------------------------------------------------------------------------- the server


@dataclass(frozen=True)
class Start:
    """Seconds from launching ``spiegel serve`` until each thing answered."""

    healthz: float
    survey: float
    workers_ready: float
    cpu_to_healthz: float
    cpu: float


def _get(port: int, path: str) -> int | None:
    """The status of ``GET path``; ``None`` while nothing listens on the port yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=START_TIMEOUT_S)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
        return None
    finally:
        connection.close()


def _until(check: Callable[[], bool], process: subprocess.Popen[bytes], log: Path) -> float:
    """The moment ``check`` first holds (polled every 10 ms)."""
    deadline = time.perf_counter() + START_TIMEOUT_S
    while not check():
        if process.poll() is not None:
            raise RuntimeError(f"spiegel serve exited:\n{log.read_text(errors='replace')[-3000:]}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"spiegel serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.01)
    return time.perf_counter()


def _process_cpu(pid: int) -> float:
    """Processor seconds a running process has used so far (from Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_to_first_answer(pid: int) -> float:
    """Processor seconds of the server process ``pid`` and its busiest worker so far."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return _process_cpu(pid) + max((_process_cpu(int(c)) for c in children), default=0.0)
    except OSError:  # not Linux, or a process just ended
        return float("nan")


def time_serve(url: str, token: str, workers: int, log: Path) -> Start:
    """Start ``spiegel serve`` on ``url``, time it, and stop it."""
    port = free_port()
    env = {
        **os.environ,
        "SPIEGEL_DATABASE_URL": url,
        "SPIEGEL_SECRET_KEY": SECRET,
        "SPIEGEL_ENVIRONMENT": "production",
        "SPIEGEL_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    command = [*spiegel_command(), "serve", "--port", str(port), "--workers", str(workers)]
    cpu_before = _children_cpu()
    with log.open("wb") as out:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    ready: list[float] = []

    def watch_log() -> None:
        def all_ready() -> bool:
            return log.read_bytes().count(READY_LINE) >= workers

        with suppress(RuntimeError, OSError):  # the server failed: the main thread says why
            ready.append(_until(all_ready, process, log))

    watcher = threading.Thread(target=watch_log, daemon=True)
    watcher.start()
    try:
        healthz = _until(lambda: _get(port, "/healthz") == 200, process, log)
        cpu_to_healthz = _cpu_to_first_answer(process.pid)
        survey = _until(lambda: _get(port, f"/s/{token}") == 200, process, log)
        watcher.join(START_TIMEOUT_S)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
    if not ready:
        raise RuntimeError(f"not every worker started:\n{log.read_text()[-3000:]}")
    cpu = _children_cpu() - cpu_before  # the server and the workers it waited for
    return Start(healthz - began, survey - began, ready[0] - began, cpu_to_healthz, cpu)


def seed(url: str) -> str:
    """Migrate ``url`` and set up the web tests' organisation; a location link's token."""
    upgrade(url)
    engine = make_engine(url)
    try:
        return next(iter(build_world(engine).location_tokens.values()))
    finally:
        engine.dispose()


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="spiegel-startup-") as tmp:
        yield f"sqlite:///{Path(tmp) / 'spiegel.db'}"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    """A scratch database next to ``admin_url``; ``None`` when the server does not answer."""
    try:
        url = create_database(admin_url)
    except Exception as exc:  # the bench goes on without PostgreSQL
        print(f"PostgreSQL at {admin_url} not used: {type(exc).__name__}: {exc}")
        yield None
        return
    try:
        yield url
    finally:
        drop_database(admin_url, url)


def bench_backend(name: str, url: str, runs: int, workers: int) -> list[str]:
    token = seed(url)
    starts = []
    with tempfile.TemporaryDirectory(prefix="spiegel-startup-log-") as tmp:
        for i in range(runs):
            starts.append(time_serve(url, token, workers, Path(tmp) / f"serve-{i}.log"))
    serve = f"serve --workers {workers}, {name}"
    figures = [
        Figure(f"{serve}: /healthz", [s.healthz for s in starts], HEALTHZ_TARGET_S),
        Figure(f"{serve}: /s/TOKEN", [s.survey for s in starts]),
        Figure(f"{serve}: all workers ready", [s.workers_ready for s in starts]),
        Figure(f"{serve}: processor time to /healthz", [s.cpu_to_healthz for s in starts]),
        Figure(f"{serve}: processor time, start to stop", [s.cpu for s in starts]),
    ]
    lines = [f.line() for f in figures]
    loaded = heavy(loaded_after("survey", url, SECRET, token))
    lines.append(
        f"  a worker after a respondent ({name}) has loaded: {', '.join(loaded) or 'none'} "
        f"(of {', '.join(WATCHED)})"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement")
    parser.add_argument("--workers", type=int, default=2, help="spiegel serve workers")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="PostgreSQL admin URL")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)

    print(f"load average before: {_load()} ({os.cpu_count()} CPUs)")
    print(_bytecode())
    figures = time_command(["--help"], args.runs) + time_command(["--version"], args.runs)
    lines = [f.line() for f in figures]
    cli_loaded = heavy(loaded_after("cli", "--help"))
    lines.append(f"  spiegel --help has loaded: {', '.join(cli_loaded) or 'none'}")
    with sqlite_database() as url:
        lines += bench_backend("SQLite", url, args.runs, args.workers)
    if not args.no_postgres:
        with postgres_database(args.admin_url) as pg_url:
            if pg_url is not None:
                lines += bench_backend("PostgreSQL", pg_url, args.runs, args.workers)
    print(f"Start-up, median of {args.runs} runs:")
    print("\n".join(lines))
    print(f"load average after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
