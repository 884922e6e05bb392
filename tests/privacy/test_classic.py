"""The classic differencing cases, each checked against the gate and the attacker."""

from __future__ import annotations

import math
import re

import pytest

from spiegel.privacy import (
    CellKey,
    GroupTable,
    HiddenCell,
    PrivacySettings,
    ProtectedTable,
    ReasonCode,
    ViewerScope,
    VisibleCell,
    protect,
)
from tests.privacy.helpers import attacker, build, shown, shown_primary_only

S = PrivacySettings()  # minimum 5 for scores, 3 for 360° rater groups

LOC = {"L": None, "A": "L", "B": "L"}


def key(unit: str, wave: str | None = "w1", **split: str) -> CellKey:
    return CellKey(unit, wave, tuple(split.items()))


def hidden_codes(p: ProtectedTable) -> dict[CellKey, ReasonCode]:
    return {c.key: c.reason_code for c in p.hidden()}


def assert_safe(
    table: GroupTable, p: ProtectedTable, micro: list, settings: PrivacySettings = S
) -> None:
    """The attacker, seeing every shown cell, works out no group below the minimum."""
    assert attacker(table, settings, micro).attack(shown(p)) == []


def run(table: GroupTable, settings: PrivacySettings = S) -> ProtectedTable:
    return protect(table, settings)


# ---------------------------------------------------------------- a parent with one small child
MICRO_ONE_SMALL = [("A", "w1", 9, 3.2), ("B", "w1", 3, 2.0)]


