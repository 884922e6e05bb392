"""The demo end to end: generate, import, analyse, report (HTML and PDF), and the same
report from a user's own CSV files imported with ``spiegel import``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.demo import generate, write_files
from spiegel.results import Results, load_results
from spiegel.services.demo import DemoBuild, build_demo

SMALL = {"employees": 360, "customers_per_wave": 1500, "locations": 16}
SECTIONS = [
    "summary",
    "response",
    "heatmap",
    "linkage",
    "drivers",
    "mirror",
    "mot",
    "risk",
    "ambition",
    "comments",
    "privacy",
]
RESULT_KEYS = [
    "reliability",
    "cfa",
    "aggregation",
    "employee",
    "customer",
    "customer_overall",
    "moments_of_truth",
    "linkage",
    "lagged",
    "cross_lagged",
    "multilevel",
    "drivers",
    "mirror",
    "risk",
    "ambition",
    "comments",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    return build_demo(tmp_path_factory.mktemp("demo"), seed=3, n_boot=50, **SMALL)


def _document(build: DemoBuild) -> dict[str, object]:
    return json.loads(build.reports["json"].read_text(encoding="utf-8"))


def _results(build: DemoBuild) -> Results:
    return load_results(_document(build))


def test_every_analysis_step_succeeds(demo: DemoBuild) -> None:
    assert [(s.name, s.status) for s in demo.steps if s.status != "ok"] == []
    results = _results(demo)
    for key in RESULT_KEYS:
        assert getattr(results, key), f"results lack {key}"
    assert results.waves == ["2025-H1", "2025-H2", "2026-H1", "2026-H2"]


def test_hidden_unit_cells_carry_no_numbers(demo: DemoBuild) -> None:
    document = _document(demo)
    cells = document["employee"]["cells"]  # type: ignore[index]
    hidden = [c for c in cells if c["hidden"] is not None]
    assert hidden, "the demo has units too small to report"
    for cell in hidden:
        assert cell["n"] is None
        assert cell["values"] == {}
        assert cell["hidden"]["code"] in ("too_few", "complementary", "consistency")
    minimum = document["privacy"]["min_scores"]  # type: ignore[index]
    for cell in cells:
        if cell["hidden"] is None:
            assert cell["n"] >= minimum


def test_html_report_shows_every_section_offline(demo: DemoBuild) -> None:
    for lang in ("nl", "en"):
        html = demo.reports[f"html-{lang}"].read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        for section in SECTIONS:
            assert f'id="{section}"' in html, section
        assert 'class="missing"' not in html
        assert html.count("<svg") >= 8
        assert "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html


def test_pdf_pages_are_not_blank(demo: DemoBuild) -> None:
    pdf = pdfium.PdfDocument(str(demo.reports["pdf-nl"]))
    assert len(pdf) >= 5
    inked = 0
    for i in range(len(pdf)):
        image = np.asarray(pdf[i].render(scale=0.5).to_pil().convert("L"), dtype=float)
        dark = (image < 200).mean()
        inked += dark > 0.01
        assert dark > 0.001, f"page {i + 1} is blank"
    assert inked >= len(pdf) // 2


def _invoke(*args: str | Path) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _comparable(results: dict[str, object]) -> dict[str, object]:
    out = dict(results)
    for key in ("generated_at", "steps", "organisation"):
        out.pop(key)
    return out


def test_same_report_from_users_own_csv_files(demo: DemoBuild, tmp_path: Path) -> None:
    """A user with the same data as files on disk gets the same results and report."""
    data = generate(seed=3, **SMALL)
    files = write_files(data, tmp_path / "files")
    db = tmp_path / "own.db"
    _invoke("db", "upgrade", "--db", db)
    _invoke("import", "units", files["units"], "--org", "demo", "--db", db)
    _invoke("import", "employees", files["employees"], "--db", db)
    for wave in data.waves.itertuples():
        _invoke(
            "waves", "add", wave.name, "--start", wave.starts_on, "--end", wave.ends_on, "--db", db
        )
    _invoke("import", "outcomes", files["outcomes"], "--db", db)
    for wave in data.wave_names:
        for audience in ("employee", "customer"):
            _invoke(
                "import", "responses", files[f"{audience}_responses:{wave}"],
                "--survey", f"{audience}-{wave}", "--wave", wave, "--instrument", audience,
                "--db", db,
            )  # fmt: skip
    out = tmp_path / "results.json"
    _invoke("analyze", "--db", db, "--json", out, "--boot", "50")
    own = json.loads(out.read_text(encoding="utf-8"))
    assert _comparable(own) == _comparable(_document(demo))
    report = tmp_path / "report.html"
    _invoke("report", "--db", db, "-o", report, "--lang", "en")
    html = report.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in html


def test_unit_report_names_the_unit(demo: DemoBuild, tmp_path: Path) -> None:
    results = _results(demo)
    location = next(u for u in results.units if u.kind == "location")
    out = tmp_path / "unit.html"
    _invoke("report", "--db", demo.database, "--unit", location.code, "-o", out)
    html = out.read_text(encoding="utf-8")
    assert location.name in html
    assert "Teamrapport" in html


def test_report_without_analysis_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    _invoke("db", "upgrade", "--db", db)
    result = CliRunner().invoke(app, ["report", "--db", str(db)])
    assert result.exit_code == 1
    assert "Error" in result.output
    assert "Traceback" not in result.output


def test_unit_figures_appear_only_for_units_the_gate_shows(demo: DemoBuild) -> None:
    """Every per-unit figure outside the gate's tables (scatter points, mirror, risk,
    ambition, comments) is about a unit whose cells the gate shows for that wave."""
    results = _results(demo)
    wave = results.wave
    assert wave is not None and results.employee and results.customer
    minimum = results.privacy.min_scores
    emp, cust = results.employee.of_wave(wave), results.customer.of_wave(wave)

    def employees_shown(location: int, units: list[int]) -> bool:
        # the location's own cell, or (where it was hidden for its manager) its teams'
        return all(emp[u].visible for u in units) if units else emp[location].visible

    assert results.linkage and results.mirror and results.risk
    shown = {
        "points": [(p.location, p.employee_units) for p in results.linkage.points],
        "mirror": [(g.unit, g.employee_units) for g in results.mirror.units],
        "risk": [(r.unit, r.employee_units) for r in results.risk.units],
        "ambition": [(a.location, a.employee_units) for a in results.ambition],
    }
    for name, rows in shown.items():
        assert rows, name
        for location, units in rows:
            assert location is not None and employees_shown(location, units), (name, location)
            assert name == "risk" or cust[location].visible, (name, location)
    # Comments: customers' from shown cells of at least the comment minimum (employees'
    # are checked against the raw answers in tests/privacy/test_results_attack.py).
    for c in results.comments:
        if c.audience == "customer":
            cell = cust[c.unit]
            assert cell.visible
            assert cell.n is not None and cell.n >= results.privacy.min_comments >= minimum


def test_role_groups_are_linked_in_the_lagged_form(demo: DemoBuild) -> None:
    """Four waves: grade at t+1 on each role group's engagement at t and the grade at t."""
    linkage = _results(demo).linkage
    assert linkage is not None and linkage.role_groups is not None
    assert str(linkage.role_groups_model).startswith("grade at t+1")
    terms = [c.role for c in linkage.role_groups.coefficients]
    assert terms == [
        "eng_senior_management",
        "eng_manager",
        "eng_front_line",
        "eng_back_office",
        "grade",
    ]


def test_headcount_per_unit_subtree_gives_response_rates(demo: DemoBuild) -> None:
    results = _results(demo)
    heads = results.headcount
    root = next(u for u in results.units if u.parent_id is None)
    assert heads[root.id] == SMALL["employees"]
    assert results.employee is not None
    for cell in results.employee.cells:
        if cell.visible and cell.role_group is None:
            assert cell.n is not None and 0 < cell.n <= heads[cell.unit]
