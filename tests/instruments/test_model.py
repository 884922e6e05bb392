"""Response formats, lookups and the consistency rules of a loaded instrument."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from spiegel.instruments import (
    STANDARD_FORMATS,
    AgreementFormat,
    ChoiceFormat,
    Instrument,
    Item,
    Scale,
    Text,
    get_instrument,
    load_instrument,
    validate_file,
)

T = Text(nl="x", en="y")


def test_text_get() -> None:
    assert Text(nl="ja", en="yes").get("nl") == "ja"
    assert Text(nl="ja", en="yes").get("en") == "yes"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        Text(nl="ja", en="yes").get("de")
    with pytest.raises(ValidationError):
        Text(nl="  ", en="yes")


def test_standard_formats() -> None:
    assert set(STANDARD_FORMATS) == {"agree5", "likelihood", "grade", "text"}
    agree = STANDARD_FORMATS["agree5"]
    assert isinstance(agree, AgreementFormat)
    assert (agree.min, agree.max, agree.values) == (1, 5, (1, 2, 3, 4, 5))
    assert agree.value_labels("nl")[1] == "Helemaal oneens"
    assert agree.value_labels("en")[5] == "Strongly agree"
    likelihood, grade, text = (STANDARD_FORMATS[k] for k in ("likelihood", "grade", "text"))
    assert (likelihood.min, likelihood.max) == (0, 10)  # type: ignore[union-attr]
    assert (grade.min, grade.max) == (1, 10)  # type: ignore[union-attr]
    assert set(grade.value_labels("en")) == {1, 10}
    assert not text.ordinal and text.value_labels("nl") == {}


@given(n=st.integers(min_value=2, max_value=11), start=st.integers(min_value=-5, max_value=5))
def test_agreement_format_of_any_length(n: int, start: int) -> None:
    fmt = AgreementFormat(kind="agreement", points=[T] * n, start=start)
    assert fmt.values == tuple(range(start, start + n))
    assert (fmt.min, fmt.max) == (start, start + n - 1)
    assert list(fmt.value_labels("en")) == list(fmt.values)


@given(n=st.one_of(st.integers(min_value=0, max_value=1), st.integers(min_value=12, max_value=30)))
def test_agreement_format_rejects_bad_point_counts(n: int) -> None:
    with pytest.raises(ValidationError):
        AgreementFormat(kind="agreement", points=[T] * n)


def test_choice_format(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "name: c\nversion: 1\naudience: customer\ntitle: {nl: c, en: c}\n"
        "description: {nl: c, en: c}\n"
        "response_formats:\n"
        "  visit:\n"
        "    kind: choice\n"
        "    options:\n"
        "      - {code: 1, nl: Eerste keer, en: First time}\n"
        "      - {code: 2, nl: Vaker, en: More often}\n"
        "      - {code: dk, nl: Weet niet, en: Do not know}\n"
        "items:\n"
        "  - {id: visits, format: visit, position: first, text: {nl: Hoe vaak?, en: How often?}}\n",
        encoding="utf-8",
    )
    assert validate_file(path) == []
    inst = load_instrument(path)
    assert inst.valid_values("visits") == (1, 2, "dk")
    fmt = inst.format_of("visits")
    assert isinstance(fmt, ChoiceFormat) and not fmt.ordinal
    assert fmt.value_labels("en") == {1: "First time", 2: "More often", "dk": "Do not know"}
    assert fmt.options[2].label == Text(nl="Weet niet", en="Do not know")


def test_lookups() -> None:
    inst = get_instrument("drivers")
    item = inst.item("aut_checked")
    assert item.reverse and item.scale == "autonomy" and item.format == "agree5"
    assert inst.has_item("aut_checked") and not inst.has_item("nope")
    with pytest.raises(ValueError, match="instrument 'drivers' has no item 'nope'"):
        inst.item("nope")
    with pytest.raises(ValueError, match="has no scale 'nope'; scales: trust, feedback"):
        inst.scale("nope")
    assert inst.valid_values("aut_checked") == (1, 2, 3, 4, 5)
    assert inst.scale_specs()["autonomy"].reverse == frozenset({"aut_checked"})


def _item(item_id: str, fmt: str, scale: str | None = None) -> Item:
    return Item(id=item_id, text=T, format=fmt, scale=scale)


def test_instrument_built_directly_is_checked_too() -> None:
    base = {
        "name": "direct",
        "version": 1,
        "title": T,
        "audience": "employee",
        "description": T,
        "formats": dict(STANDARD_FORMATS),
    }
    ok = Instrument(
        **base,
        scales=(Scale(name="s", title=T, format="agree5", items=(_item("a", "agree5", "s"),)),),
        extra_items=(_item("b", "text"),),
    )
    assert ok.item_ids == ("a", "b")
    with pytest.raises(ValidationError, match="duplicate item id"):
        Instrument(**base, extra_items=(_item("a", "text"), _item("a", "grade")))
    with pytest.raises(ValidationError, match="unknown format 'agree9'"):
        Instrument(**base, extra_items=(_item("a", "agree9"),))
    with pytest.raises(ValidationError, match="needs one ordinal value range"):
        Instrument(
            **base,
            scales=(
                Scale(
                    name="s",
                    title=T,
                    format="agree5",
                    items=(_item("a", "agree5", "s"), _item("b", "grade", "s")),
                ),
            ),
        )
