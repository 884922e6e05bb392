"""The pages' sentences and verdicts follow their figures' intervals: built from stored
results, then from the same results with the estimates' signs flipped and their intervals
widened; a unit against its region and the organisation keeps hidden what the gate hid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spiegel.services.dashboards as service
from spiegel.results import Results, load_results
from spiegel.services.dashboards import DashboardData, Scope
from spiegel.services.dashboards.compare import Difference, comparison

STORED = Path(__file__).parents[1] / "results" / "data" / "results-2.json"
EVERYONE = Scope(units=None, organisation=True, visible_only=False)
UNSURE = {"en": "cannot tell yet", "nl": "kunnen we nog niet zeggen"}


@pytest.fixture(scope="module")
def results() -> Results:
    return load_results(json.loads(STORED.read_text(encoding="utf-8")))


def _with_link(results: Results, r: float, low: float, high: float) -> Results:
    assert results.linkage is not None
    unit = results.linkage.unit.model_copy(
        update={
            "pearson_r": r,
            "pearson_ci_low": low,
            "pearson_ci_high": high,
            "slope": r,
            "boot_ci_low": low,
            "boot_ci_high": high,
        }
    )
    link = results.linkage.model_copy(update={"unit": unit})
    return results.model_copy(update={"linkage": link, "lagged": None, "multilevel": None})


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    ("r", "low", "high", "says"),
    [
        (0.45, 0.2, 0.65, {"en": "give higher grades", "nl": "geven klanten hogere cijfers"}),
        (-0.45, -0.65, -0.2, {"en": "give lower grades", "nl": "geven klanten lagere cijfers"}),
        (-0.06, -0.28, 0.16, {"en": "cannot tell yet", "nl": "kunnen we nog niet zeggen"}),
        (0.06, -0.16, 0.28, {"en": "cannot tell yet", "nl": "kunnen we nog niet zeggen"}),
    ],
)
def test_the_linkage_page_says_what_the_interval_shows(
    results: Results, lang: str, r: float, low: float, high: float, says: dict[str, str]
) -> None:
    page = service.linkage(DashboardData(1, _with_link(results, r, low, high)), EVERYONE, lang)
    first, line = page.sentences[0], page.sentences[1]
    assert says[lang] in first
    if low < 0 < high:
        assert UNSURE[lang] in line
    else:
        assert UNSURE[lang] not in first and UNSURE[lang] not in line
        assert ("higher" if r > 0 else "lower") in line or ("hoger" if r > 0 else "lager") in line


def test_linkage_sentences_are_for_organisation_viewers_only(results: Results) -> None:
    loc = next(u.id for u in results.units if u.kind == "location")
    scoped = Scope(units=frozenset([loc]), organisation=False, visible_only=False)
    assert service.linkage(DashboardData(1, results), scoped, "en").sentences == []


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_mirror_verdicts_follow_the_interval(results: Results, lang: str) -> None:
    page = service.mirror(DashboardData(1, results), EVERYONE, lang)
    rows = [*(page.overall or []), *page.units]
    assert rows
    for row in rows:
        if row.ci_low is not None and row.ci_high is not None:
            if row.ci_high < 0:
                assert row.label == "blind spot"
            elif row.ci_low > 0:
                assert row.label == "hidden strength"
            else:
                assert row.label in ("aligned", "cannot tell")
    assert page.summary is not None
    blind = sum(r.label == "blind spot" for r in page.overall or [])
    lower = "lower than employees expect" if lang == "en" else "lager dan medewerkers verwachten"
    assert f"{blind} {lower}" in page.summary


def test_old_labels_are_read_through_the_interval(results: Results) -> None:
    """Results stored by an older version labelled a gap "aligned" by a fixed d; the page
    reads the interval: a gap whose interval excludes zero is never "as expected"."""
    assert results.mirror is not None
    gap = next(g for g in results.mirror.overall if g.ci_high is not None and g.ci_high < 0)
    old = gap.model_copy(update={"label": "aligned"})
    mirror = results.mirror.model_copy(update={"overall": [old]})
    page = service.mirror(
        DashboardData(1, results.model_copy(update={"mirror": mirror})), EVERYONE, "en"
    )
    assert page.overall is not None and page.overall[0].label == "blind spot"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_ambition_page_explains_reachable_equal_to_now(results: Results, lang: str) -> None:
    page = service.ambition(DashboardData(1, results), EVERYONE, lang)
    assert page.units
    same = all(r.reachable == r.current for r in page.units if r.current is not None)
    text = " ".join(page.notes)
    if same:
        assert ("Reachable equals Now" if lang == "en" else "Haalbaar gelijk aan Nu") in text
        assert "does not mean" in text or "betekent niet" in text
    if all(r.target is None for r in page.units):
        assert ("not set" if lang == "en" else "niet ingesteld") in text


def test_risk_sentences(results: Results) -> None:
    page = service.risk(DashboardData(1, results), EVERYONE, "en")
    high = sum(r.risk_level == "high" for r in page.units)
    assert page.sentences[0].startswith(f"{high} location" if high else "No location")
    link = page.absenteeism_link
    if link is not None and (link.ci_low is None or link.ci_low <= 0 <= (link.ci_high or 0)):
        assert "cannot tell yet" in page.sentences[1]


def test_drivers_sentence(results: Results) -> None:
    page = service.drivers(DashboardData(1, results), EVERYONE, "en")
    assert page.outcomes and all(o.sentence for o in page.outcomes)
    top = page.outcomes[0].drivers[0].title
    assert top in (page.outcomes[0].sentence or "")


def _diffs(
    data: DashboardData, unit: int, seen: frozenset[int], lang: str
) -> list[tuple[str, object, Difference]]:
    found = comparison(data, lang, unit, seen)
    assert found is not None
    return [
        (against, row, diff)
        for row in found.rows
        for against, diff in (("region", row.vs_region), ("organisation", row.vs_organisation))
        if diff is not None
    ]


def test_a_unit_against_its_region_and_the_organisation(results: Results) -> None:
    data = DashboardData(1, results)
    assert results.employee is not None
    shown = next(
        c.unit
        for c in results.employee.cells
        if c.wave == results.wave and c.visible and c.role_group is None
        and results.unit(c.unit).kind == "location"  # type: ignore[union-attr]
    )  # fmt: skip
    everything = frozenset(data.units)
    found = comparison(data, "en", shown, everything)
    assert found is not None and found.has_region and found.intervals
    checked = 0
    for row in found.rows:
        for mean_against, diff in (
            (row.mean_region, row.vs_region),
            (row.mean_organisation, row.vs_organisation),
        ):
            assert diff is not None
            if diff.verdict == "hidden":
                continue
            if diff.verdict == "none":  # no interval stored (the NPS): no difference shown
                assert diff.difference is None
                continue
            assert row.mean is not None and mean_against is not None
            assert diff.difference == pytest.approx(row.mean - mean_against, abs=1e-9)
            assert diff.ci_low is not None and diff.ci_high is not None
            expected = "higher" if diff.ci_low > 0 else "lower" if diff.ci_high < 0 else "unclear"
            assert diff.verdict == expected
            words = {"higher": "higher", "lower": "lower", "unclear": "cannot tell yet"}
            assert diff.sentence and words[expected] in diff.sentence
            checked += 1
    assert checked
    region = results.unit(shown)
    while region is not None and region.kind != "region":
        region = results.unit(region.parent_id) if region.parent_id is not None else None
    assert region is not None
    assert found.region_name == region.name
    # a manager of the unit: "your region", never a unit name outside the scope
    scoped = comparison(data, "nl", shown, frozenset([shown]))
    assert scoped is not None and scoped.region_name is None
    for row in scoped.rows:
        for diff in (row.vs_region, row.vs_organisation):
            assert diff is not None
            assert region.name not in (diff.sentence or "")
        said = row.vs_region.sentence if row.vs_region is not None else None
        assert said is None or "uw regio" in said


def test_a_hidden_unit_s_differences_stay_hidden(results: Results) -> None:
    assert results.employee is not None
    assert results.differences is not None
    stand_ins = {c.unit for c in results.differences.comparisons if c.employee_units}
    hidden = next(
        c.unit
        for c in results.employee.cells
        if c.wave == results.wave
        and not c.visible
        and c.role_group is None
        and c.unit not in stand_ins
    )
    data = DashboardData(1, results)
    found = comparison(data, "en", hidden, frozenset(data.units))
    assert found is not None
    employee = [r for r in found.rows if r.audience == "employee"]
    assert employee
    for row in employee:
        assert row.mean is None
        for diff in (row.vs_region, row.vs_organisation):
            assert diff is not None and diff.verdict == "hidden"
            assert diff.difference is None and diff.ci_low is None


def test_a_location_measured_over_its_teams(results: Results) -> None:
    """A location whose own figure is hidden (its teams stand for it, as on every page)
    is compared over its teams together; the mean shown is theirs."""
    assert results.differences is not None
    comp = next(c for c in results.differences.comparisons if c.employee_units)
    data = DashboardData(1, results)
    found = comparison(data, "en", comp.unit, frozenset(data.units))
    assert found is not None
    shown = [
        r
        for r in found.rows
        if r.audience == "employee"
        and r.vs_organisation is not None
        and r.vs_organisation.verdict != "hidden"
    ]
    assert shown
    for row in shown:
        assert row.employee_units == comp.employee_units
        assert row.mean is not None and row.mean_organisation is not None
        assert row.vs_organisation is not None and row.vs_organisation.difference is not None
        assert row.mean == pytest.approx(
            row.mean_organisation + row.vs_organisation.difference, abs=1e-9
        )
