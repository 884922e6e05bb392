"""Each unit against its region and the organisation, as ``spiegel analyze`` stores it:
the numbers are the raw answers' (Welch test of the unit against the rest), the
difference is that of the two cells a page shows, and nothing the gate hides comes back."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from spiegel.analysis.unit_difference import unit_against_group
from spiegel.demo import generate
from spiegel.results import Results, UnitTable
from spiegel.services.analyze import Job, analyse_frames
from spiegel.services.dataset import ancestors
from spiegel.services.demo_frames import organisation_frames


@cache
def _analysed() -> tuple[Results, Job]:
    data = generate(seed=5, employees=700, customers_per_wave=2500, locations=30, regions=2)
    return analyse_frames(organisation_frames(data), n_boot=10)


def _subtree(job: Job, unit: int) -> set[int]:
    return {u for u, chain in ancestors(job.data.units).items() if unit in chain}


def test_the_step_ran_and_compares_with_region_and_organisation() -> None:
    results, _job = _analysed()
    assert results.step("differences") is not None
    assert results.step("differences").status == "ok"  # type: ignore[union-attr]
    found = results.differences
    assert found is not None and found.wave == results.wave
    against = {(c.against, c.audience) for c in found.comparisons}
    assert against == {
        ("organisation", "employee"),
        ("region", "employee"),
        ("organisation", "customer"),
        ("region", "customer"),
    }


def test_shown_differences_are_the_raw_answers_and_the_cells() -> None:
    results, job = _analysed()
    assert results.differences is not None and results.employee is not None
    checked = 0
    for comp in results.differences.comparisons:
        table: UnitTable | None = (
            results.employee if comp.audience == "employee" else results.customer
        )
        frame = job.staff if comp.audience == "employee" else job.cust
        assert table is not None
        latest = frame[frame["wave"] == results.wave]
        measured = comp.employee_units or [comp.unit]
        inside = latest["unit_id"].isin(set().union(*(_subtree(job, u) for u in measured)))
        group = latest["unit_id"].isin(_subtree(job, comp.against_unit))
        for figure, diff in list(comp.figures.items())[:3]:
            x = latest.loc[inside, figure].dropna().to_numpy()
            rest = latest.loc[group & ~inside, figure].dropna().to_numpy()
            ref = unit_against_group(x, rest)
            assert diff.difference == pytest.approx(float(ref.difference[0]), abs=1e-9)
            assert diff.ci_low == pytest.approx(float(ref.ci_low[0]), abs=1e-9)
            assert diff.p == pytest.approx(float(ref.p[0]), abs=1e-9)
            assert rest.size >= results.privacy.min_scores
            checked += 1
            if comp.employee_units:
                for team in comp.employee_units:
                    cell = table.cell(team, results.wave or "")
                    assert cell is not None and cell.value(figure) is not None
                continue
            # the difference of the two means the page shows
            mine = table.cell(comp.unit, results.wave or "")
            theirs = table.cell(comp.against_unit, results.wave or "")
            assert mine is not None and theirs is not None
            shown = (mine.value(figure) or np.nan) - (theirs.value(figure) or np.nan)
            assert diff.difference == pytest.approx(shown, abs=1e-9)
    assert checked > 100


def test_a_hidden_unit_keeps_its_differences_hidden() -> None:
    results, _job = _analysed()
    assert results.differences is not None and results.employee is not None
    wave = results.wave or ""
    hidden_units = {c.unit for c in results.employee.cells if c.wave == wave and not c.visible}
    assert hidden_units, "the demo should have hidden cells"
    stand_ins = 0
    for comp in results.differences.comparisons:
        if comp.employee_units:
            stand_ins += 1
            assert results.unit(comp.unit).kind == "location"  # type: ignore[union-attr]
            continue
        if comp.audience == "employee" and comp.unit in hidden_units:
            assert comp.figures == {}
            assert comp.hidden_figures
            for figure in comp.hidden_figures:
                got = results.differences.get(comp.unit, figure, comp.against)
                assert got is not None and not got.visible and got.difference is None
    assert stand_ins, "the demo should have locations measured over their teams"
    # and every figure hidden in a cell is hidden in each of its comparisons
    for comp in results.differences.comparisons:
        if comp.employee_units:
            continue
        table = results.employee if comp.audience == "employee" else results.customer
        assert table is not None
        for unit in (comp.unit, comp.against_unit):
            cell = table.cell(unit, wave)
            if cell is None:
                continue
            for figure in comp.figures:
                assert cell.value(figure) is not None, (unit, figure)


def test_the_stored_document_round_trips() -> None:
    results, _job = _analysed()
    again = Results.model_validate(results.to_json())
    assert again.differences == results.differences


def test_lookup_of_what_was_not_compared() -> None:
    results, _job = _analysed()
    assert results.differences is not None
    root = next(u.id for u in results.units if u.parent_id is None)
    assert results.differences.get(root, "engagement", "organisation") is None
    region = next(u.id for u in results.units if u.kind == "region")
    assert results.differences.get(region, "engagement", "region") is None
