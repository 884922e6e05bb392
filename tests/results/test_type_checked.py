"""A field renamed in a results class is caught by the type checker in every consumer:
the analysis that writes it, the dashboards, the API and the report that read it.

The test copies the package, renames ``MirrorGap.mean_employee``, and runs mypy (with the
project's configuration) on the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.slow
def test_a_renamed_field_fails_type_checking_in_every_reader(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "src" / "spiegel" / "results" / "topics.py"
    source = model.read_text(encoding="utf-8")
    assert "    mean_employee: Number\n" in source
    model.write_text(source.replace("    mean_employee: Number\n", "    mean_expected: Number\n"))
    env = {**os.environ, "MYPYPATH": str(tmp_path / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    files = {re.sub(r":\d+:.*", "", line).replace(os.sep, "/") for line in errors}
    assert all("mean_employee" in line for line in errors), errors
    assert {
        "src/spiegel/services/dashboards/rows.py",  # the unit page's mirror rows
        "src/spiegel/services/dashboards/mirror.py",  # the mirror page and the API
        "src/spiegel/reports/sections/customers.py",  # the report
    } <= files, errors


def test_the_unchanged_package_type_checks() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
