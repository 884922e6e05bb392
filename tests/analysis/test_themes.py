"""Comment themes: TF-IDF and NMF with the shipped Dutch and English stop words."""

from __future__ import annotations

import random

import pytest

from spiegel.analysis.themes import MIN_TEXTS, find_themes, stop_words

DUTCH = (
    ["De leidsters zijn lief en betrokken."] * 6
    + ["Fijne leidsters, ze zijn altijd betrokken."] * 3
    + ["De kosten zijn te hoog voor ons."] * 5
    + ["Hoge kosten, en elk jaar duurder."] * 2
    + ["Het eten mag gezonder, meer groente."] * 4
    + ["Gezonder eten graag, minder suiker."] * 2
)
ENGLISH = (
    ["The staff are kind and caring."] * 5
    + ["Caring staff, our son loves them."] * 3
    + ["Fees are too high for what we get."] * 4
    + ["High fees again this year."] * 2
)


def test_stop_words_are_shipped_in_both_languages() -> None:
    words = stop_words()
    assert {"de", "het", "een", "niet", "the", "and", "are", "our"} <= words
    assert not {"leidsters", "kosten", "staff", "fees"} & words


def test_dutch_themes_have_readable_labels_counts_and_examples() -> None:
    found = find_themes(DUTCH)
    assert found is not None
    assert found.n == len(DUTCH) and found.other == 0
    assert sum(t.count for t in found.themes) == len(DUTCH)
    labels = [set(t.terms) for t in found.themes]
    assert any("leidsters" in t for t in labels)
    assert any("kosten" in t for t in labels)
    assert any("eten" in t or "gezonder" in t for t in labels)
    for theme in found.themes:
        assert theme.label == ", ".join(theme.terms) and 1 <= len(theme.terms) <= 3
        assert not set(theme.terms) & stop_words()
        assert 1 <= len(theme.examples) <= 3
        assert all(found.assignment[e] == found.themes.index(theme) for e in theme.examples)
    # largest first
    assert [t.count for t in found.themes] == sorted((t.count for t in found.themes), reverse=True)


def test_english_themes() -> None:
    found = find_themes(ENGLISH)
    assert found is not None
    labels = [set(t.terms) for t in found.themes]
    assert any("staff" in t or "caring" in t for t in labels)
    assert any("fees" in t for t in labels)


def test_themes_are_deterministic_and_ignore_input_order() -> None:
    first = find_themes(DUTCH)
    shuffled = list(DUTCH)
    random.Random(4).shuffle(shuffled)
    assert find_themes(shuffled) == first
    assert find_themes(DUTCH) == first


def test_counts_equal_repeated_texts() -> None:
    distinct = sorted(set(DUTCH))
    counts = [DUTCH.count(t) for t in distinct]
    assert find_themes(distinct, counts) == find_themes(DUTCH)


def test_too_few_comments_or_only_stop_words_give_no_themes() -> None:
    assert find_themes(DUTCH[: MIN_TEXTS - 1]) is None
    assert find_themes(["Het is wat het is."] * 20) is None
    assert find_themes([]) is None


def test_comments_without_content_words_are_in_no_theme() -> None:
    found = find_themes([*DUTCH, "ok", "Ja!", "123"])
    assert found is not None and found.other == 3 and found.n == len(DUTCH) + 3


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="not one string"):
        find_themes("leidsters")
    with pytest.raises(ValueError, match="differ in length"):
        find_themes(["a", "b"], [1])
    with pytest.raises(ValueError, match="at least 1"):
        find_themes(["a"], [0])
