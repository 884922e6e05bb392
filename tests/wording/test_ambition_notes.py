"""The ambition page never states what its numbers do not show."""

from __future__ import annotations

import pytest

from spiegel.results import AmbitionUnit
from spiegel.wording import Estimate, ambition_notes


def _row(current: float, reachable: float, target: float | None = None) -> AmbitionUnit:
    return AmbitionUnit(
        location=1, engagement=3.5, engagement_target=3.8, current=current,
        model_prediction=reachable, peer_benchmark=8.0, reachable=reachable, target=target,
        flag="no target", reason="",
    )  # fmt: skip


UNCLEAR = Estimate(-0.06, -0.28, 0.16)
POSITIVE = Estimate(0.45, 0.2, 0.65)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_reachable_equal_to_now_with_no_clear_link(lang: str) -> None:
    notes = " ".join(ambition_notes([_row(7.2, 7.2), _row(7.5, 7.5)], UNCLEAR, lang))
    if lang == "en":
        assert "For every location Reachable equals Now" in notes
        assert "we cannot tell yet (r = −0.06, 95% CI −0.28 to 0.16)" in notes
        assert "does not mean a location cannot improve" in notes
        assert "“not set”" in notes
    else:
        assert "Voor elke locatie is Haalbaar gelijk aan Nu" in notes
        assert "kunnen we nog niet zeggen (r = −0.06, 95%-BI −0.28 tot 0.16)" in notes
        assert "“niet ingesteld”" in notes


def test_reachable_equal_to_now_with_a_clear_link_blames_the_peers() -> None:
    notes = " ".join(ambition_notes([_row(7.2, 7.2)], POSITIVE, "en"))
    assert "best comparable locations score no higher" in notes
    assert "cannot tell" not in notes


def test_room_is_counted_and_an_unclear_link_is_flagged() -> None:
    rows = [_row(7.2, 7.6, target=8.0), _row(7.5, 7.5, target=7.5)]
    notes = ambition_notes(rows, UNCLEAR, "en")
    assert notes[0].startswith("For 1 of 2 locations the figures show room")
    assert "uncertain" in notes[1]
    assert not any("not set" in n for n in notes)
    assert len(ambition_notes(rows, POSITIVE, "en")) == 1


def test_scoped_viewers_get_no_organisation_figures() -> None:
    notes = " ".join(ambition_notes([_row(7.2, 7.2)], UNCLEAR, "en", show_link=False))
    assert "r =" not in notes and "we cannot tell yet" in notes
