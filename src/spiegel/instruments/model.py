"""The questionnaire model: texts, response formats, items, scales and instruments.

These are the *resolved* objects a loaded instrument consists of (after ``extends`` and
``include`` are applied). The file format that produces them is described by
:mod:`spiegel.instruments.document` and in ``docs/instruments.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from spiegel._lazy import lazy_module

if TYPE_CHECKING:
    from spiegel.analysis import scoring
else:  # the analysis (pandas) is not needed to take a survey
    scoring = lazy_module("spiegel.analysis.scoring")

__all__ = [
    "LANGUAGES",
    "AgreementFormat",
    "Audience",
    "ChoiceFormat",
    "ChoiceOption",
    "GradeFormat",
    "Instrument",
    "Item",
    "Language",
    "LikelihoodFormat",
    "MirrorPair",
    "Position",
    "ResponseFormat",
    "Scale",
    "Text",
    "TextFormat",
]

LANGUAGES: tuple[str, ...] = ("nl", "en")
"""The languages every text must be given in."""

Language = Literal["nl", "en"]
Audience = Literal["employee", "customer", "360"]
Position = Literal["first", "last"]

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Frozen):
    """A text in Dutch (``nl``) and English (``en``); both are required."""

    nl: NonEmptyStr
    en: NonEmptyStr

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"nl"`` or ``"en"``)."""
        if lang == "nl":
            return self.nl
        if lang == "en":
            return self.en
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")


def _check_anchor_keys(anchors: dict[int, Text], low: int, high: int) -> dict[int, Text]:
    outside = sorted(k for k in anchors if not low <= k <= high)
    if outside:
        raise ValueError(
            f"anchor point(s) {', '.join(map(str, outside))} outside the range {low}–{high}"
        )
    return anchors


class AgreementFormat(_Frozen):
    """An ordinal scale of 2 to 11 labelled points (agreement, frequency, ...).

    The points take the values ``start``, ``start + 1``, ..., in the order listed.
    """

    kind: Literal["agreement"]
    points: list[Text] = Field(min_length=2, max_length=11)
    start: int = 1

    @property
    def ordinal(self) -> bool:
        """Whether answers are ordered numbers (so reverse keying makes sense)."""
        return True

    @property
    def min(self) -> int:
        """The lowest value."""
        return self.start

    @property
    def max(self) -> int:
        """The highest value."""
        return self.start + len(self.points) - 1

    @property
    def values(self) -> tuple[int, ...]:
        """Every valid answer value."""
        return tuple(range(self.min, self.max + 1))

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """The label of each value in ``lang``."""
        return {self.start + i: p.get(lang) for i, p in enumerate(self.points)}


class _AnchoredRange(_Frozen):
    anchors: dict[int, Text] = Field(default_factory=dict)

    low: ClassVar[int] = 0
    high: ClassVar[int] = 10

    @property
    def ordinal(self) -> bool:
        """Whether answers are ordered numbers (so reverse keying makes sense)."""
        return True

    @property
    def min(self) -> int:
        """The lowest value."""
        return self.low

    @property
    def max(self) -> int:
        """The highest value."""
        return self.high

    @property
    def values(self) -> tuple[int, ...]:
        """Every valid answer value."""
        return tuple(range(self.min, self.max + 1))

    def value_labels(self, lang: str) -> dict[int | str, str]:
        """The labelled (anchor) values in ``lang``; other values are shown as numbers."""
        return {k: v.get(lang) for k, v in sorted(self.anchors.items())}


class LikelihoodFormat(_AnchoredRange):
    """A 0–10 likelihood scale (e.g. likelihood to recommend) with optional anchor labels."""

    kind: Literal["likelihood"]

    @field_validator("anchors")
    @classmethod
    def _anchors_in_range(cls, v: dict[int, Text]) -> dict[int, Text]:
        return _check_anchor_keys(v, 0, 10)


class GradeFormat(_AnchoredRange):
    """A school grade 1–10 (the Dutch *rapportcijfer*) with optional anchor labels."""

    kind: Literal["grade"]
    low: ClassVar[int] = 1

    @field_validator("anchors")
    @classmethod
    def _anchors_in_range(cls, v: dict[int, Text]) -> dict[int, Text]:
        return _check_anchor_keys(v, 1, 10)


class ChoiceOption(_Frozen):
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


class ChoiceFormat(_Frozen):
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


class TextFormat(_Frozen):
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


class Item(_Frozen):
    """One question, as resolved: its format name is always filled in.

    ``scale`` is the scale it belongs to, or ``None`` for an item outside scales, whose
    ``position`` says whether it is asked before (``first``) or after (``last``) the
    scales. ``self_text`` is the wording for a self-rating (360° instruments only).
    """

    id: str
    text: Text
    format: str
    reverse: bool = False
    self_text: Text | None = None
    scale: str | None = None
    position: Position = "last"


class Scale(_Frozen):
    """A scored group of items sharing one ordinal value range."""

    name: str
    title: Text
    format: str
    items: tuple[Item, ...]
    description: Text | None = None

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The ids of the scale's items, in order."""
        return tuple(i.id for i in self.items)


class MirrorPair(_Frozen):
    """A customer item and the employee item that predicts it.

    The employee item asks how employees think customers rate the same aspect; both use
    the same value range, so the gap is ``employee - customer`` on one scale.
    """

    customer_instrument: str
    customer_item: str
    employee_instrument: str
    employee_item: str