def test_parent_with_one_small_child() -> None:
    table = build(LOC, MICRO_ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    # The naive approach (hide only B) lets anyone subtract: L (12) - A (9) = B (3),
    # and B's mean follows exactly from the shown means.
    naive = attacker(table, S, MICRO_ONE_SMALL).attack(shown_primary_only(table, 5), explain=True)
    assert naive and naive[0].true_n == 3
    assert naive[0].derived_n == pytest.approx(3)
    assert naive[0].derived_mean == pytest.approx(2.0)

    p = run(table)
    codes = hidden_codes(p)
    assert codes[key("B")] is ReasonCode.TOO_FEW
    assert p.summary.n_primary == 1
    assert p.summary.n_complementary == 1
    assert sum(c is ReasonCode.COMPLEMENTARY for c in codes.values()) == 1
    # The cheaper of L (12) and A (9) goes: A.
    assert codes[key("A")] is ReasonCode.COMPLEMENTARY
    assert isinstance(p[key("L")], VisibleCell) and p[key("L")].n == 12
    assert_safe(table, p, MICRO_ONE_SMALL)


def test_reasons_never_contain_the_hidden_count() -> None:
    table = build(LOC, MICRO_ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    p = run(table)
    for cell in p.hidden():
        for lang in ("en", "nl"):
            text = cell.reason(lang)
            assert set(re.findall(r"\d+", text)) <= {"5"}, text
    assert p[key("B")].reason() == "fewer than 5 respondents"
    assert p[key("B")].reason("nl") == "minder dan 5 respondenten"
    comp = p[key("A")]
    assert isinstance(comp, HiddenCell)
    assert comp.reason() == (
        "hidden so that a group of fewer than 5 respondents in L cannot be worked out "
        "from the other figures"
    )
    assert "niet uit de andere cijfers af te leiden" in comp.reason("nl")


# ---------------------------------------------------------------- two small siblings
def test_two_small_siblings_whose_union_is_small() -> None:
    parents = {"L": None, "A": "L", "B": "L", "C": "L"}
    micro = [("A", "w1", 8, 4.0), ("B", "w1", 2, 1.0), ("C", "w1", 2, 5.0)]
    table = build(parents, micro, [("L", "w1"), ("A", "w1"), ("B", "w1"), ("C", "w1")])
    p = run(table)
    codes = hidden_codes(p)
    assert codes[key("B")] is ReasonCode.TOO_FEW and codes[key("C")] is ReasonCode.TOO_FEW
    # L - A = B + C = 4 < 5: one of L, A must go too.
    assert p.summary.n_complementary == 1
    assert_safe(table, p, micro)


def test_two_small_siblings_whose_union_is_large_enough() -> None:
    parents = {"L": None, "A": "L", "B": "L", "C": "L"}
    micro = [("A", "w1", 8, 4.0), ("B", "w1", 3, 1.0), ("C", "w1", 3, 5.0)]
    table = build(parents, micro, [("L", "w1"), ("A", "w1"), ("B", "w1"), ("C", "w1")])
    p = run(table)
    # L - A = B + C = 6 >= 5: a group of six may be known; nothing more is hidden.
    assert p.summary.n_complementary == 0
    assert p.summary.n_primary == 2
    assert_safe(table, p, micro)


def test_respondents_attached_to_the_parent_itself() -> None:
    # A location manager attached to the location: L (14) - A (6) - B (7) = 1 person.
    micro = [("L", "w1", 1, 5.0), ("A", "w1", 6, 3.0), ("B", "w1", 7, 3.5)]
    table = build(LOC, micro, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    assert attacker(table, S, micro).attack(shown_primary_only(table, 5))
    p = run(table)
    assert p.summary.n_primary == 0 and p.summary.n_complementary == 1
    assert isinstance(p[key("A")], HiddenCell)  # the smallest of the three
    assert_safe(table, p, micro)


# ---------------------------------------------------------------- overlapping filters
ROLE_MICRO = [
    ("T1", "w1", "front", 6, 3.0),
    ("T1", "w1", "back", 2, 4.5),
    ("T2", "w1", "front", 7, 3.5),
    ("T2", "w1", "back", 5, 2.5),
]
ROLE_CELLS = [(u, "w1", r) for u in ("L", "T1", "T2") for r in (None, "front", "back")]


def test_overlapping_filters_role_group_by_location() -> None:
    parents = {"L": None, "T1": "L", "T2": "L"}
    table = build(parents, ROLE_MICRO, ROLE_CELLS, ("role_group",))
    naive = attacker(table, S, ROLE_MICRO).attack(shown_primary_only(table, 5))
    # T1 back office (2) follows from T1 - T1 front, and from L back - T2 back.
    assert {d.members for d in naive} == {(("T1", ("w1", "back")),)}
    p = run(table)
    assert hidden_codes(p)[key("T1", role_group="back")] is ReasonCode.TOO_FEW
    assert p.summary.n_complementary >= 2
    assert_safe(table, p, ROLE_MICRO)
    # Every viewer's part is safe too (protection was computed for all of them at once).
    att = attacker(table, S, ROLE_MICRO)
    for unit in ("L", "T1", "T2"):
        part = p.for_viewer(ViewerScope.below(p.tree, unit))
        assert att.attack(shown(part)) == []


def test_managers_comparing_notes_learn_nothing() -> None:
    parents = {"L": None, "T1": "L", "T2": "L"}
    table = build(parents, ROLE_MICRO, ROLE_CELLS, ("role_group",))
    p = run(table)
    t1 = p.for_viewer(ViewerScope.below(p.tree, "T1"))
    t2 = p.for_viewer(ViewerScope.below(p.tree, "T2"))
    top = p.for_viewer(ViewerScope(frozenset({"L"})))
    together = shown(t1) + shown(t2) + shown(top)
    assert attacker(table, S, ROLE_MICRO).attack(together) == []


# ---------------------------------------------------------------- waves
WAVE_MICRO = [("A", "w1", 4, 2.0), ("A", "w2", 6, 3.0), ("B", "w1", 9, 3.0), ("B", "w2", 9, 3.1)]


def test_group_crossing_the_minimum_between_waves() -> None:
    cells = [(u, w) for u in ("L", "A", "B") for w in ("w1", "w2")]
    table = build(LOC, WAVE_MICRO, cells)
    p = run(table)
    # Wave 1: A has 4 (hidden) and L - B = A, so one more goes; wave 2: A has 6, shown.
    assert hidden_codes(p)[key("A", "w1")] is ReasonCode.TOO_FEW
    assert isinstance(p[key("A", "w2")], VisibleCell)
    hidden_w1 = [c for c in p.hidden() if c.key.wave == "w1"]
    assert len(hidden_w1) == 2
    assert all(c.key.wave == "w1" for c in p.hidden())
    assert_safe(table, p, WAVE_MICRO)
    # A trend of team A shows only the wave where it passes.
    trend = [c for c in p.visible() if c.key.unit == "A"]
    assert [c.key.wave for c in trend] == ["w2"]


def test_pooled_waves_cannot_be_differenced_with_one_wave() -> None:
    micro = [("A", "w1", 4, 2.0), ("A", "w2", 6, 3.0)]
    table = build({"A": None}, micro, [("A", "w1"), ("A", "w2"), ("A", None)])
    # Both waves together (10) minus wave 2 (6) would give wave 1 (4).
    assert attacker(table, S, micro).attack(shown_primary_only(table, 5))
    p = run(table)
    assert p.summary.n_primary == 1 and p.summary.n_complementary == 1
    assert isinstance(p[key("A", "w2")], HiddenCell)  # the smaller of 10 and 6
    assert isinstance(p[key("A", None)], VisibleCell)
    assert_safe(table, p, micro)


# ---------------------------------------------------------------- 360° feedback
def test_360_small_rater_group_with_self_and_manager_exempt() -> None:
    s = PrivacySettings()
    micro = [
        ("P", "w1", "self", 1, 4.0),
        ("P", "w1", "manager", 1, 3.0),
        ("P", "w1", "peer", 2, 3.5),
        ("P", "w1", "report", 4, 4.2),
    ]
    cells = [("P", "w1", None)] + [("P", "w1", g) for g in ("self", "manager", "peer", "report")]
    table = build({"P": None}, micro, cells, ("rater_group",), kind="rater360")
    p = run(table, s)
    assert isinstance(p[key("P", rater_group="self")], VisibleCell)
    assert p[key("P", rater_group="self")].known_persons_only
    assert isinstance(p[key("P", rater_group="manager")], VisibleCell)
    assert hidden_codes(p)[key("P", rater_group="peer")] is ReasonCode.TOO_FEW
    # All raters (8) - self - manager - reports (4) = the two peers: "all" or the
    # reports must go too; the reports are the smaller group.
    assert p.summary.n_complementary == 1
    assert isinstance(p[key("P")], VisibleCell)
    report = p[key("P", rater_group="report")]
    assert isinstance(report, HiddenCell) and report.reason_code is ReasonCode.COMPLEMENTARY
    assert report.reason().startswith("hidden so that a group of fewer than 3 raters")
    assert_safe(table, p, micro, s)


def test_360_group_of_known_persons_and_small_group_is_hidden() -> None:
    # "manager + peers" has 3 raters but only 2 that count: subtracting the manager
    # (a known person whose own rating is shown) gives the two peers.
    micro = [("P", "w1", "manager", 1, 3.0), ("P", "w1", "peer", 2, 3.5)]
    cells = [("P", "w1", None), ("P", "w1", "manager"), ("P", "w1", "peer")]
    table = build({"P": None}, micro, cells, ("rater_group",), kind="rater360")
    p = run(table)
    assert hidden_codes(p)[key("P")] is ReasonCode.TOO_FEW
    assert_safe(table, p, micro)


# ---------------------------------------------------------------- the protected table itself
def test_hidden_cells_carry_no_numbers() -> None:
    table = build(LOC, MICRO_ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    p = run(table)
    for cell in p.hidden():
        values = [getattr(cell, f) for f in cell.__dataclass_fields__]
        assert not any(
            isinstance(v, int | float) and not isinstance(v, bool)
            for v in values
            if v is not cell.minimum
        )
        assert not hasattr(cell, "n") and not hasattr(cell, "figures")
    frame = p.to_frame()
    hidden_rows = frame[~frame["visible"]]
    assert hidden_rows["n"].isna().all() and hidden_rows["mean"].isna().all()
    assert frame.loc[frame["unit"] == "L", "mean"].iloc[0] == pytest.approx(
        (9 * 3.2 + 3 * 2.0) / 12
    )


def test_a_protected_table_is_made_only_by_the_gate() -> None:
    table = build(LOC, MICRO_ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    p = run(table)
    with pytest.raises(TypeError, match=r"only by spiegel\.privacy\.protect"):
        ProtectedTable(p.cells, p.summary, p.tree)
    with pytest.raises(AttributeError):
        p._cells = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        p[key("L")].figures["mean"] = 0.0  # type: ignore[index]


def test_protection_is_deterministic() -> None:
    parents = {"L": None, "T1": "L", "T2": "L"}
    table = build(parents, ROLE_MICRO, ROLE_CELLS, ("role_group",))
    first = [(c.key, c.visible) for c in protect(table, S)]
    second = [(c.key, c.visible) for c in protect(table, S)]
    assert first == second


def test_also_hide_keeps_tables_consistent() -> None:
    micro = [("A", "w1", 9, 3.2), ("B", "w1", 8, 2.0)]
    table = build(LOC, micro, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    p = protect(table, S, also_hide=[key("B")])
    assert hidden_codes(p)[key("B")] is ReasonCode.CONSISTENCY
    assert p.summary.n_consistency == 1
    assert p[key("B")].reason() == "hidden because the same group is hidden in the overall results"
    # L - A = B is now a hidden group of 8: allowed (8 >= 5), nothing more hidden.
    assert p.summary.n_complementary == 0


def test_empty_groups_show_nothing() -> None:
    table = build(LOC, [("A", "w1", 9, 3.0)], [("L", "w1"), ("A", "w1"), ("B", "w1")])
    p = run(table)
    assert hidden_codes(p) == {key("B"): ReasonCode.TOO_FEW}
    assert p.summary.n_complementary == 0


# ---------------------------------------------------------------- refusing bad input
def test_split_attribute_must_be_allowed() -> None:
    micro = [("A", "w1", "x", 9, 3.0)]
    table = build({"A": None}, micro, [("A", "w1", None), ("A", "w1", "x")], ("religion",))
    with pytest.raises(ValueError, match="'religion' are not allowed"):
        protect(table, S)


def test_counts_in_figures_must_match_the_microcells() -> None:
    table = build(LOC, MICRO_ONE_SMALL, [("L", "w1"), ("A", "w1"), ("B", "w1")])
    table.figures.loc[0, "n"] = 13
    bad = type(table)(table.tree, table.microcells, table.figures, table.split_attributes)
    with pytest.raises(ValueError, match="microcells count 12"):
        protect(bad, S)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_scores": 2}, "below the absolute minimum of 3"),
        ({"min_360_group": 2}, "min_360_group = 2 is below"),
        ({"min_comments": 4}, "min_comments = 4 must not be below min_scores = 5"),
        ({"min_scores": 4.5}, "must be an integer"),
        ({"allowed_split_attributes": "role_group"}, "not the string"),
    ],
)
def test_settings_refuse_unsafe_values(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PrivacySettings(**kwargs)


def test_settings_defaults() -> None:
    s = PrivacySettings()
    assert (s.min_scores, s.min_comments, s.min_360_group) == (5, 10, 3)
    assert s.exempt_rater_groups == frozenset({"self", "manager"})
    assert s.minimum("rater360") == 3 and s.minimum("comments") == 10
    with pytest.raises(ValueError, match="unknown table kind"):
        s.minimum("other")  # type: ignore[arg-type]


def test_microcells_must_be_whole_numbers() -> None:
    table = build({"A": None}, [("A", "w1", 9, 3.0)], [("A", "w1")])
    micro = table.microcells.astype({"n": float})
    micro.loc[0, "n"] = 2.5
    with pytest.raises(ValueError, match="whole numbers"):
        type(table)(table.tree, micro, table.figures)
    assert math.isfinite(table.figures["mean"].iloc[0])


# ---------------------------------------------------------------- edge cases
def test_when_the_search_is_too_large_only_overall_totals_stay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import spiegel.privacy.gate as gate

    monkeypatch.setattr(gate, "PATTERN_BUDGET", 0)
    parents = {"L": None, "T1": "L", "T2": "L"}
    table = build(parents, ROLE_MICRO, ROLE_CELLS, ("role_group",))
    p = protect(table, S)
    assert [c.key for c in p.visible()] == [key("L")]
    assert_safe(table, p, ROLE_MICRO)


def test_empty_table_and_no_respondents() -> None:
    table = build({"A": None}, [], [("A", "w1")])
    p = protect(table, S)
    assert hidden_codes(p) == {key("A"): ReasonCode.TOO_FEW}
    empty = build({"A": None}, [], [])
    assert len(protect(empty, S)) == 0


def test_viewer_scope_with_ancestors() -> None:
    table = build(
        LOC, [("A", "w1", 9, 3.0), ("B", "w1", 9, 3.0)], [("L", "w1"), ("A", "w1"), ("B", "w1")]
    )
    p = protect(table, S)
    scope = ViewerScope.below(p.tree, "A", with_ancestors=True)
    assert [c.key.unit for c in p.for_viewer(scope)] == ["L", "A"]
    assert len(p.for_viewer(ViewerScope.everything())) == 3
    with pytest.raises(ValueError, match="not in the tree"):
        ViewerScope.below(p.tree, "Z")
