"""Response formats: how an item is answered (agreement, likelihood, grade, choice, text).

Ordinal formats (agreement, likelihood, grade) have ``min``, ``max`` and ``values``;
choice formats have ``values`` (the codes); text formats have ``max_length``. Every
format has ``kind``, ``ordinal`` and ``value_labels(lang)``.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from spiegel.instruments.text import Frozen, NonEmptyStr, Text

__all__ = [
    "AgreementFormat",
    "ChoiceFormat",
    "ChoiceOption",
    "GradeFormat",
    "LikelihoodFormat",
    "OrdinalFormat",
    "ResponseFormat",
    "TextFormat",
    "format_range",
]


class _Ordinal(Frozen):
    """A format whose answers are the whole numbers from ``min`` to ``max``."""

    @property
    def ordinal(self) -> bool:
        """Whether answers are ordered numbers (so reverse keying makes sense)."""
        return True

    @property
    @abstractmethod
    def min(self) -> int:
        """The lowest value."""

    @property
    @abstractmethod
    def max(self) -> int:
        """The highest value."""

    @property
    def values(self) -> tuple[int, ...]:
        """Every valid answer value."""
        return tuple(range(self.min, self.max + 1))


class AgreementFormat(_Ordinal):
    """An ordinal scale of 2 to 11 labelled points (agreement, frequency, ...).

    The points take the values ``start``, ``start + 1``, ..., in the order listed.
    """

    kind: Literal["agreement"]
    points: list[Text] = Field(min_length=2, max_length=11)
    start: int = 1

    @property
    def min(self) -> int:
        """The lowest value."""
        return self.start

    @property
    def max(self) -> int:
        """The highest value."""
        return self.start + len(self.points) - 1

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """The label of each value in ``lang``."""
        return {self.start + i: p.get(lang) for i, p in enumerate(self.points)}


class _AnchoredRange(_Ordinal):
    """The whole numbers ``low`` to ``high``, some of them labelled (``anchors``)."""

    anchors: dict[int, Text] = Field(default_factory=dict)

    low: ClassVar[int] = 0
    high: ClassVar[int] = 10

    @field_validator("anchors")
    @classmethod
    def _anchors_in_range(cls, v: dict[int, Text]) -> dict[int, Text]:
        outside = sorted(k for k in v if not cls.low <= k <= cls.high)
        if outside:
            raise ValueError(
                f"anchor point(s) {', '.join(map(str, outside))} outside the range "
                f"{cls.low}–{cls.high}"
            )
        return v

    @property
    def min(self) -> int:
        """The lowest value."""
        return self.low

    @property
    def max(self) -> int:
        """The highest value."""
        return self.high

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """The labelled (anchor) values in ``lang``; other values are shown as numbers."""
        return {k: v.get(lang) for k, v in sorted(self.anchors.items())}


class LikelihoodFormat(_AnchoredRange):
    """A 0–10 likelihood scale (e.g. likelihood to recommend) with optional anchor labels."""

    kind: Literal["likelihood"]


class GradeFormat(_AnchoredRange):
    """A school grade 1–10 (the Dutch *rapportcijfer*) with optional anchor labels."""

    kind: Literal["grade"]
    low: ClassVar[int] = 1


class ChoiceOption(Frozen):
    """One option of a single-choice question: a code and its label."""

    code: int | str
    nl: NonEmptyStr
    en: NonEmptyStr

    @field_validator("code", mode="before")
    @classmethod
    def _code_type(cls, v: object) -> object:
        if isinstance(v, bool) or not isinstance(v, int | str):
            raise ValueError(f"option code must be a whole number or a text, got {v!r}")
        if isinstance(v, str) and not v.strip():
            raise ValueError("option code must not be empty")
        return v

    @property
    def label(self) -> Text:
        """The option's label."""
        return Text(nl=self.nl, en=self.en)


class ChoiceFormat(Frozen):
    """A single choice among coded options (not ordinal: no reverse keying, no scale)."""

    kind: Literal["choice"]
    options: list[ChoiceOption] = Field(min_length=2)

    @field_validator("options")
    @classmethod
    def _unique_codes(cls, v: list[ChoiceOption]) -> list[ChoiceOption]:
        seen: set[int | str] = set()
        dup: list[int | str] = []
        for option in v:
            if option.code in seen:
                dup.append(option.code)
            seen.add(option.code)
        if dup:
            raise ValueError(f"option code(s) used more than once: {', '.join(map(repr, dup))}")
        return v

    @property
    def ordinal(self) -> bool:
        """Whether answers are ordered numbers (so reverse keying makes sense)."""
        return False

    @property
    def values(self) -> tuple[int | str, ...]:
        """Every valid answer code."""
        return tuple(o.code for o in self.options)

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """The label of each code in ``lang``."""
        return {o.code: o.label.get(lang) for o in self.options}


class TextFormat(Frozen):
    """An open text answer of at most ``max_length`` characters."""

    kind: Literal["text"]
    max_length: int = Field(default=2000, ge=1, le=100_000)

    @property
    def ordinal(self) -> bool:
        """Whether answers are ordered numbers (so reverse keying makes sense)."""
        return False

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """Open text has no value labels."""
        return {}


ResponseFormat = Annotated[
    AgreementFormat | LikelihoodFormat | GradeFormat | ChoiceFormat | TextFormat,
    Field(discriminator="kind"),
]
"""Any response format; ``kind`` tells which."""

OrdinalFormat = AgreementFormat | LikelihoodFormat | GradeFormat


def format_range(fmt: ResponseFormat) -> tuple[int, int] | None:
    """``(min, max)`` of an ordinal format, ``None`` for choice and text."""
    if isinstance(fmt, AgreementFormat | LikelihoodFormat | GradeFormat):
        return fmt.min, fmt.max
    return None
