"""The chart specs say what their figures say: CI layers, the scale's full range, colour
by the scale's direction (issue 15, charts)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from spiegel.instruments import library
from spiegel.reports import charts, comparison_charts
from spiegel.results import load_results
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.overview import overview
from spiegel.services.dashboards.risk import risk


def _layers(spec: dict[str, object]) -> list[dict[str, object]]:
    return list(spec["layer"])  # type: ignore[call-overload]


def test_relative_flips_for_bad_when_high_scales() -> None:
    assert charts.relative(4.0, 3.5, True) == 0.5
    assert charts.relative(4.0, 3.5, False) == -0.5  # high workload is worse
    assert charts.relative(None, 3.5, True) is None
    assert charts.relative(3.0, None, False) is None


def test_heatmap_diverges_around_the_organisation_with_a_legend() -> None:
    frame = pd.DataFrame(
        {"u": ["A", "A"], "s": ["Workload", "Trust"], "v": [-0.4, 0.3], "l": ["4.2", "3.9"]}
    )
    spec = charts.heatmap(frame, "u", "s", "v", "l", (-0.5, 0.5), "Unit", "Scale", "–", "vs org")
    color = _layers(spec)[0]["encoding"]["color"]  # type: ignore[index]
    scale = color["condition"]["scale"]
    assert scale["domainMid"] == 0 and scale["domain"] == [-0.5, 0.5]
    assert scale["scheme"] == "redyellowgreen"
    assert color["condition"]["title"] == "vs org"
    assert color["condition"]["legend"]["orient"] == "bottom"


def test_trend_has_ci_layer_full_range_and_small_groups() -> None:
    frame = pd.DataFrame(
        {
            "wave": ["w1", "w2"],
            "scale": ["E", "E"],
            "mean": [3.8, 3.7],
            "lo": [3.5, 3.3],
            "hi": [4.1, 4.1],
            "small": [False, True],
        }
    )
    spec = charts.lines(
        frame, "wave", "mean", "scale", "Wave", "Score", (1, 5), "lo", "hi", "small"
    )
    layers = _layers(spec)
    marks = [layer["mark"]["type"] for layer in layers]  # type: ignore[index]
    assert "rule" in marks  # the CI
    rule = layers[marks.index("rule")]["encoding"]
    assert rule["y"]["field"] == "lo" and rule["y2"]["field"] == "hi"  # type: ignore[index]
    for layer in layers:
        y = layer["encoding"]["y"]  # type: ignore[index]
        assert y["scale"]["domain"] == [1, 5]
    point = layers[-1]["encoding"]
    assert "small" in point["shape"]["condition"]["test"]  # type: ignore[index]


def test_builtin_bad_when_high_scales() -> None:
    worse_high = {
        s.name
        for name in ("drivers", "strain", "engagement")
        for s in library.get_instrument(name).scales
        if not s.higher_is_better
    }
    assert worse_high == {"workload", "emotional_dissonance", "exhaustion"}


def test_mirror_dumbbell_has_gap_ci_and_full_grade_range() -> None:
    frame = pd.DataFrame({"t": ["Friendly"], "c": [7.6], "e": [8.1], "lo": [-0.9], "hi": [-0.1]})
    spec = charts.dumbbell(
        frame, "t", "c", "e", "Customers", "Employees", "Grade", (1, 10), "lo", "hi"
    )
    layers = _layers(spec)
    rules = [layer for layer in layers if layer["mark"]["type"] == "rule"]  # type: ignore[index]
    assert len(rules) == 1
    enc = rules[0]["encoding"]
    assert enc["x"]["field"] == "ci_from" and enc["x2"]["field"] == "ci_to"  # type: ignore[index]
    for layer in layers:
        assert layer["encoding"]["x"]["scale"]["domain"] == [1, 10]  # type: ignore[index]
    data = spec["datasets"]
    rows = [r for d in data.values() for r in d if "ci_from" in r]  # type: ignore[union-attr]
    assert rows[0]["ci_from"] == 8.1 - 0.9 and rows[0]["ci_to"] == 8.1 - 0.1


def test_risk_comparison_has_ci_and_flags_small_groups() -> None:
    spec = comparison_charts.risk_comparison(
        6.1, 4.2, 0.5, 3.3, 3, 40, ("Risk", "Other"), "Absenteeism (%)"
    )
    layers = _layers(spec)
    assert layers[0]["mark"]["type"] == "rule"  # type: ignore[index]
    rows = next(iter(spec["datasets"].values()))  # type: ignore[attr-defined]
    assert rows[0]["low"] == 4.2 + 0.5 and rows[0]["high"] == 4.2 + 3.3
    assert rows[0]["small"] is True and rows[1]["small"] is False
    assert rows[0]["group"] == "Risk (n = 3)"


def test_risk_page_and_overview_heatmap_specs_from_stored_results() -> None:
    stored = Path(__file__).parents[1] / "results" / "data" / "results-2.json"
    results = load_results(json.loads(stored.read_text()))
    data = DashboardData(1, results)
    scope = Scope(units=None, organisation=True, visible_only=False)
    page = risk(data, scope, "en")
    link = results.risk.absenteeism_link if results.risk is not None else None
    assert link is not None and link.ci_low is None  # one risk location: no CI
    assert page.charts == []  # no comparison drawn without its uncertainty
    heat = overview(data, scope, "en").charts[0].spec
    color = heat["layer"][0]["encoding"]["color"]["condition"]  # type: ignore[index]
    assert color["scale"]["domainMid"] == 0
    assert "organisation" in color["title"]
