"""The optimiser that measures the gate's complementary suppression against an exact optimum."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spiegel.privacy import CellKey, GroupTable, PrivacySettings, ReasonCode, UnitTree, protect
from tests.privacy.attacker import Attacker, Cell
from tests.privacy.helpers import attacker, build
from tests.privacy.instances import Instance
from tests.privacy.optimum import Weight, _exact_in_rowspace, optimum
from tests.privacy.test_attack import score_instances

S = PrivacySettings()
LEVEL = {0: 1.0, 1: 2.0, 2: 4.0}  # by depth: deeper units weigh more


def key(unit: str, wave: str | None = "w1") -> CellKey:
    return CellKey(unit, wave)


def by_depth(tree: UnitTree) -> Weight:
    return lambda k: LEVEL.get(tree.depth(k.unit), 8.0)


def candidates(table: GroupTable, s: PrivacySettings) -> list[CellKey]:
    """The cells the gate does not hide as too small (those the optimum chooses from)."""
    p = protect(table, s)
    return [c.key for c in p.cells if c.visible or c.reason_code is ReasonCode.COMPLEMENTARY]


def brute_force(table: GroupTable, s: PrivacySettings, judge: Attacker, weight: Weight) -> float:
    """Least total weight of hidden cells that the attacker cannot break, by trying all."""
    cand = candidates(table, s)
    best = float("inf")
    for k in range(len(cand) + 1):
        for hide in combinations(cand, k):
            loss = sum(weight(c) for c in hide)
            if loss >= best:
                continue
            shown = [Cell(c.unit, c.wave, c.split) for c in cand if c not in hide]
            if not judge.attack(shown):
                best = loss
    return best


def shown_cells(table: GroupTable, s: PrivacySettings, hidden: frozenset[CellKey]) -> list[Cell]:
    return [Cell(c.unit, c.wave, c.split) for c in candidates(table, s) if c not in hidden]


# ---------------------------------------------------------------- by hand
ONE_SMALL = [("A", "w1", 9, 3.2), ("B", "w1", 3, 2.0)]
LOC = {"L": None, "A": "L", "B": "L"}


def test_the_location_goes_when_teams_weigh_more() -> None:
    # B (3) is too small and L - A = B: one of L (12) and A (9) must go.
    table = build(LOC, ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    got = optimum(table, S, lambda k: 2.0 if k.unit == "L" else 4.0)
    assert got.hidden == {key("L")}
    assert got.loss == 2.0
    assert got.rounds == 2 and got.cuts == 1
    judge = attacker(table, S, ONE_SMALL)
    assert judge.attack(shown_cells(table, S, got.hidden)) == []


def test_the_team_goes_when_the_location_weighs_more() -> None:
    table = build(LOC, ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    got = optimum(table, S, lambda k: 5.0 if k.unit == "L" else 4.0)
    assert got.hidden == {key("A")} and got.loss == 4.0


def test_nothing_is_hidden_when_nothing_can_be_worked_out() -> None:
    micro = [("A", "w1", 8, 4.0), ("B", "w1", 3, 1.0), ("C", "w1", 3, 5.0)]
    parents = {"L": None, "A": "L", "B": "L", "C": "L"}
    table = build(parents, micro, [(u, "w1") for u in parents])
    got = optimum(table, S, lambda k: 1.0)
    assert got.hidden == frozenset() and got.loss == 0.0
    assert got.rounds == 1 and got.cuts == 0


# A region with two locations, each a team of 9 and its manager (1). Each manager is
# location - team; hiding both locations leaves region - both teams = the two managers
# (2 < 5). Hitting sets of {L1,T1}, {L2,T2}, {R,T1,T2}, {R,L2,T1}, {R,L1,T2} with
# weights team 4, location 2, region 1: {R, L1, L2} costs 5, {T1, T2} costs 8, and every
# other choice is dearer or leaves a manager derivable.
REGION = {"R": None, "L1": "R", "L2": "R", "T1": "L1", "T2": "L2"}
REGION_MICRO = [("L1", "w1", 1, 2.0), ("T1", "w1", 9, 3.0), ("L2", "w1", 1, 4.0)]
REGION_MICRO += [("T2", "w1", 9, 3.5)]


def test_two_locations_and_their_region() -> None:
    table = build(REGION, REGION_MICRO, [(u, "w1") for u in REGION])
    weight = by_depth(table.tree)
    got = optimum(table, S, weight)
    assert got.hidden == {key("R"), key("L1"), key("L2")}
    assert got.loss == 5.0
    # First round: nothing hidden, both managers found; second: both locations hidden,
    # the two managers together found at the region; third: feasible.
    assert got.rounds == 3 and got.cuts == 3
    judge = attacker(table, S, REGION_MICRO)
    assert judge.attack(shown_cells(table, S, got.hidden)) == []
    assert brute_force(table, S, judge, weight) == 5.0


def test_every_weight_must_be_positive() -> None:
    table = build(LOC, ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    with pytest.raises(ValueError, match="positive"):
        optimum(table, S, lambda k: 0.0)


# ---------------------------------------------------------------- against exhaustive search
@pytest.mark.slow
def test_the_optimum_equals_exhaustive_search_on_small_organisations() -> None:
    """On generated organisations with few cells, the optimiser's loss is the least one
    found by trying every set of cells to hide, with the independent attacker as judge."""
    checked = 0

    @settings(
        max_examples=1000,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(score_instances(), st.sampled_from([1.0, 3.0]))
    def one(case: tuple[Instance, str], root_weight: float) -> None:
        nonlocal checked
        inst, _ = case
        if len(candidates(inst.table, inst.settings)) > 9:
            return
        tree = inst.table.tree

        def weight(k: CellKey) -> float:
            base = root_weight if tree.parent(k.unit) is None else 1.0 + tree.depth(k.unit)
            return base + (0.5 if k.split else 0.0)

        judge = Attacker(inst.parents, inst.microcells, inst.attributes, inst.minimum)
        got = optimum(inst.table, inst.settings, weight)
        shown = shown_cells(inst.table, inst.settings, got.hidden)
        assert judge.attack(shown) == []
        assert got.loss == pytest.approx(brute_force(inst.table, inst.settings, judge, weight))
        if got.hidden:
            checked += 1

    one()
    assert checked > 100


def test_exact_row_space_membership_and_independence() -> None:
    x = np.array([1.0, 1.0, 0.0])
    assert _exact_in_rowspace([[0], [1]], x) == (True, True)
    assert _exact_in_rowspace([[0], [1], [0, 1]], x) == (True, False)
    assert _exact_in_rowspace([[0, 1, 2], [2]], x) == (True, True)  # (0,1,2) - (2)
    assert _exact_in_rowspace([[0, 2], [1, 2]], x) == (False, True)
    assert _exact_in_rowspace([], x) == (False, True)