class Instrument(_Frozen):
    """A loaded, validated questionnaire.

    Attributes
    ----------
    name, version, title, audience, description:
        As in the file (``title``/``description`` inherited through ``extends``).
    formats:
        Every response format the items use, by name.
    scales:
        The scales in questionnaire order.
    extra_items:
        Items outside scales (overall grade, recommendation, open comment, ...).
    mirror_pairs:
        Customer item ↔ predicting employee item.
    lineage:
        This instrument's name followed by every instrument it extends or includes,
        directly or indirectly (so a mirror pair naming ``customer`` also applies to an
        instrument that extends ``customer``).
    source:
        The file it was loaded from.
    """

    name: str
    version: int | str
    title: Text
    audience: Audience
    description: Text
    formats: dict[str, ResponseFormat]
    scales: tuple[Scale, ...] = ()
    extra_items: tuple[Item, ...] = ()
    mirror_pairs: tuple[MirrorPair, ...] = ()
    lineage: tuple[str, ...] = ()
    source: str = ""

    _by_id: dict[str, Item] = PrivateAttr(default_factory=dict)
    _format_by_id: dict[str, ResponseFormat] = PrivateAttr(default_factory=dict)
    _order: tuple[Item, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        problems: list[str] = []
        ids: list[str] = [i.id for i in self.extra_items]
        ids += [i.id for s in self.scales for i in s.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            problems.append(f"duplicate item id(s): {', '.join(dup)}")
        for item in (*self.extra_items, *(i for s in self.scales for i in s.items)):
            if item.format not in self.formats:
                problems.append(f"item {item.id!r} uses unknown format {item.format!r}")
        for scale in self.scales:
            ranges = {
                format_range(self.formats[i.format])
                for i in scale.items
                if i.format in self.formats
            }
            if None in ranges or len(ranges) > 1:
                problems.append(f"scale {scale.name!r} needs one ordinal value range")
            if any(i.scale != scale.name for i in scale.items):
                problems.append(f"items of scale {scale.name!r} must name it as their scale")
        if problems:
            raise ValueError(f"instrument {self.name!r}: " + "; ".join(problems))
        return self

    def model_post_init(self, context: object, /) -> None:
        """Index the items by id and fix the questionnaire order."""
        first = tuple(i for i in self.extra_items if i.position == "first")
        last = tuple(i for i in self.extra_items if i.position == "last")
        self._order = first + tuple(i for s in self.scales for i in s.items) + last
        self._by_id = {i.id: i for i in self._order}
        # Looked up for every answer of every page and submission.
        self._format_by_id = {
            i.id: self.formats[i.format] for i in self._order if i.format in self.formats
        }

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item in questionnaire order.

        Items outside scales with ``position: first`` come first, then the scales' items
        in scale order, then the other items outside scales.
        """
        return self._order

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The ids of :attr:`items`, in questionnaire order."""
        return tuple(i.id for i in self._order)

    def has_item(self, item_id: str) -> bool:
        """Whether the instrument has an item ``item_id``."""
        return item_id in self._by_id

    def item(self, item_id: str) -> Item:
        """The item with id ``item_id``; ``ValueError`` when there is none."""
        try:
            return self._by_id[item_id]
        except KeyError:
            raise ValueError(f"instrument {self.name!r} has no item {item_id!r}") from None

    def scale(self, name: str) -> Scale:
        """The scale called ``name``; ``ValueError`` when there is none."""
        for s in self.scales:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.scales) or "none"
        raise ValueError(f"instrument {self.name!r} has no scale {name!r}; scales: {known}")

    @property
    def item_formats(self) -> Mapping[str, ResponseFormat]:
        """Every item's response format by item id (what :meth:`format_of` looks up)."""
        return self._format_by_id

    def format_of(self, item_id: str) -> ResponseFormat:
        """The response format of item ``item_id``.

        Ordinal formats (agreement, likelihood, grade) have ``min``, ``max`` and
        ``values``; choice formats have ``values`` (the codes); text formats have
        ``max_length``. Every format has ``kind``, ``ordinal`` and ``value_labels(lang)``.
        """
        found = self._format_by_id.get(item_id)
        return found if found is not None else self.formats[self.item(item_id).format]

    def valid_values(self, item_id: str) -> tuple[int | str, ...] | None:
        """The answers item ``item_id`` accepts, or ``None`` for open text (any text).

        Ordinal formats give every whole number from ``min`` to ``max``; choice formats
        give the option codes.
        """
        fmt = self.format_of(item_id)
        if isinstance(fmt, TextFormat):
            return None
        return tuple(fmt.values)

    def scale_specs(self) -> dict[str, scoring.ScaleSpec]:
        """``{scale name: ScaleSpec}`` for scoring with :func:`spiegel.analysis.scoring`."""
        specs: dict[str, scoring.ScaleSpec] = {}
        for s in self.scales:
            rng = format_range(self.formats[s.items[0].format])
            if rng is None:  # excluded by validation; kept for type narrowing
                raise ValueError(f"scale {s.name!r} of {self.name!r} has no ordinal format")
            specs[s.name] = scoring.ScaleSpec(
                items=s.item_ids,
                reverse=frozenset(i.id for i in s.items if i.reverse),
                min=float(rng[0]),
                max=float(rng[1]),
            )
        return specs

    def mirror_pairs_for(self, other: Instrument) -> tuple[MirrorPair, ...]:
        """The mirror pairs of this instrument whose other side is ``other``.

        A pair naming instrument ``customer`` applies to ``other`` when ``customer`` is
        in ``other.lineage`` (it is ``customer`` or extends/includes it) and ``other``
        has the item.
        """
        out = []
        for p in self.mirror_pairs:
            if self.audience == "employee":
                name, item = p.customer_instrument, p.customer_item
            else:
                name, item = p.employee_instrument, p.employee_item
            if name in other.lineage and other.has_item(item):
                out.append(p)
        return tuple(out)
