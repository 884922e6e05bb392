"""A questionnaire as respondents meet it: pages of questions, checked answers, packing.

Pure functions on a loaded :class:`~spiegel.instruments.model.Instrument`; no database.

* :func:`question_groups` splits an instrument into pages: the items asked first, one
  page per scale, then the items asked last.
* :func:`check_answers` checks raw answers (form strings or JSON values) against each
  item's response format and returns clean values plus a reason code per rejected answer,
  so every problem on a page is shown at once and nothing valid is thrown away.
* :func:`pack_answers` turns clean answers into the stored form: the packed numeric
  vector in the instrument's ``item_order`` and the open texts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spiegel.instruments.model import ChoiceFormat, Instrument, Item, Text, TextFormat
from spiegel.store.answers import pack_row

Answer = int | str
"""A clean answer: a whole number (ordinal value or numeric choice code) or a text."""

FIRST_GROUP = "_first"
LAST_GROUP = "_last"


@dataclass(frozen=True)
class QuestionGroup:
    """One page of a questionnaire.

    ``key`` is the scale name, or ``_first`` / ``_last`` for the items outside scales asked
    before / after the scales (they have no title of their own).
    """

    key: str
    title: Text | None
    description: Text | None
    items: tuple[Item, ...]


def question_groups(instrument: Instrument) -> tuple[QuestionGroup, ...]:
    """The pages of ``instrument`` in questionnaire order (never an empty page)."""
    first = tuple(i for i in instrument.extra_items if i.position == "first")
    last = tuple(i for i in instrument.extra_items if i.position == "last")
    groups: list[QuestionGroup] = []
    if first:
        groups.append(QuestionGroup(FIRST_GROUP, None, None, first))
    groups.extend(QuestionGroup(s.name, s.title, s.description, s.items) for s in instrument.scales)
    if last:
        groups.append(QuestionGroup(LAST_GROUP, None, None, last))
    return tuple(groups)


@dataclass(frozen=True)
class AnswerProblem:
    """Why one answer was refused: a reason code and the values the message needs.

    Codes: ``not_a_number``, ``not_an_option``, ``out_of_range``, ``too_long``,
    ``not_an_answer`` (a list or an object where a number or text belongs).
    """

    item_id: str
    code: str
    params: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedAnswers:
    """The outcome of :func:`check_answers`.

    ``values`` holds every item that was given, valid or blank: a clean answer, or ``None``
    when the respondent left it (or cleared it) blank. Refused answers are not in
    ``values`` but in ``problems``; ``raw`` keeps what was typed so the page can show it.
    """

    values: dict[str, Answer | None]
    problems: dict[str, AnswerProblem]
    raw: dict[str, str]

    @property
    def ok(self) -> bool:
        """Whether every answer was accepted."""
        return not self.problems


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_int(text: str) -> int | None:
    try:
        return int(text, 10)
    except ValueError:
        return None


def check_answer(instrument: Instrument, item_id: str, value: object) -> Answer | None:
    """The clean form of one answer, ``None`` for blank; ``ValueError`` when refused.

    The error message is the reason code of :class:`AnswerProblem`; use
    :func:`check_answers` to get the parameters too.
    """
    result = check_answers(instrument, [item_id], {item_id: value})
    if item_id in result.problems:
        raise ValueError(result.problems[item_id].code)
    return result.values.get(item_id)


def check_answers(
    instrument: Instrument, item_ids: Sequence[str], raw: Mapping[str, object]
) -> CheckedAnswers:
    """Check the answers to ``item_ids`` found in ``raw`` against their formats.

    Items of ``item_ids`` missing from ``raw`` are left out of the result (a page that
    was not posted keeps its saved answers); a present but blank answer clears the item.
    Keys of ``raw`` that are not in ``item_ids`` are ignored.
    """
    values: dict[str, Answer | None] = {}
    problems: dict[str, AnswerProblem] = {}
    typed: dict[str, str] = {}
    formats = instrument.item_formats
    for item_id in item_ids:
        if item_id not in raw:
            continue
        fmt = formats.get(item_id) or instrument.format_of(item_id)
        original = raw[item_id]
        if isinstance(original, list | dict):
            problems[item_id] = AnswerProblem(item_id, "not_an_answer")
            typed[item_id] = ""
            continue
        text = _as_text(original)
        typed[item_id] = text
        if isinstance(fmt, TextFormat):
            clean = text.strip()
            if len(clean) > fmt.max_length:
                problems[item_id] = AnswerProblem(
                    item_id, "too_long", {"max": fmt.max_length, "length": len(clean)}
                )
            else:
                values[item_id] = clean or None
            continue
        text = text.strip()
        if not text:
            values[item_id] = None
            continue
        if isinstance(fmt, ChoiceFormat):
            by_text = {str(code): code for code in fmt.values}
            if text in by_text:
                values[item_id] = by_text[text]
            else:
                problems[item_id] = AnswerProblem(item_id, "not_an_option")
            continue
        number = _parse_int(text)
        if number is None:
            problems[item_id] = AnswerProblem(item_id, "not_a_number")
        elif not fmt.min <= number <= fmt.max:
            problems[item_id] = AnswerProblem(
                item_id, "out_of_range", {"min": fmt.min, "max": fmt.max}
            )
        else:
            values[item_id] = number
    return CheckedAnswers(values=values, problems=problems, raw=typed)


def numeric_value(instrument: Instrument, item_id: str, answer: Answer) -> float:
    """The number stored for ``answer``: the value itself; for a choice with text codes,
    the option's position counted from 1."""
    if isinstance(answer, int):
        return float(answer)
    fmt = instrument.format_of(item_id)
    if isinstance(fmt, ChoiceFormat):
        return float(list(fmt.values).index(answer) + 1)
    raise ValueError(f"item {item_id!r} has no numeric form for the answer {answer!r}")


