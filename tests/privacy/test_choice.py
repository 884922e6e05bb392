"""Which cells complementary suppression hides: the smaller group, or the unit higher up.

When hiding either a unit or a unit below it protects a group equally well, the gate by
default hides the group with fewer respondents (usually the team, so its location's
figures stay). With ``hide_first="higher"`` it hides the unit higher up (the location,
so its teams' figures stay), and the organisation's total only when nothing else will
do. Either way nothing below the minimum can be worked out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spiegel.privacy import CellKey, HiddenCell, PrivacySettings, ReasonCode, VisibleCell, protect
from spiegel.privacy.tree import UnitTree
from spiegel.services.figures import protect_by_figure
from tests.privacy.demo_tables import demo_table, shown_by_kind
from tests.privacy.helpers import attacker, build, shown
from tests.privacy.optimum import optimum

S = PrivacySettings()


def key(unit: str) -> CellKey:
    return CellKey(unit, "w1")


# A region with staff of its own (6), a location whose manager (1) is attached to it with
# one team (9), and a second location (8). Location - team = the manager.
REGION = {"R": None, "L": "R", "T": "L", "L2": "R"}
REGION_MICRO = [("R", "w1", 6, 3.0), ("L", "w1", 1, 2.0), ("T", "w1", 9, 3.4)]
REGION_MICRO += [("L2", "w1", 8, 3.9)]


def test_by_default_the_team_goes_and_its_location_stays() -> None:
    table = build(REGION, REGION_MICRO, [(u, "w1") for u in REGION])
    p = protect(table, S)
    assert {c.key: c.reason_code for c in p.hidden()} == {key("T"): ReasonCode.COMPLEMENTARY}
    assert attacker(table, S, REGION_MICRO).attack(shown(p)) == []


def test_hide_first_higher_hides_the_location_and_shows_its_team() -> None:
    table = build(REGION, REGION_MICRO, [(u, "w1") for u in REGION])
    p = protect(table, S, hide_first="higher")
    assert {c.key: c.reason_code for c in p.hidden()} == {key("L"): ReasonCode.COMPLEMENTARY}
    assert isinstance(p[key("T")], VisibleCell) and p[key("T")].n == 9
    # Region - other location - team = the region's own staff and the manager (7): safe.
    assert attacker(table, S, REGION_MICRO).attack(shown(p)) == []


def test_hide_first_higher_keeps_the_organisation_total_when_a_unit_below_can_go() -> None:
    # Organisation - both locations = one person attached to the organisation itself.
    parents = {"O": None, "L1": "O", "L2": "O"}
    micro = [("O", "w1", 1, 4.0), ("L1", "w1", 9, 3.0), ("L2", "w1", 8, 3.5)]
    table = build(parents, micro, [(u, "w1") for u in parents])
    p = protect(table, S, hide_first="higher")
    assert isinstance(p[key("O")], VisibleCell)
    assert isinstance(p[key("L2")], HiddenCell)  # the smaller of the two locations
    assert p.summary.n_complementary == 1
    assert attacker(table, S, micro).attack(shown(p)) == []


def test_hide_first_must_be_known() -> None:
    table = build(REGION, REGION_MICRO, [(u, "w1") for u in REGION])
    with pytest.raises(ValueError, match="hide_first must be one of 'smaller', 'higher'"):
        protect(table, S, hide_first="teams")


def test_protect_by_figure_passes_the_choice_on() -> None:
    """The analysis's protection per figure follows ``hide_first`` too."""
    ids = {"R": 1, "L": 2, "T": 3, "L2": 4}
    units = pd.DataFrame(
        {
            "id": list(ids.values()),
            "parent_id": pd.array([None, 1, 2, 1], dtype="Int64"),
            "name": list(ids),
            "kind": ["region", "location", "team", "location"],
            "path": ["/1/", "/1/2/", "/1/2/3/", "/1/4/"],
        }
    )
    # Five people attached to the location itself (location - team = 5: every row may be
    # shown); four of them skip the question, so for its mean location - team = 1.
    sizes = {"R": 6, "L": 5, "T": 9, "L2": 8}
    rows = [(ids[u], 3.0) for u, n in sizes.items() for _ in range(n)]
    respondents = pd.DataFrame(rows, columns=["unit_id", "score"]).assign(wave="w1")
    respondents.loc[respondents.index[respondents["unit_id"] == ids["L"]][:4], "score"] = np.nan
    for hide_first, gone in (("smaller", "T"), ("higher", "L")):
        protected = protect_by_figure(respondents, units, ["score"], S, hide_first=hide_first)
        frame = protected.frame
        assert frame["visible"].all()
        assert frame.loc[frame["score"].isna(), "unit"].tolist() == [ids[gone]], hide_first


def test_height_counts_the_levels_below_a_unit() -> None:
    tree = UnitTree(REGION)
    assert [tree.height(u) for u in ("R", "L", "T", "L2")] == [2, 1, 0, 0]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demo_team_cells_shown_are_within_5_percent_of_the_optimum(seed: int) -> None:
    """The default demo (seed 1, 1,200 employees, 80 locations) and two other seeds."""
    demo = demo_table(seed)
    p = protect(demo.table, S, hide_first="higher")
    best = optimum(demo.table, S, demo.weight)
    gate = shown_by_kind(demo, p)["team"]["shown"]
    ideal = shown_by_kind(demo, p, best.hidden)["team"]["shown"]
    assert gate >= 0.95 * ideal, (gate, ideal)
    loss = sum(demo.weight(c.key) for c in p.hidden() if c.reason_code is ReasonCode.COMPLEMENTARY)
    assert loss <= 1.05 * best.loss
