"""Every generated sentence agrees with its figure in sign and certainty.

Hypothesis draws estimates with intervals on either side of zero, spanning it, narrow
and wide, flips their signs, and checks in both languages that each sentence states the
direction its interval shows (higher / lower only when the whole interval lies on that
side of zero, "we cannot tell yet" otherwise), and that the interval it prints shows the
same: a bound above zero never prints as 0.00 or below.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spiegel import wording as W
from spiegel.wording import Estimate, Sentence

UP = {"en": re.compile(r"\bhigher\b"), "nl": re.compile(r"\bhoger(e)?\b")}
DOWN = {"en": re.compile(r"\blower\b"), "nl": re.compile(r"\blager(e)?\b")}
UNSURE = {"en": "cannot tell yet", "nl": "kunnen we nog niet zeggen"}
NUMBER = r"([−-]?\d+(?:\.\d+)?(?:e[-+]\d+)?)"
CI = {
    "en": re.compile(rf"CI {NUMBER} to {NUMBER}"),
    "nl": re.compile(rf"BI {NUMBER} tot {NUMBER}"),
}


def _num(text: str) -> float:
    return float(text.replace("−", "-"))


def _estimates() -> st.SearchStrategy[Estimate]:
    """Point estimates of any sign and size, intervals around them of any width (tiny to
    wide, lopsided), so every case occurs: wholly above, below, spanning, touching zero."""
    value = st.one_of(
        st.floats(-5, 5, allow_nan=False),
        st.floats(-1e-4, 1e-4, allow_nan=False),
        st.sampled_from([0.0, 0.005, -0.005, 0.06, -0.06]),
    )
    width = st.one_of(st.floats(0, 3), st.floats(0, 1e-3), st.just(0.0))
    return st.builds(lambda v, a, b: Estimate(v, v - a, v + b), value, width, width)


LANGS = st.sampled_from(["nl", "en"])


def _flip(e: Estimate) -> Estimate:
    assert e.value is not None and e.low is not None and e.high is not None
    return Estimate(-e.value, -e.high, -e.low, e.level)


def _agrees(s: Sentence, e: Estimate, lang: str, *, directional_words: bool = True) -> None:
    """The sentence states ``e``'s direction, in words and in the interval it prints."""
    assert s.direction == e.direction
    text = s.text
    if e.direction == "unclear":
        assert UNSURE[lang] in text, text
    else:
        assert UNSURE[lang] not in text, text
        if directional_words:
            up, down = UP[lang].search(text), DOWN[lang].search(text)
            if e.direction == "positive":
                assert up and not down, text
            else:
                assert down and not up, text
    found = CI[lang].search(text)
    assert found, text
    low, high = _num(found.group(1)), _num(found.group(2))
    assert low <= high
    if e.direction == "positive":
        assert low > 0, text
    elif e.direction == "negative":
        assert high < 0, text
    else:
        assert low <= 0 <= high, text


SENTENCES: dict[str, Callable[[Estimate, str], Sentence]] = {
    "correlation": lambda e, lang: W.correlation(e, 24, lang),
    "slope": lambda e, lang: W.slope(e, lang),
    "lagged": lambda e, lang: W.lagged(e, lang),
    "multilevel": lambda e, lang: W.multilevel(e, 2000, 24, lang),
    "role_group": lambda e, lang: W.role_group("Front line", e, lang),
    "difference": lambda e, lang: W.difference("Engagement", e, "the organisation", lang),
    "risk_outcome": lambda e, lang: W.risk_outcome(e, 6.1, 4.2, lang),
    "mirror_gap": lambda e, lang: W.mirror_gap("Pick-up", e, None, lang),
}


@pytest.mark.parametrize("name", sorted(SENTENCES))
@settings(max_examples=150, deadline=None)
@given(est=_estimates(), lang=LANGS)
@example(est=Estimate(-0.06, -0.28, 0.16), lang="en")  # the PDF's "more engaged → higher"
@example(est=Estimate(-0.16, -0.5, 0.2), lang="en")  # "−0.16 point higher grade"
@example(est=Estimate(0.004, 0.001, 0.007), lang="nl")  # bounds that round to 0.00
def test_each_sentence_agrees_with_its_figure_and_its_flip(
    name: str, est: Estimate, lang: str
) -> None:
    make = SENTENCES[name]
    _agrees(make(est, lang), est, lang)
    flipped = _flip(est)
    _agrees(make(flipped, lang), flipped, lang)
    if est.certain:
        assert make(flipped, lang).direction != make(est, lang).direction


@settings(max_examples=100, deadline=None)
@given(est=_estimates(), lang=LANGS)
def test_a_wider_interval_never_makes_a_sentence_more_certain(est: Estimate, lang: str) -> None:
    assert est.value is not None and est.low is not None and est.high is not None
    wider = Estimate(est.value, est.low - 1, est.high + 1)
    for make in SENTENCES.values():
        s, w = make(est, lang), make(wider, lang)
        if not est.certain:
            assert w.direction == "unclear"
        if w.direction != "unclear":
            assert s.direction == w.direction


