"""An organisation's own files, from import to report, with the command line a user runs:
a 7-point questionnaire of its own, a customer export without the moments of truth it did
not ask, and an organisation with only customers so far."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.instruments import get_instrument
from spiegel.results import load_results
from tests.services.synthetic import Shape, organisation, with_agreement_points

UNASKED = ("mot_complaint", "mot_updates")


def _run(*args: str | Path, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result.output


def _seven_point_file(path: Path) -> set[str]:
    """The built-in employee questions as an organisation would write them in its own
    file, answered on seven points."""
    builtin = get_instrument("employee")
    points = [{"nl": f"{i}", "en": f"{i}"} for i in range(1, 8)]
    doc = {
        "name": "employee7",
        "version": 1,
        "audience": "employee",
        "title": {"nl": "Ons medewerkersonderzoek", "en": "Our employee survey"},
        "description": {"nl": "Zeven punten.", "en": "Seven points."},
        "response_formats": {"agree7": {"kind": "agreement", "points": points}},
        "scales": [
            {
                "name": s.name,
                "title": s.title.model_dump(),
                "format": "agree7",
                "items": [
                    {"id": i.id, "text": i.text.model_dump(), "reverse": i.reverse} for i in s.items
                ],
            }
            for s in builtin.scales
            if s.name != "mirror_aspects"
        ],
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return {i["id"] for s in doc["scales"] for i in s["items"]}  # type: ignore[index, union-attr]


def _files(shape: Shape, folder: Path, items: set[str] | None = None) -> dict[str, object]:
    data = organisation(shape)
    units = data.units.set_index("id")
    code = units["code"].to_dict()
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(
        {
            "code": units["code"],
            "name": units["name"],
            "parent": units["parent_id"].map(lambda p: code.get(p) if pd.notna(p) else None),
            "kind": units["kind"],
        }
    ).to_csv(folder / "units.csv", sep=";", index=False)
    heads = data.headcount.loc[data.headcount.index.repeat(data.headcount["n"])]
    pd.DataFrame(
        {
            "key": [f"E{i:05d}" for i in range(len(heads))],
            "unit": heads["unit_id"].map(code).to_numpy(),
            "role_group": heads["role_group"].to_numpy(),
        }
    ).to_csv(folder / "employees.csv", sep=";", index=False)
    files: dict[str, object] = {
        "units": folder / "units.csv",
        "employees": folder / "employees.csv",
    }
    for audience, frame in (("employee", data.employee), ("customer", data.customer)):
        for wave, part in frame.groupby("wave"):
            out = part.drop(columns=["wave", "unit_id"]).assign(unit=part["unit_id"].map(code))
            out.insert(0, "respondent_id", [f"{audience[0]}{wave}-{i}" for i in range(len(out))])
            if audience == "customer":
                out = out.drop(columns=["role_group", *UNASKED])
            elif items is not None:  # the organisation's own questionnaire asked these
                keep = ["respondent_id", "unit", "role_group"]
                out = out[[c for c in out.columns if c in keep or c in items]]
            path = folder / f"{audience}-{wave}.csv"
            out.to_csv(path, sep=";", index=False)
            files[f"{audience}:{wave}"] = path
    files["waves"] = data.waves
    return files


def _import(files: dict[str, object], db: Path, env: dict[str, str], employee: str) -> None:
    _run("db", "upgrade", "--db", db)
    _run("import", "units", files["units"], "--org", "own", "--db", db)
    _run("import", "employees", files["employees"], "--db", db)
    waves = files["waves"]
    assert isinstance(waves, list)
    for i, wave in enumerate(waves):
        start, end = f"{2026 - len(waves) + i}-01-01", f"{2026 - len(waves) + i}-06-30"
        _run("waves", "add", wave, "--start", start, "--end", end, "--db", db)
    for key, path in files.items():
        if ":" not in key:
            continue
        audience, wave = key.split(":")
        instrument = employee if audience == "employee" else "customer"
        _run(
            "import", "responses", path, "--survey", f"{audience}-{wave}", "--wave", wave,
            "--instrument", instrument, "--db", db, env=env,
        )  # fmt: skip


@pytest.mark.slow
def test_a_seven_point_questionnaire_and_unasked_moments_from_files(tmp_path: Path) -> None:
    instruments = tmp_path / "instruments"
    instruments.mkdir()
    items = _seven_point_file(instruments / "employee7.yaml")
    env = {"SPIEGEL_INSTRUMENT_DIRS": str(instruments)}
    _run("instruments", "validate", instruments / "employee7.yaml", env=env)
    shape = Shape(employee=with_agreement_points(get_instrument("employee"), 7), seed=11)
    files = _files(shape, tmp_path / "files", items)
    db = tmp_path / "own.db"
    _import(files, db, env, "employee7")
    out = tmp_path / "results.json"
    output = _run("analyze", "--db", db, "--boot", "20", "--json", out, env=env)
    assert "failed" not in output
    results = load_results(json.loads(out.read_text(encoding="utf-8")))
    status = {s.name: s.status for s in results.steps}
    expected_not_available = {"mirror"}  # this questionnaire has no mirror questions
    assert {n for n, st in status.items() if st != "ok"} == expected_not_available, status
    assert {s.name: (s.min, s.max) for s in results.scales}["exhaustion"] == (1, 7)
    assert results.drivers is not None and results.drivers.engagement and results.drivers.grade
    assert {d.predictor for d in results.drivers.grade}.isdisjoint(UNASKED)
    report = tmp_path / "report.html"
    _run("report", "--db", db, "-o", report, "--lang", "en")
    html = report.read_text(encoding="utf-8")
    assert "Not available: the questionnaires have no mirror questions" in html
    assert "Error" not in html


@pytest.mark.slow
def test_an_organisation_with_only_customers_so_far(tmp_path: Path) -> None:
    files = _files(Shape(employee=None, seed=12), tmp_path / "files")
    db = tmp_path / "customers.db"
    _import(files, db, {}, "employee")
    output = _run("analyze", "--db", db, "--boot", "20")
    assert "not available" in output and "no employee survey responses yet" in output
    report = tmp_path / "report.html"
    _run("report", "--db", db, "-o", report, "--lang", "nl")
    html = report.read_text(encoding="utf-8")
    assert "Niet beschikbaar: nog geen antwoorden op een medewerkersenquête" in html
    assert "Error" not in html and "Traceback" not in html
