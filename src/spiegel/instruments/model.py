"""The questionnaire model: items, scales, mirror pairs and instruments.

These are the *resolved* objects a loaded instrument consists of (after ``extends`` and
``include`` are applied). The file format that produces them is described by
:mod:`spiegel.instruments.document` and in ``docs/instruments.md``. Texts are in
:mod:`spiegel.instruments.text`, response formats in :mod:`spiegel.instruments.formats`;
both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import PrivateAttr, model_validator

from spiegel._lazy import lazy_module
from spiegel.instruments.formats import (
    AgreementFormat,
    ChoiceFormat,
    ChoiceOption,
    GradeFormat,
    LikelihoodFormat,
    OrdinalFormat,
    ResponseFormat,
    TextFormat,
    format_range,
)
from spiegel.instruments.text import LANGUAGES, Frozen, Language, Text

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
    "OrdinalFormat",
    "Position",
    "ResponseFormat",
    "Scale",
    "Text",
    "TextFormat",
    "format_range",
]

Audience = Literal["employee", "customer", "360"]
Position = Literal["first", "last"]


class Item(Frozen):
    """One question, as resolved: its format name is always filled in.

    ``scale`` is the scale it belongs to, or ``None`` for an item outside scales, whose
    ``position`` says whether it is asked before (``first``) or after (``last``) the
    scales. ``self_text`` is the wording for a self-rating (360° instruments only).
    ``title`` is a short name for the item where results show it (charts, tables, the
    report); without one, results show the question itself (see :attr:`label`).
    """

    id: str
    text: Text
    format: str
    reverse: bool = False
    self_text: Text | None = None
    title: Text | None = None
    scale: str | None = None
    position: Position = "last"

    @property
    def label(self) -> Text:
        """What results call the item: its ``title``, else its question."""
        return self.title or self.text


class Scale(Frozen):
    """A scored group of items sharing one ordinal value range.

    ``higher_is_better`` is the scale's direction: ``False`` for a scale where a high
    score is worrying (workload, exhaustion, emotional dissonance); charts colour by it.
    """

    name: str
    title: Text
    format: str
    items: tuple[Item, ...]
    description: Text | None = None
    higher_is_better: bool = True

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The ids of the scale's items, in order."""
        return tuple(i.id for i in self.items)


class MirrorPair(Frozen):
    """A customer item and the employee item that predicts it.

    The employee item asks how employees think customers rate the same aspect; both use
    the same value range, so the gap is ``employee - customer`` on one scale.
    """

    customer_instrument: str
    customer_item: str
    employee_instrument: str
    employee_item: str


class Instrument(Frozen):
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
