"""``spiegel import`` and ``spiegel export`` from the command line (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spiegel.cli import app

from .conftest import FILES, INSTRUMENTS

runner = CliRunner()


@pytest.fixture
def env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI pointed at the test database through SPIEGEL_DATABASE_URL."""
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    monkeypatch.setenv("SPIEGEL_INSTRUMENT_DIRS", json.dumps([str(INSTRUMENTS)]))
    monkeypatch.setenv("COLUMNS", "200")
    return db_url


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_import_export_session(env: str, tmp_path: Path) -> None:
    code, out = _run("import", "units", FILES / "units.csv")
    assert code == 0 and "Imported units.csv: 10 rows read; 10 created" in out
    code, out = _run("import", "units", FILES / "units.csv")
    assert code == 0 and "already imported (batch 1" in out
    code, out = _run("import", "employees", FILES / "employees_cp1252.csv")
    assert code == 0 and "8 created" in out
    code, out = _run(
        "import",
        "responses",
        FILES / "responses_employee_long.csv",
        "--survey",
        "mw",
        "--wave",
        "2026-Q1",
        "--instrument",
        "employee",
    )
    assert code == 0 and "4 imported, 0 skipped" in out and "long layout" in out
    code, out = _run(
        "import",
        "outcomes",
        FILES / "outcomes_wide.txt",
        "--mapping",
        FILES / "mapping_outcomes.yaml",
    )
    assert code == 0 and "11 created" in out
    out_file = tmp_path / "mw.xlsx"
    code, out = _run("export", "responses", out_file, "--survey", "mw")
    assert code == 0 and "4 rows" in out
    assert pd.read_excel(out_file)["respondent"].tolist() == ["M01", "M02", "M03", "M04"]
    code, out = _run("export", "units", tmp_path / "units.csv")
    assert code == 0 and "10 rows" in out


def test_refused_file_shows_table_and_writes_all(env: str, tmp_path: Path) -> None:
    _run("import", "units", FILES / "units.csv")
    errors = tmp_path / "problems.csv"
    code, out = _run(
        "import",
        "responses",
        FILES / "responses_errors.csv",
        "--survey",
        "pulse",
        "--wave",
        "2026-Q2",
        "--mapping",
        FILES / "mapping_errors.yaml",
        "--errors-csv",
        errors,
    )
    assert code == 1
    assert "responses_errors.csv: 15 problems; nothing was imported" in out
    assert "AMS-99" in out and "3,5 is not a whole number" in out
    assert "All 15 problems written to" in out
    assert len(pd.read_csv(errors, encoding="utf-8-sig")) == 15


def test_many_problems_are_cut_short(env: str, tmp_path: Path) -> None:
    _run("import", "units", FILES / "units.csv")
    path = tmp_path / "many.csv"
    rows = "\n".join(f"R{i};NOPE{i};11" for i in range(60))  # two mistakes a row
    path.write_text(f"respondent;unit;overall_grade\n{rows}\n", encoding="utf-8")
    code, out = _run(
        "import", "responses", path, "--survey", "k", "--wave", "w", "--instrument", "customer"
    )
    assert code == 1
    assert "120 problems" in out
    assert "… and 70 more; write them all with --errors-csv FILE." in out


def test_friendly_errors(env: str, tmp_path: Path) -> None:
    code, out = _run("import", "employees", FILES / "employees_cp1252.csv")
    assert code == 1 and "no organisation yet: import units first" in out
    code, out = _run("import", "units", tmp_path / "missing.csv")
    assert code == 1 and "no file" in out
    _run("import", "units", FILES / "units.csv")
    code, out = _run("import", "responses", FILES / "responses_customer.csv", "--survey", "x")
    assert code == 1 and "no survey 'x' yet; to create it give --wave and --instrument" in out
    code, out = _run("export", "units", tmp_path / "units.json")
    assert code == 1 and "unknown export format '.json'" in out
    bad_mapping = tmp_path / "map.yaml"
    bad_mapping.write_text("columns:\n  Team: unit\nvalus: {}\n", encoding="utf-8")
    code, out = _run("import", "outcomes", FILES / "outcomes_long.xlsx", "-m", bad_mapping)
    assert code == 1 and "valus: unknown section" in out


def test_unmigrated_database(tmp_path: Path) -> None:
    code, out = _run("import", "units", FILES / "units.csv", "--db", tmp_path / "empty.db")
    assert code == 1 and "run `spiegel db upgrade` first" in out
