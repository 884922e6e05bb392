"""What each item of an instrument accepts, in the form the import checks it.

An :class:`ItemRule` is built once per item from the instrument and then applied to whole
columns. Numbers are stored as ``float64``: ordinal answers as their value, choice answers
as their code, or, for a choice with text codes, the option's position counted from 1 (as
:func:`spiegel.services.questionnaire.numeric_value` stores web answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spiegel.instruments.model import (
    AgreementFormat,
    ChoiceFormat,
    GradeFormat,
    Instrument,
    LikelihoodFormat,
    TextFormat,
)


@dataclass(frozen=True)
class ItemRule:
    """The answers one item accepts.

    Attributes
    ----------
    id
        Item id.
    kind
        The response format's kind: agreement, likelihood, grade, choice or text.
    allowed
        Every stored value the item accepts (sorted); empty for open text.
    codes
        File code (as text, lower case) to stored value: option codes of a choice item.
    labels
        Answer label (lower case, Dutch and English) to stored value.
    value_labels
        Stored value to its label (Dutch), for messages and SPSS exports.
    max_length
        Open text only: the longest answer accepted.
    """

    id: str
    kind: str
    allowed: np.ndarray
    codes: dict[str, float] = field(default_factory=dict)
    labels: dict[str, float] = field(default_factory=dict)
    value_labels: dict[float, str] = field(default_factory=dict)
    max_length: int = 0

    @property
    def is_text(self) -> bool:
        return self.kind == "text"

    @property
    def is_choice(self) -> bool:
        return self.kind == "choice"

    def describe(self) -> str:
        """What the item takes, for messages: ``whole numbers 1-5``, ``codes 1 (Ja), ...``."""
        if self.is_text:
            return f"text of at most {self.max_length} characters"
        if self.is_choice:
            shown = [f"{code} ({self.value_labels.get(v, '')})" for code, v in self.codes.items()]
            return "the codes " + ", ".join(shown)
        return f"whole numbers {self.allowed[0]:g}–{self.allowed[-1]:g}"


def item_rules(instrument: Instrument, item_ids: list[str] | None = None) -> dict[str, ItemRule]:
    """Rules for ``item_ids`` (default: every item), by item id."""
    ids = item_ids if item_ids is not None else list(instrument.item_ids)
    return {item_id: _rule(instrument, item_id) for item_id in ids}


def _rule(instrument: Instrument, item_id: str) -> ItemRule:
    fmt = instrument.format_of(item_id)
    if isinstance(fmt, TextFormat):
        return ItemRule(item_id, "text", np.empty(0), max_length=fmt.max_length)
    labels: dict[str, float] = {}
    value_labels: dict[float, str] = {}
    if isinstance(fmt, ChoiceFormat):
        codes: dict[str, float] = {}
        numeric = all(isinstance(o.code, int) for o in fmt.options)
        for position, option in enumerate(fmt.options, start=1):
            code = option.code
            value = float(code) if isinstance(code, int) and numeric else float(position)
            codes[str(option.code).strip().lower()] = value
            labels[option.nl.strip().lower()] = value
            labels[option.en.strip().lower()] = value
            value_labels[value] = option.nl
        return ItemRule(
            item_id,
            "choice",
            np.array(sorted(codes.values())),
            codes=codes,
            labels=labels,
            value_labels=value_labels,
        )
    if isinstance(fmt, AgreementFormat | LikelihoodFormat | GradeFormat):
        for lang in ("nl", "en"):
            for point, label in fmt.value_labels(lang).items():
                labels[str(label).strip().lower()] = float(point)
        value_labels = {float(v): str(lab) for v, lab in fmt.value_labels("nl").items()}
        allowed = np.arange(fmt.min, fmt.max + 1, dtype=float)
        return ItemRule(item_id, fmt.kind, allowed, labels=labels, value_labels=value_labels)
    raise ValueError(f"item {item_id!r}: unsupported response format {type(fmt).__name__}")
