"""Titles for codes (spiegel.results.labels), chart field titles and p-values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiegel.instruments import get_instrument
from spiegel.results import load_results
from spiegel.results.chart_labels import titled
from spiegel.results.glossary import GLOSSARY, short
from spiegel.results.labels import Labels, p_value, readable, shorten

STORED = Path(__file__).parent / "data" / "results-2.json"


@pytest.fixture(scope="module")
def labels_nl() -> Labels:
    return Labels(load_results(json.loads(STORED.read_text(encoding="utf-8"))), "nl")


def test_items_and_scales_by_their_titles_from_the_instrument(labels_nl: Labels) -> None:
    assert labels_nl.item("mot_pick_up") == "Ophalen en overdracht"
    assert labels_nl.item("asp_communication") == "Communicatie"
    assert labels_nl.item("overall_grade") == "Rapportcijfer"
    assert labels_nl.scale("engagement") == "Bevlogenheid"
    assert labels_nl("mot_pick_up") == "Ophalen en overdracht"


def test_every_builtin_customer_and_mirror_item_has_a_short_title() -> None:
    for name in ("customer", "mirror"):
        for item in get_instrument(name).items:
            assert item.title is not None, item.id
            assert len(item.title.nl) <= 40 and len(item.title.en) <= 40, item.id


def test_role_groups_kinds_and_figures_in_both_languages() -> None:
    nl, en = Labels(None, "nl"), Labels(None, "en")
    assert en.role("senior_management") == "Senior management"
    assert nl.role("eng_front_line") == "Medewerkers bij de klant"
    assert nl.term("headcount") == "Aantal medewerkers"
    assert en.unit_kind("bso") == "After-school care"
    assert en.unit_kind(None) == "–"


def test_an_unknown_code_is_made_readable_never_shown_raw() -> None:
    en = Labels(None, "en")
    assert en("front_desk_evening") == "Front desk evening"
    assert readable("Al een titel") == "Al een titel"
    assert shorten("Welk cijfer geeft u het ophalen van uw kind, met de overdracht", 30) == (
        "Welk cijfer geeft u het…"
    )


@pytest.mark.parametrize(
    ("p", "full", "cell"),
    [
        (0.0, "p < 0.001", "< 0.001"),
        (0.0004, "p < 0.001", "< 0.001"),
        (0.001, "p = 0.001", "0.001"),
        (0.04213, "p = 0.042", "0.042"),
        (None, "p = –", "–"),
        (float("nan"), "p = –", "–"),
    ],
)
def test_p_values_never_read_zero(p: float | None, full: str, cell: str) -> None:
    assert p_value(p) == full
    assert p_value(p, prefix=False) == cell


def test_chart_fields_get_titles_and_shared_axes_keep_one() -> None:
    spec = {
        "layer": [
            {
                "encoding": {
                    "x": {"field": "ci_low", "type": "quantitative", "title": "Grade"},
                    "x2": {"field": "ci_high"},
                }
            },
            {
                "encoding": {
                    "x": {"field": "estimate", "type": "quantitative"},
                    "y": {"field": "label", "type": "nominal", "title": None},
                    "tooltip": [
                        {"field": "scale_title", "type": "nominal"},
                        {"field": "v", "type": "quantitative", "title": "colour"},
                    ],
                }
            },
        ],
        "data": {"values": [{"field": "untouched"}]},
    }
    out = titled(spec, Labels(None, "nl"))
    second = out["layer"][1]["encoding"]  # type: ignore[index]
    assert second["x"]["title"] == "Grade"  # the axis keeps one title
    assert out["layer"][0]["encoding"]["x2"]["title"] == "Grade"  # type: ignore[index]
    assert second["y"]["title"] is None
    assert [t["title"] for t in second["tooltip"]] == ["Schaal", "Score"]
    assert out["data"] == spec["data"]


def test_the_glossary_is_complete_in_both_languages() -> None:
    keys = [t.key for t in GLOSSARY]
    assert len(keys) == len(set(keys))
    for term in GLOSSARY:
        assert all(term.name) and all(term.plain)
    assert "0" in short("ci", "en") and short("nope", "nl") == ""
