"""Every section of the results, attacked: no figure from fewer than the minimum.

The full run over 20 organisations of 600 to 5,000 employees is
``uv run python bench/privacy_gate.py``; here a few of them, and checks that the attack
finds what it should.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from spiegel.privacy import PrivacySettings
from spiegel.services.figures import protect_by_figure
from tests.privacy.attacker import _milp_zero_one_vector
from tests.privacy.results_attack import (
    ALL,
    ORGANISATIONS,
    Published,
    ResultsAttack,
    analysed_demo,
)


@pytest.fixture(scope="module")
def demo() -> tuple[ResultsAttack, object]:
    # 600 employees, seed 2: the organisation in which the mirror published the mean
    # expectation of 3 or 4 employees before figures were protected one by one.
    return analysed_demo(seed=2, employees=600)


def test_no_section_publishes_a_figure_of_too_few_people(demo: tuple[ResultsAttack, object]):
    attack, _job = demo
    report = attack.run()
    assert report.figures > 10_000
    sections = {p.section for p in attack.published()}
    assert {
        "employee",
        "customer",
        "mirror.units",
        "mirror.overall",
        "risk",
        "ambition",
        "linkage.points",
        "moments_of_truth",
        "customer_overall",
        "response",
    } <= sections
    assert report.findings == []


@pytest.mark.slow
@pytest.mark.parametrize("org", [ORGANISATIONS[0], ORGANISATIONS[3], ORGANISATIONS[9]])
def test_other_organisations_pass_the_attack(org: tuple[int, int, int, dict[str, object]]):
    seed, employees, locations, privacy = org
    attack, _job = analysed_demo(seed, employees, locations, privacy)
    report = attack.run()
    assert report.findings == [], report.findings[:5]


def test_the_attack_finds_a_mirror_figure_of_four_people(demo: tuple[ResultsAttack, object]):
    """Put back what the mirror used to publish: a unit's expectation from 4 employees."""
    attack, job = demo
    pairs = job.mirror_pairs()
    cust_item, emp_item = pairs[0]
    employee = attack.frames["employee"]
    latest = employee[employee["wave"] == attack.latest]
    location = job.location  # type: ignore[attr-defined]
    counts = latest[latest[emp_item].notna()].groupby(latest["unit_id"].map(location)).size()
    small = counts[(counts > 0) & (counts < attack.minimum)]
    assert len(small), "the demo should have a location where few answered the mirror item"
    unit = int(small.index[0])
    values = latest.loc[(latest["unit_id"].map(location) == unit), emp_item].dropna()
    leaky = copy.deepcopy(dict(attack.results))
    leaky["mirror"]["units"].append(
        {
            "unit": unit,
            "aspect": cust_item,
            "mean_employee": float(values.mean()),
            "n_employee": len(values),
        }
    )
    report = ResultsAttack(
        attack.units, attack.frames, leaky, attack.mirror_items, attack.latest
    ).run(differencing=False)
    assert [f.kind for f in report.findings] == ["too_few"]
    assert f"unit {unit}" in report.findings[0].detail


def test_the_attack_solves_a_difference(demo: tuple[ResultsAttack, object]):
    """Show a figure hidden only to protect another: subtraction then gives a small group."""
    attack, _job = demo
    leaky = copy.deepcopy(dict(attack.results))
    cells = leaky["employee"]["cells"]
    target = next(
        (c for c in cells if c["hidden"] is not None and c["hidden"]["code"] == "complementary"),
        None,
    )
    if target is None:
        pytest.skip("no complementary suppression in this organisation")
    frame = attack.frames["employee"]
    below = attack.below[("employee", int(target["unit"]))]
    group = frame.iloc[below]
    group = group[group["wave"] == target["wave"]]
    if target.get("role_group") is not None:
        group = group[group["role_group"] == target["role_group"]]
    target.update(
        hidden=None, n=len(group), values={"engagement": float(group["engagement"].mean())}
    )
    report = ResultsAttack(
        attack.units, attack.frames, leaky, attack.mirror_items, attack.latest
    ).run()
    assert any(f.kind == "disclosure" for f in report.findings)


# -- protect_by_figure on a table small enough to check by hand -------------------------------


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["Location", "Team A", "Team B"],
            "parent_id": pd.array([None, 1, 1], dtype="Int64"),
            "path": ["/1/", "/1/2/", "/1/3/"],
        }
    )


