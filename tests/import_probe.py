"""Which heavy modules a fresh interpreter has loaded after doing one thing.

Run in a subprocess, since a test process has long since imported everything::

    python -m tests.import_probe cli --help
    python -m tests.import_probe survey DATABASE_URL SECRET_KEY TOKEN

``cli ARGS``: runs the ``spiegel`` command with ARGS, as the console script does.
``survey``: what a ``spiegel serve`` worker does for a respondent, in process: runs the
console script as a module that is not ``__main__`` (multiprocessing starts each worker
that way), builds the application from the environment, then asks for the survey page of
the location link TOKEN, sends a whole questionnaire as JSON, and asks for ``/healthz``;
each must answer 200.

The last line of standard output is the JSON list of every module loaded.
:func:`loaded_after` runs a probe and returns them; :func:`heavy` picks the
:data:`WATCHED` ones. The tests assert on them and ``bench/startup.py`` prints them.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

WATCHED = (
    "statsmodels",
    "semopy",
    "weasyprint",
    "scipy",
    "sklearn",
    "pandas",
    "altair",
    "vl_convert",
    "spiegel.analysis",
    "spiegel.reports",
)
"""Modules that take long to import and that neither the CLI's start nor a respondent's
requests need."""

ROOT = Path(__file__).resolve().parents[1]
ONE_GO = {"overall_grade": 8, "recommend": 9, "mot_drop_off": 7, "comment": "Fijne leidsters."}
"""A customer questionnaire's answers, sent at once (as a phone with JavaScript does)."""
SUBMISSION_KEY = "import-probe-submission-0001"


def loaded_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Run ``python -m tests.import_probe ARGS`` in a fresh interpreter; the modules it
    loaded. A failing probe raises ``RuntimeError`` with its output."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.import_probe", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(
            f"import probe {' '.join(args)} exited with {done.returncode}:\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(found)


def heavy(loaded: set[str]) -> list[str]:
    """The :data:`WATCHED` modules among ``loaded``."""
    return [name for name in WATCHED if name in loaded]


def _run_console_script(run_name: str) -> None:
    """Run the ``spiegel`` console script of this environment as module ``run_name``."""
    script = Path(sys.executable).parent / "spiegel"
    if script.is_file():
        runpy.run_path(str(script), run_name=run_name)
    else:  # not installed as a console script: the module it runs
        runpy.run_module("spiegel.__main__", run_name=run_name)


def _cli(args: list[str]) -> None:
    sys.argv = ["spiegel", *args]
    try:
        _run_console_script("__main__")
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise
    sys.stdout.write("\n")


def _survey(database_url: str, secret_key: str, token: str) -> None:
    os.environ.update(
        SPIEGEL_DATABASE_URL=database_url,
        SPIEGEL_SECRET_KEY=secret_key,
        SPIEGEL_ENVIRONMENT="test",
    )
    _run_console_script("__mp_main__")
    from fastapi.testclient import TestClient

    from spiegel.web.app import create_app_from_env

    with TestClient(create_app_from_env()) as client:
        answers = [
            client.get(f"/s/{token}"),
            client.post(
                f"/s/{token}/finish",
                json={"answers": ONE_GO, "submission_key": SUBMISSION_KEY},
            ),
            client.get("/healthz"),
        ]
    for response in answers:
        if response.status_code != 200:
            raise RuntimeError(
                f"{response.request.method} {response.request.url.path}: "
                f"HTTP {response.status_code}\n{response.text[:2000]}"
            )


def main(argv: list[str]) -> None:
    if argv[:1] == ["cli"]:
        _cli(argv[1:])
    elif argv[:1] == ["survey"] and len(argv) == 4:
        _survey(*argv[1:])
    else:
        raise SystemExit(__doc__)
    print(json.dumps(sorted(sys.modules)))


if __name__ == "__main__":
    main(sys.argv[1:])
