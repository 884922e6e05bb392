"""Sentences and verdict labels for the mirror, a unit against its region and the
organisation, risk, drivers and the realistic ambition.

A verdict is taken from the interval, never from a fixed gap: a mirror gap whose
interval lies below zero is a blind spot, above zero a hidden strength; one that spans
zero is "aligned" only when the whole interval is small (the analysis decides and
stores it), else "cannot tell yet".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from spiegel.results import MirrorGap
from spiegel.wording.estimate import (
    CANNOT_TELL,
    Estimate,
    Lang,
    Sentence,
    as_lang,
    interval,
    number,
)

Verdict = Literal["blind spot", "hidden strength", "aligned", "cannot tell", "insufficient data"]

VERDICT_TEXT: dict[Lang, dict[Verdict, str]] = {
    "en": {
        "blind spot": "blind spot",
        "hidden strength": "hidden strength",
        "aligned": "as expected",
        "cannot tell": "cannot tell yet",
        "insufficient data": "too few answers",
    },
    "nl": {
        "blind spot": "blinde vlek",
        "hidden strength": "verborgen sterkte",
        "aligned": "zoals verwacht",
        "cannot tell": "nog niet te zeggen",
        "insufficient data": "te weinig antwoorden",
    },
}


def mirror_verdict(gap: Estimate, label: str | None = None) -> Verdict:
    """The verdict on a mirror gap (customers minus employees' expectation).

    The interval decides the direction: below zero a blind spot, above zero a hidden
    strength, whatever ``label`` says (results stored by an older version labelled by a
    fixed gap). An interval that spans zero keeps the analysis' ``aligned`` (the whole
    interval is small) and is otherwise "cannot tell"."""
    direction = gap.direction
    if direction == "missing" or label == "insufficient data":
        return "insufficient data"
    if direction == "negative":
        return "blind spot"
    if direction == "positive":
        return "hidden strength"
    return "aligned" if label == "aligned" else "cannot tell"


def verdict_of(gap: MirrorGap) -> Verdict:
    """The verdict on a stored mirror gap (:func:`mirror_verdict` of its interval and
    label)."""
    return mirror_verdict(Estimate(gap.gap, gap.ci_low, gap.ci_high), gap.label)


def verdict_text(verdict: Verdict, lang: str) -> str:
    """The verdict in words of ``lang``."""
    return VERDICT_TEXT[as_lang(lang)][verdict]


def mirror_gap(title: str, gap: Estimate, label: str | None, lang: str) -> Sentence:
    """One aspect: customers' rating against employees' expectation."""
    lg, verdict = as_lang(lang), mirror_verdict(gap, label)
    ci = interval(gap, lg)
    if verdict == "insufficient data":
        text = (
            f"{title}: te weinig antwoorden om te vergelijken."
            if lg == "nl"
            else f"{title}: too few answers to compare."
        )
        return Sentence(text, "missing")
    if verdict == "cannot tell":
        text = (
            f"{title}: of klanten dit hoger of lager waarderen dan medewerkers verwachten, "
            f"{CANNOT_TELL['nl']} (verschil {number(gap.value, signed=True)}, {ci})."
            if lg == "nl"
            else f"{title}: {CANNOT_TELL['en']} whether customers rate this higher or lower "
            f"than employees expect (gap {number(gap.value, signed=True)}, {ci})."
        )
        return Sentence(text, "unclear")
    if verdict == "aligned":
        text = (
            f"{title}: klanten waarderen dit zoals medewerkers verwachten; het verschil is "
            f"klein ({number(gap.value, signed=True)}, {ci})."
            if lg == "nl"
            else f"{title}: customers rate this as employees expect; the gap is small "
            f"({number(gap.value, signed=True)}, {ci})."
        )
        return Sentence(text, "unclear")
    assert gap.value is not None
    amount = number(abs(gap.value))
    if verdict == "blind spot":
        text = (
            f"{title}: klanten waarderen dit {amount} lager dan medewerkers verwachten "
            f"({ci}): een blinde vlek."
            if lg == "nl"
            else f"{title}: customers rate this {amount} lower than employees expect ({ci}): "
            "a blind spot."
        )
        return Sentence(text, "negative")
    text = (
        f"{title}: klanten waarderen dit {amount} hoger dan medewerkers verwachten ({ci}): "
        "een verborgen sterkte."
        if lg == "nl"
        else f"{title}: customers rate this {amount} higher than employees expect ({ci}): "
        "a hidden strength."
    )
    return Sentence(text, "positive")


def mirror_summary(verdicts: Sequence[tuple[str, str]], lang: str) -> str:
    """How many aspects are blind spots, hidden strengths, as expected and unclear, with
    the names of the first two kinds."""
    lg = as_lang(lang)
    by: dict[str, list[str]] = {}
    for title, v in verdicts:
        by.setdefault(v, []).append(title)
    blind, strong = by.get("blind spot", []), by.get("hidden strength", [])
    aligned, unclear = len(by.get("aligned", [])), len(by.get("cannot tell", []))
    total = len(verdicts)
    if lg == "nl":
        parts = [f"Van {total} aspecten waarderen klanten er {len(blind)} lager dan medewerkers "
                 f"verwachten" + (f" ({', '.join(blind)})" if blind else ""),
                 f"{len(strong)} hoger" + (f" ({', '.join(strong)})" if strong else ""),
                 f"{aligned} zoals verwacht"]  # fmt: skip
        tail = f"; bij {unclear} {CANNOT_TELL['nl']} welke kant het op gaat" if unclear else ""
        return ", ".join(parts) + tail + "."
    parts = [f"Of {total} aspects, customers rate {len(blind)} lower than employees expect"
             + (f" ({', '.join(blind)})" if blind else ""),
             f"{len(strong)} higher" + (f" ({', '.join(strong)})" if strong else ""),
             f"{aligned} as expected"]  # fmt: skip
    tail = f"; for {unclear} {CANNOT_TELL['en']} which way it goes" if unclear else ""
    return ", ".join(parts) + tail + "."


DIFFERENCE_LABEL: dict[Lang, dict[str, str]] = {
    "en": {"positive": "higher", "negative": "lower", "unclear": "no clear difference"},
    "nl": {"positive": "hoger", "negative": "lager", "unclear": "geen duidelijk verschil"},
}


def difference_label(est: Estimate, lang: str) -> str:
    """``higher``, ``lower`` or ``no clear difference`` (a table's verdict column)."""
    d = est.direction
    return "–" if d == "missing" else DIFFERENCE_LABEL[as_lang(lang)][d]


def difference(title: str, est: Estimate, against: str, lang: str) -> Sentence:
    """A unit's figure against a wider group's (``against``: "the organisation", "region
    North", already in ``lang``)."""
    lg, d = as_lang(lang), est.direction
    ci = interval(est, lg)
    if d == "missing":
        return Sentence("", d)
    if d == "unclear":
        text = (
            f"{title}: of dit verschilt van {against}, {CANNOT_TELL['nl']} (verschil "
            f"{number(est.value, signed=True)}, {ci})."
            if lg == "nl"
            else f"{title}: {CANNOT_TELL['en']} whether this differs from {against} "
            f"(difference {number(est.value, signed=True)}, {ci})."
        )
        return Sentence(text, d)
    assert est.value is not None
    amount = number(abs(est.value))
    hl = {"positive": ("hoger", "higher"), "negative": ("lager", "lower")}[d]
    text = (
        f"{title}: {amount} {hl[0]} dan {against} ({ci})."
        if lg == "nl"
        else f"{title}: {amount} {hl[1]} than {against} ({ci})."
    )
    return Sentence(text, d)


def risk_count(n_high: int, lang: str) -> str:
    """How many locations show the risk pattern."""
    if as_lang(lang) == "nl":
        if n_high == 0:
            return (
                "Geen enkele locatie toont een risicopatroon van hoge belasting en weinig herstel."
            )
        noun = "locatie toont" if n_high == 1 else "locaties tonen"
        return f"{n_high} {noun} een risicopatroon van hoge belasting en weinig herstel."
    if n_high == 0:
        return "No location shows a risk pattern of high strain and little recovery."
    noun = "location shows" if n_high == 1 else "locations show"
    return f"{n_high} {noun} a risk pattern of high strain and little recovery."


def risk_outcome(
    est: Estimate, mean_flagged: float | None, mean_other: float | None, lang: str
) -> Sentence:
    """Absenteeism (%) at locations with a risk pattern against the others."""
    lg, d = as_lang(lang), est.direction
    flagged, other = f"{number(mean_flagged, 1)}%", f"{number(mean_other, 1)}%"
    diff = (
        f"{number(est.value, signed=True)} procentpunt"
        if lg == "nl"
        else (f"{number(est.value, signed=True)} percentage points")
    )
    ci = interval(est, lg)
    if d == "missing":
        return Sentence("", d)
    if d == "unclear":
        text = (
            f"Of het verzuim op risicolocaties anders is, {CANNOT_TELL['nl']}: {flagged} "
            f"tegen {other} elders (verschil {diff}, {ci})."
            if lg == "nl"
            else f"{CANNOT_TELL['en'].capitalize()} whether absenteeism differs at risk "
            f"locations: {flagged} against {other} elsewhere (difference {diff}, {ci})."
        )
        return Sentence(text, d)
    hl = {"positive": ("hoger", "higher"), "negative": ("lager", "lower")}[d]
    text = (
        f"Het verzuim is {hl[0]} op risicolocaties: {flagged} tegen {other} elders "
        f"(verschil {diff}, {ci})."
        if lg == "nl"
        else f"Absenteeism is {hl[1]} at risk locations: {flagged} against {other} elsewhere "
        f"(difference {diff}, {ci})."
    )
    return Sentence(text, d)


@dataclass(frozen=True)
class Ranked:
    """A driver's title and its importance with interval."""

    title: str
    importance: Estimate


OUTCOMES: dict[Lang, dict[str, str]] = {
    "en": {"engagement": "engagement", "grade": "the customer grade"},
    "nl": {"engagement": "bevlogenheid", "grade": "het klantcijfer"},
}


def listing(names: Sequence[str], lang: str) -> str:
    """``A, B and C`` (``A, B en C``)."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    word = " en " if as_lang(lang) == "nl" else " and "
    return ", ".join(names[:-1]) + word + names[-1]


def drivers(ranked: Sequence[Ranked], outcome: str, lang: str, top: int = 3) -> str:
    """The largest drivers of ``outcome`` (``engagement`` or ``grade``), and whether the
    intervals show them clearly ahead of the others or their order is uncertain."""
    lg = as_lang(lang)
    order = sorted(ranked, key=lambda r: -(r.importance.value or 0.0))
    lead, rest = order[:top], order[top:]
    names = listing([r.title for r in lead], lg)
    what = OUTCOMES[lg].get(outcome, outcome)
    first = (
        f"De drijfveren die het meest van {what} verklaren: {names}."
        if lg == "nl"
        else f"The drivers that explain most of {what}: {names}."
    )
    lows = [r.importance.low for r in lead]
    highs = [r.importance.high for r in rest]
    if any(x is None for x in lows + highs) or not lead:
        return first + (
            " Zonder intervallen is hun volgorde niet zeker."
            if lg == "nl"
            else " Without intervals their order is not certain."
        )
    clear = not rest or min(x for x in lows if x is not None) > max(
        x for x in highs if x is not None
    )
    if clear:
        return first + (
            " Hun intervallen liggen boven die van de andere drijfveren."
            if lg == "nl"
            else " Their intervals lie above those of the other drivers."
        )
    return first + (
        " De intervallen overlappen: hun volgorde is niet zeker."
        if lg == "nl"
        else " The intervals overlap: their order is not certain."
    )