def test_the_issue_s_contradictions_are_gone() -> None:
    r = W.correlation(Estimate(-0.06, -0.28, 0.16), 24, "en")
    assert "cannot tell yet" in r.text and "give higher grades:" not in r.text
    assert "r = −0.06 (95% CI −0.28 to 0.16)" in r.text
    s = W.slope(Estimate(-0.16, -0.61, 0.29), "en")
    assert "higher grade" not in s.text and "−0.16" in s.text
    s = W.slope(Estimate(-0.16, -0.3, -0.02), "nl")
    assert "0.16 punt lager" in s.text


def test_missing_estimates_say_nothing_about_direction() -> None:
    for make in SENTENCES.values():
        for lang in ("nl", "en"):
            s = make(Estimate(None), lang)
            assert s.direction == "missing"
            assert not UP[lang].search(s.text.replace("higher or lower", ""))


def test_an_estimate_without_interval_is_never_certain() -> None:
    s = W.correlation(Estimate(0.4), 20, "en")
    assert s.direction == "unclear" and "cannot tell yet" in s.text


@pytest.mark.parametrize(
    ("r", "word"),
    [(0.05, "very weak"), (0.2, "weak"), (0.35, "moderate"), (0.6, "strong"), (-0.6, "strong")],
)
def test_size_words_follow_cohen(r: float, word: str) -> None:
    text = W.correlation(Estimate(r, r - 0.01, r + 0.01), 30, "en").text
    assert f"a {word} link" in text


@settings(max_examples=100, deadline=None)
@given(x=st.floats(-10, 10, allow_nan=False))
def test_printed_numbers_keep_their_sign(x: float) -> None:
    printed = _num(W.number(x))
    assert (printed > 0) == (x > 0) and (printed < 0) == (x < 0)


@settings(max_examples=100, deadline=None)
@given(
    est=_estimates(),
    lang=LANGS,
    label=st.sampled_from([None, "aligned", "blind spot", "hidden strength", "cannot tell"]),
)
def test_mirror_verdicts_follow_the_interval_not_the_label(
    est: Estimate, lang: str, label: str | None
) -> None:
    v = W.mirror_verdict(est, label)
    if est.direction == "negative":
        assert v == "blind spot"
    elif est.direction == "positive":
        assert v == "hidden strength"
    else:
        assert v in ("aligned", "cannot tell")
        assert (v == "aligned") == (label == "aligned")
    # "as expected" never labels a gap whose interval excludes zero
    if est.certain:
        assert W.verdict_text(v, lang) not in ("as expected", "zoals verwacht")
    s = W.mirror_gap("Intake", est, label, lang)
    if v == "aligned":
        assert UNSURE[lang] not in s.text and s.direction == "unclear"


def test_mirror_summary_counts_each_verdict() -> None:
    verdicts = [("A", "blind spot"), ("B", "hidden strength"), ("C", "aligned"),
                ("D", "cannot tell"), ("E", "cannot tell")]  # fmt: skip
    en = W.mirror_summary(verdicts, "en")  # type: ignore[arg-type]
    assert en.startswith(
        "Of 5 aspects, customers rate 1 lower than employees expect (A), 1 higher (B)"
    )
    assert "1 as expected" in en and "for 2 we cannot tell yet" in en
    nl = W.mirror_summary(verdicts, "nl")  # type: ignore[arg-type]
    assert "Van 5 aspecten" in nl and "bij 2 kunnen we nog niet zeggen" in nl


@settings(max_examples=60, deadline=None)
@given(est=_estimates(), lang=LANGS)
def test_difference_labels(est: Estimate, lang: str) -> None:
    label = W.difference_label(est, lang)
    expected = {
        "positive": {"en": "higher", "nl": "hoger"},
        "negative": {"en": "lower", "nl": "lager"},
        "unclear": {"en": "no clear difference", "nl": "geen duidelijk verschil"},
    }[est.direction][lang]
    assert label == expected


def test_drivers_say_whether_their_order_is_certain() -> None:
    clear = [
        W.Ranked("A", Estimate(0.3, 0.25, 0.35)),
        W.Ranked("B", Estimate(0.2, 0.16, 0.24)),
        W.Ranked("C", Estimate(0.15, 0.12, 0.18)),
        W.Ranked("D", Estimate(0.02, 0.0, 0.05)),
    ]
    said = W.drivers(clear, "engagement", "en")
    assert said.startswith("The drivers that explain most of engagement: A, B and C.")
    assert "lie above" in said
    muddled = [*clear[:3], W.Ranked("D", Estimate(0.1, 0.05, 0.2))]
    assert "not certain" in W.drivers(muddled, "grade", "en")
    assert "het klantcijfer verklaren: A, B en C. " in W.drivers(muddled, "grade", "nl")
    assert "niet zeker" in W.drivers(muddled, "grade", "nl")


def test_an_interval_that_cannot_be_computed_says_so() -> None:
    said = W.risk_outcome(Estimate(6.0), 11.0, 5.0, "en")
    assert said.direction == "unclear" and "no 95% CI can be computed" in said.text
    assert "geen 95%-BI te berekenen" in W.risk_outcome(Estimate(6.0), 11.0, 5.0, "nl").text


def test_risk_counts_read_as_sentences() -> None:
    assert W.risk_count(0, "en").startswith("No location shows")
    assert W.risk_count(1, "en").startswith("1 location shows")
    assert W.risk_count(3, "nl").startswith("3 locaties tonen")
    assert W.risk_count(1, "nl").startswith("1 locatie toont")
