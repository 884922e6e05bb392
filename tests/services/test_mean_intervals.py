"""Each shown mean of a unit table gets its 95% t interval; hidden cells and figures none.

R figures from ``tests/services/r/test_mean_intervals.R`` (``t.test(x)$conf.int``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from spiegel.results import Cell, Hidden, ProtectionSummary, UnitTable, load_results
from spiegel.services.analyze.intervals import with_intervals

TEAM_A = [4.2, 3.8, 3.5, 4.0, 4.6, 3.9]
TEAM_B = [3.1, 3.6, 2.9, 3.4, 3.8]
# R: t.test(team_a)$conf.int; t.test(team_b)$conf.int; t.test(c(team_a, team_b))$conf.int
R_TEAM_A = (3.6073371386, 4.3926628614)
R_TEAM_B = (2.9071755070, 3.8128244930)
R_LOCATION = (3.3834823436, 4.0346994746)

STORED = Path(__file__).parents[1] / "results" / "data" / "results-2.json"
UNITS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "parent_id": [None, 1, 2, 2],
        "kind": ["organisation", "location", "team", "team"],
        "path": ["/1/", "/1/2/", "/1/2/3/", "/1/2/4/"],
    }
)


def _table() -> UnitTable:
    def mean(xs: list[float]) -> float:
        return sum(xs) / len(xs)

    hidden = Hidden(code="too_few", minimum=5)
    cells = [
        Cell(unit=3, wave="W1", n=6, values={"engagement": mean(TEAM_A)}),
        Cell(
            unit=4,
            wave="W1",
            n=5,
            values={},
            hidden_figures={"engagement": hidden},
        ),
        Cell(unit=2, wave="W1", n=11, values={"engagement": mean(TEAM_A + TEAM_B)}),
        Cell(unit=1, wave="W1", hidden=hidden),
        Cell(unit=1, wave="W1", role_group="front_line", n=11, values={"engagement": 3.7}),
    ]
    summary = ProtectionSummary(
        cells=4, visible=2, hidden_too_few=1, hidden_complementary=0, hidden_consistency=0
    )
    return UnitTable(figures=["engagement"], cells=cells, summary=summary)


def _respondents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": [3] * len(TEAM_A) + [4] * len(TEAM_B) + [3],
            "wave": ["W1"] * (len(TEAM_A) + len(TEAM_B)) + ["W1"],
            "engagement": [*TEAM_A, *TEAM_B, float("nan")],  # one skipped the scale
        }
    )


def test_intervals_match_r_and_stay_off_hidden_figures() -> None:
    table = with_intervals(_table(), _respondents(), UNITS, ["engagement", "not_asked"])
    team_a = table.cell(3, "W1")
    location = table.cell(2, "W1")
    assert team_a is not None and location is not None
    assert team_a.interval("engagement") == pytest.approx(R_TEAM_A, abs=1e-9)
    assert location.interval("engagement") == pytest.approx(R_LOCATION, abs=1e-9)
    # team B's mean is hidden on its own, the organisation's cell is hidden: no interval,
    # though R could compute one for team B
    team_b = table.cell(4, "W1")
    assert team_b is not None and team_b.intervals == {} and team_b.interval("engagement") is None
    organisation = table.cell(1, "W1")
    assert organisation is not None and organisation.intervals == {}
    assert R_TEAM_B[0] < 3.36 < R_TEAM_B[1]
    # role-group cells are left as they were
    role = table.cell(1, "W1", "front_line")
    assert role is not None and role.intervals == {}


def test_stored_results_have_intervals_around_their_means() -> None:
    results = load_results(json.loads(STORED.read_text(encoding="utf-8")))
    assert results.employee is not None
    shown = [c for c in results.employee.cells if c.visible and c.role_group is None]
    with_ci = [c for c in shown if c.intervals]
    assert len(with_ci) > len(shown) // 2
    for c in with_ci:
        for figure, (low, high) in c.intervals.items():
            mean = c.value(figure)
            assert mean is not None and low < mean < high
            assert mean - low == pytest.approx(high - mean, rel=1e-9, abs=1e-12)
    for c in results.employee.cells:
        if not c.visible:
            assert c.intervals == {}


def test_the_unit_trend_draws_the_intervals() -> None:
    from spiegel.services.dashboards import DashboardData
    from spiegel.services.dashboards.unit import _charts

    results = load_results(json.loads(STORED.read_text(encoding="utf-8")))
    assert results.employee is not None
    unit = next(c.unit for c in results.employee.cells if c.intervals and c.role_group is None)
    charts = _charts(DashboardData(1, results), "en", unit, [])
    trend = next(c for c in charts if c.key == "trend")
    text = json.dumps(trend.spec)
    assert '"y2": {"field": "ci_high"' in text  # the interval drawn as a rule