def numeric_item_ids(instrument: Instrument) -> list[str]:
    """The items with a numeric answer (all but open text), in questionnaire order: the
    ``item_order`` a stored instrument version packs responses in."""
    return [
        i.id for i in instrument.items if not isinstance(instrument.format_of(i.id), TextFormat)
    ]


@dataclass(frozen=True)
class PackedAnswers:
    """A response in stored form: packed numbers, open texts, and how many were answered."""

    numeric: bytes
    texts: dict[str, str]
    answered: int


def pack_answers(
    instrument: Instrument,
    item_order: Sequence[str],
    answers: Mapping[str, object],
    checked: CheckedAnswers | None = None,
) -> PackedAnswers:
    """Pack clean ``answers`` for storage (NaN for every numeric item not answered).

    Each answer is checked again, so a draft saved under an older rule cannot slip an
    invalid value into a response; pass ``checked``, the outcome of
    :func:`check_answers` on exactly these answers, when they were just checked. Answers
    to items the instrument does not have are refused with ``ValueError``.
    """
    unknown = sorted(k for k in answers if not instrument.has_item(k))
    if unknown:
        raise ValueError(f"answers to unknown item(s): {', '.join(unknown)}")
    if checked is None:
        checked = check_answers(instrument, list(answers), answers)
    if checked.problems:
        bad = ", ".join(f"{k} ({p.code})" for k, p in sorted(checked.problems.items()))
        raise ValueError(f"invalid answers: {bad}")
    clean = {k: v for k, v in checked.values.items() if v is not None}
    vector = [
        numeric_value(instrument, item_id, clean[item_id]) if item_id in clean else math.nan
        for item_id in item_order
    ]
    texts = {
        k: str(v)
        for k, v in clean.items()
        if isinstance(instrument.format_of(k), TextFormat) and isinstance(v, str)
    }
    return PackedAnswers(numeric=pack_row(vector), texts=texts, answered=len(clean))