def test_a_scale_answered_by_three_of_six_is_hidden_and_so_is_what_gives_it_away():
    # Team A: 6 respondents who all answered both scales. Team B: 6 respondents, of whom
    # only 3 answered "workload". Every row passes (6, 6, 12 respondents); workload of
    # team B rests on 3 people, and location minus team A would give it away.
    rng = np.random.default_rng(1)
    unit = [2] * 6 + [3] * 6
    trust = rng.integers(1, 6, 12).astype(float)
    workload = rng.integers(1, 6, 12).astype(float)
    workload[[6, 7, 8]] = np.nan
    respondents = pd.DataFrame(
        {"wave": "w1", "unit_id": unit, "trust": trust, "workload": workload}
    )
    table = protect_by_figure(respondents, _units(), ["trust", "workload"], PrivacySettings())
    assert table.frame["visible"].all()
    assert table.shown(3, "w1", "trust")
    assert not table.shown(3, "w1", "workload")
    assert table.row(3, "w1")["hidden_figures"] == {"workload": "too_few"}
    # one of location / team A loses its workload figure too, and nothing else
    hidden_too = [u for u in (1, 2) if not table.shown(u, "w1", "workload")]
    assert len(hidden_too) == 1
    assert table.row(hidden_too[0], "w1")["hidden_figures"] == {"workload": "complementary"}
    assert all(table.shown(u, "w1", "trust") for u in (1, 2, 3))
    assert table.summary["figures_hidden_in_visible_cells"] == 2
    shown = next(u for u in (1, 2) if u not in hidden_too)
    expected = respondents.loc[
        respondents["unit_id"].isin([2, 3] if shown == 1 else [2]), "workload"
    ].mean()
    assert table.value(shown, "w1", "workload") == pytest.approx(expected)


def test_figures_answered_by_everyone_share_the_rows_protection():
    respondents = pd.DataFrame(
        {"wave": "w1", "unit_id": [2] * 6 + [3] * 4, "trust": np.arange(10, dtype=float)}
    )
    table = protect_by_figure(respondents, _units(), ["trust"], PrivacySettings())
    # team B (4) is too small; then location minus team A gives it: one more is hidden
    assert table.frame["visible"].sum() == 1
    assert table.summary["figures_hidden_in_visible_cells"] == 0
    assert all(h is None for h in table.frame["hidden_figures"])


def test_the_solver_finds_a_small_group_when_there_are_too_many_to_try() -> None:
    """When small micro-cells are too many to try subsets one by one, the attacker asks an
    integer program: it must find what subtraction gives, and nothing where none is."""
    counts = np.array([2.0, 10.0, 10.0])
    found = _milp_zero_one_vector(np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 1.0]]), counts, 5)
    assert found is not None and list(found) == [1.0, 0.0, 0.0]
    assert _milp_zero_one_vector(np.array([[1.0, 1.0, 1.0]]), counts, 5) is None


def test_the_attack_checks_the_comment_figures(demo: tuple[ResultsAttack, object]):
    """Comment lists are the group's own comments counted as given; the themes hold
    nothing beyond the shown lists unless the others are at least the comment minimum."""
    attack, _job = demo
    results = dict(attack.results)
    assert results["comment_themes"] and attack.texts is not None
    assert [f for f in attack._comments() if f.kind == "comments"] == []

    def attacked(leaky: dict[str, object]) -> list[str]:
        again = ResultsAttack(
            attack.units, attack.frames, leaky, attack.mirror_items, attack.latest, attack.texts
        )
        return [f.detail for f in again._comments()]

    # a count that does not match what the group wrote
    leaky = copy.deepcopy(results)
    first = leaky["comments"][0]
    first["counts"] = [first["counts"][0] + 1, *first["counts"][1:]]
    assert any("not the group's" in d for d in attacked(leaky))
    # themes over more comments than the lists and the (large) others hold
    leaky = copy.deepcopy(results)
    leaky["comment_themes"][0]["themes"][0]["count"] = 10**6
    assert any("count not its comments'" in d for d in attacked(leaky))
    # themes over fewer comments than the shown lists hold
    leaky = copy.deepcopy(results)
    leaky["comment_themes"][0]["comments"] = 0
    assert any("beyond the shown lists" in d for d in attacked(leaky))
    # the others (everyone not in a shown list) counted although they are few: here every
    # list is taken away but one, and the themes claim comments of a group made small
    leaky = copy.deepcopy(results)
    audience = leaky["comment_themes"][0]["audience"]
    root = int(leaky["comment_themes"][0]["unit"])
    total = len(attack.group(Published("x", audience, ALL, root, attack.latest, None, None)))
    ours = [c for c in leaky["comments"] if c["audience"] == audience]
    sizes = {
        int(c["unit"]): len(
            attack.group(Published("x", audience, ALL, int(c["unit"]), attack.latest, None, None))
        )
        for c in ours
    }
    # keep lists until the others are fewer than the minimum (possible when the lists cover
    # nearly everyone), then claim one comment more than the lists hold
    kept = sorted(ours, key=lambda c: -sizes[int(c["unit"])])
    if total - sum(sizes.values()) < attack.min_comments:
        listed = sum(sum(c["counts"]) for c in kept)
        leaky["comment_themes"][0]["comments"] = listed + 1
        leaky["comments"] = [c for c in leaky["comments"] if c["audience"] != audience] + kept
        assert any("beyond the shown lists" in d for d in attacked(leaky))
