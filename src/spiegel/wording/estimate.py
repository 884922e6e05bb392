"""What an estimate with its confidence interval allows a sentence to say.

Every generated sentence starts here: the *direction* of an estimate is positive or
negative only when its whole interval lies on that side of zero; an interval that spans
zero (or an estimate without one) is *unclear*: "we cannot tell yet". The *size* word
(small, medium, large) comes from a standardised effect (r or Cohen's d), never from a
raw slope. Numbers are printed so that the printed interval agrees with the direction: a
bound that is above zero never prints as 0.00.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Direction = Literal["positive", "negative", "unclear", "missing"]
Size = Literal["negligible", "small", "medium", "large"]
Lang = Literal["nl", "en"]

MINUS = "−"  # U+2212: a minus sign a screen reader reads as "minus"

#: Cohen's (1988) benchmarks: a correlation of .1 is small, .3 medium, .5 large; a
#: standardised difference (d) of .2 small, .5 medium, .8 large.
R_SIZES = (0.1, 0.3, 0.5)
D_SIZES = (0.2, 0.5, 0.8)


#: "we cannot tell yet" in each language: every sentence about an unclear estimate says it.
CANNOT_TELL: dict[Lang, str] = {"en": "we cannot tell yet", "nl": "kunnen we nog niet zeggen"}


def as_lang(lang: str) -> Lang:
    """``nl`` or ``en`` (anything else reads as English)."""
    return "nl" if lang == "nl" else "en"


@dataclass(frozen=True)
class Sentence:
    """A generated sentence and the direction it states (``unclear``: it says we cannot
    tell; ``missing``: there was no estimate, and ``text`` may be empty)."""

    text: str
    direction: Direction

    def __str__(self) -> str:
        return self.text


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


@dataclass(frozen=True)
class Estimate:
    """A point estimate and its confidence interval (``level``, e.g. 0.95)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    level: float = 0.95

    @property
    def direction(self) -> Direction:
        """``positive``/``negative`` when the whole interval lies on that side of zero;
        ``unclear`` when it spans zero or is missing; ``missing`` without an estimate."""
        if not _finite(self.value):
            return "missing"
        if not (_finite(self.low) and _finite(self.high)):
            return "unclear"
        assert self.low is not None and self.high is not None
        if self.low > 0 and self.high > 0:
            return "positive"
        if self.low < 0 and self.high < 0:
            return "negative"
        return "unclear"

    @property
    def certain(self) -> bool:
        """True when the interval excludes zero (the direction is known)."""
        return self.direction in ("positive", "negative")

    def within(self, margin: float) -> bool:
        """True when the whole interval lies within ``±margin`` (an equivalence check:
        whatever the true value, it is smaller than ``margin``)."""
        if not (_finite(self.low) and _finite(self.high)):
            return False
        assert self.low is not None and self.high is not None
        return -margin <= self.low and self.high <= margin


def size(effect: float | None, kind: Literal["r", "d"]) -> Size | None:
    """The size word of a standardised effect (``r``: a correlation, ``d``: Cohen's d)."""
    if not _finite(effect):
        return None
    assert effect is not None
    small, medium, large = R_SIZES if kind == "r" else D_SIZES
    e = abs(effect)
    if e >= large:
        return "large"
    if e >= medium:
        return "medium"
    if e >= small:
        return "small"
    return "negligible"


def number(x: float | None, digits: int = 2, *, signed: bool = False) -> str:
    """``x`` for a person: ``digits`` decimals, more when fewer would print a nonzero
    value as zero (up to 6, then powers of ten), ``–`` when missing; a typographic
    minus; ``signed`` puts ``+`` before positive values."""
    if not _finite(x):
        return "–"
    assert x is not None
    d = digits
    while d < 6 and x != 0 and round(abs(x), d) == 0:
        d += 1
    text = f"{abs(x):.{d}f}"
    if x != 0 and float(text) == 0:
        text = f"{abs(x):.1e}"
    if x < 0 and float(text) != 0:
        return MINUS + text
    if signed and x > 0 and float(text) != 0:
        return "+" + text
    return text


def interval(est: Estimate, lang: Lang, digits: int = 2) -> str:
    """``95% CI −0.28 to 0.16`` (in Dutch ``95%-BI −0.28 tot 0.16``).

    Bounds are printed with as many decimals as it takes for their printed sign to be
    their sign (never ``0.00`` for a bound above zero), so the interval a reader sees
    agrees with the sentence's direction."""
    pct = f"{100 * est.level:g}%"
    if not (_finite(est.low) and _finite(est.high)):
        return f"geen {pct}-BI te berekenen" if lang == "nl" else f"no {pct} CI can be computed"
    low, high = number(est.low, digits), number(est.high, digits)
    if lang == "nl":
        return f"{pct}-BI {low} tot {high}"
    return f"{pct} CI {low} to {high}"
