"""Run ``spiegel serve`` as a real server process on a free localhost port.

The browser tests talk to it over HTTP exactly as a phone would: no in-process shortcuts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_S = 180.0  # generous: a shared, busy CI machine imports slowly


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spiegel_command() -> list[str]:
    """The ``spiegel`` console script of this environment (next to its Python)."""
    beside = Path(sys.executable).parent / "spiegel"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("spiegel")
    if found is None:
        raise RuntimeError("the `spiegel` command is not installed in this environment")
    return [found]


@dataclass(frozen=True)
class RunningServer:
    """A started server: where it listens and where its log goes."""

    base_url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server printed (for failure messages)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _wait_until_up(server: RunningServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"spiegel serve exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"spiegel serve did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def spiegel_server(
    database_url: str,
    log: Path,
    env: Mapping[str, str],
    workers: int = 1,
    timeout: float = START_TIMEOUT_S,
    port: int | None = None,
) -> Iterator[RunningServer]:
    """Start ``spiegel serve`` against ``database_url`` and stop it afterwards.

    ``env`` adds ``SPIEGEL_*`` settings (secret key, public URL, ...); ``port``: a free
    one when not given.
    """
    port = free_port() if port is None else port
    command = [
        *spiegel_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    environment = {**os.environ, **env, "SPIEGEL_DATABASE_URL": database_url}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=environment, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = RunningServer(f"http://127.0.0.1:{port}", log, process)
    try:
        _wait_until_up(server, timeout)
        yield server
    finally:
        _stop(process)
