"""A first mapping file for an export, guessed from its question texts and answers.

Survey tools name their columns ``Q3_1`` or after the full question, and write answers
as codes or as choice texts. :func:`suggest_mapping` matches each column's question text
(the header's second row, an SPSS variable label, or the column name) against the
instrument's item texts in Dutch and English, fuzzily; finds the unit and role-group
columns by their answers; and maps choice texts such as ``Strongly agree`` or ``Helemaal
mee eens`` to codes through the labels of the item's response format. What it cannot
place is listed, so that a person finishes the mapping instead of writing it.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field

import pandas as pd

from spiegel.ingest.mapping import Mapping
from spiegel.ingest.rules import ItemRule, item_rules
from spiegel.ingest.table import RawTable, canonical
from spiegel.ingest.values import (
    ItemContext,
    UnitLookup,
    check_item,
    check_role_groups,
    check_units,
    label_of,
)
from spiegel.instruments.model import Instrument

MIN_SCORE = 0.6
"""The least similarity (0-1) at which a question text is taken to be an item's."""
MIN_LABEL_SCORE = 0.75
"""The least similarity at which an answer text is taken to be a label of the scale."""
FIELD_SHARE = 0.8
"""Share of a column's distinct answers that must be units (role groups) to place it."""
_UNIT_WORDS = ("locatie", "location", "vestiging", "afdeling", "team", "unit", "eenheid")
_ROLE_WORDS = ("functie", "rol", "role", "job", "position")
_WORD = re.compile(r"\w+")


@dataclass
class Suggestion:
    """A mapping guessed for a file: what was placed, how sure, and what was not."""

    instrument: str
    columns: dict[str, str] = field(default_factory=dict)  # column -> item or field
    scores: dict[str, float] = field(default_factory=dict)  # column -> text similarity
    matched: dict[str, str] = field(default_factory=dict)  # column -> item text matched
    values: dict[str, dict[str, object]] = field(default_factory=dict)  # column -> answers
    open_values: dict[str, list[str]] = field(default_factory=dict)  # answers not placed
    open_units: list[str] = field(default_factory=list)  # unit labels not placed
    open_roles: list[str] = field(default_factory=list)  # role labels not placed
    unplaced: list[str] = field(default_factory=list)  # columns not placed
    automatic: list[str] = field(default_factory=list)  # placed without a mapping
    notes: list[str] = field(default_factory=list)


def suggest_mapping(
    table: RawTable,
    instrument: Instrument,
    units: UnitLookup,
    audience: str,
    mapping: Mapping,
) -> Suggestion:
    """Guess a mapping for ``table`` (read with ``mapping``, which already names the
    tool's own columns): see the module docstring."""
    rules = item_rules(instrument)
    suggestion = Suggestion(instrument.name, notes=list(table.notes))
    ids = {i.lower() for i in rules}
    open_columns = []
    for column in table.columns:
        target = mapping.target_of(column)
        if target is not None or column.strip().lower() in ids | _FIELD_NAMES:
            suggestion.automatic.append(column)
        else:
            open_columns.append(column)
    have = {(mapping.target_of(c) or c).strip().lower() for c in suggestion.automatic}
    wanted = [f for f in ("unit", "role_group") if f not in have]
    if audience != "employee":
        wanted = [f for f in wanted if f != "role_group"]
    fields = _place_fields(table, open_columns, units, wanted, suggestion)
    rest = [c for c in open_columns if c not in fields]
    _place_items(table, rest, instrument, suggestion)
    for column, item_id in list(suggestion.columns.items()):
        if item_id in rules and not rules[item_id].is_text:
            _place_answers(table, column, rules[item_id], suggestion)
    suggestion.unplaced = [c for c in rest if c not in suggestion.columns]
    return suggestion


_FIELD_NAMES = {"unit", "unit_code", "respondent", "respondent_id", "role_group", "ignore"}


def normalise_text(text: str) -> str:
    """Lower case words only: ``"Ik ga op, in mijn werk."`` -> ``"ik ga op in mijn werk"``."""
    return " ".join(_WORD.findall(text.lower()))


def similarity(question: str, item_text: str) -> float:
    """How alike a column's question text and an item's text are (0-1): the better of
    the two texts' character similarity and the share of the question's content words
    (longer than three letters, weighed by length) found among the item's words."""
    a, b = normalise_text(question), normalise_text(item_text)
    if not a or not b:
        return 0.0
    words = [w for w in a.split() if len(w) > 3] or a.split()
    others = set(b.split())
    letters = sum(len(w) for w in words)
    found = sum(len(w) for w in words if w in others) / letters
    # a question of a word or two says too little to be found inside a long text
    best = 0.95 * found * min(1.0, letters / 12)
    matcher = difflib.SequenceMatcher(None, a, b)
    # the quick ratios are upper bounds of the ratio: skip it when it cannot win
    if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
        best = max(best, matcher.ratio())
    return best


def _variants(text: str) -> list[str]:
    """A question text and the parts tools glue around a matrix row: Qualtrics
    ``Question - Row``, LimeSurvey ``[Row] Question``, Google Forms ``Question [Row]``."""
    out = [text]
    if " - " in text:
        out.append(text.rsplit(" - ", 1)[1])
    out.extend(re.findall(r"\[([^\]]+)\]", text))
    return [t for t in out if t.strip()]


SHORTLIST = 8
"""Items per column whose texts are compared in full (the most words in common first)."""


def _words(text: str) -> set[str]:
    return set(normalise_text(text).split())


def _overlap(question: set[str], item: set[str]) -> float:
    """The letters of the words two texts share, over those of the longer text."""
    shared = sum(len(w) for w in question & item)
    return shared / max(sum(len(w) for w in question), sum(len(w) for w in item), 1)


def _place_items(
    table: RawTable, columns: list[str], instrument: Instrument, suggestion: Suggestion
) -> None:
    """Each column to the item whose text is most like its question, one to one, best
    pairs first. Only the items sharing the most words with a question are compared
    character by character."""
    texts = {item.id: (item.text.nl, item.text.en) for item in instrument.items}
    words = {i: (_words(nl), _words(en)) for i, (nl, en) in texts.items()}
    pairs: list[tuple[float, str, str, str]] = []
    for column in columns:
        variants = _variants(table.texts.get(column) or column)
        asked = [_words(v) for v in variants]
        shortlist = sorted(
            texts,
            key=lambda i: -max(_overlap(q, w) for q in asked for w in words[i]),
        )[:SHORTLIST]
        for item_id in shortlist:
            best, text = 0.0, ""
            for variant in variants:
                for lang_text in texts[item_id]:
                    score = similarity(variant, lang_text)
                    if score > best:
                        best, text = score, lang_text
            if best >= MIN_SCORE:
                pairs.append((best, column, item_id, text))
    used: set[str] = set()
    for score, column, item_id, text in sorted(pairs, key=lambda p: -p[0]):
        if column in suggestion.columns or item_id in used:
            continue
        suggestion.columns[column] = item_id
        suggestion.scores[column] = round(score, 2)
        suggestion.matched[column] = text
        used.add(item_id)


def _distinct(table: RawTable, column: str) -> pd.Series:
    return pd.Series(table.frame[column].dropna().unique())


def _place_fields(
    table: RawTable,
    columns: list[str],
    units: UnitLookup,
    wanted: list[str],
    suggestion: Suggestion,
) -> set[str]:
    """The ``wanted`` fields' columns (unit, role group), by their answers, or by their
    question when the answers are codes."""
    placed: set[str] = set()
    for name in wanted:
        words = _UNIT_WORDS if name == "unit" else _ROLE_WORDS
        best: tuple[float, str] | None = None
        for column in columns:
            if column in placed:
                continue
            cells = _distinct(table, column)
            if not len(cells):
                continue
            labels = table.value_labels.get(column, {})
            if name == "unit":
                checked = check_units(cells, units, lambda _: None, labels)
            else:
                checked = check_role_groups(cells, {}, labels, column)
            share = 1 - checked.bad.mean()
            question = normalise_text(table.texts.get(column) or column).split()
            named = any(w in question for w in words)
            score = share + (0.5 if named else 0.0)
            if (share >= FIELD_SHARE or named) and (best is None or score > best[0]):
                best = (score, column)
        if best is None:
            continue
        column = best[1]
        placed.add(column)
        suggestion.columns[column] = name
        cells = _distinct(table, column)
        labels = table.value_labels.get(column, {})
        if name == "unit":
            bad = check_units(cells, units, lambda _: None, labels).bad
            suggestion.open_units = [canonical(v) or "" for v in cells[bad]]
        else:
            bad = check_role_groups(cells, {}, labels, column).bad
            suggestion.open_roles = [canonical(v) or "" for v in cells[bad]]
    return placed


def _place_answers(table: RawTable, column: str, rule: ItemRule, suggestion: Suggestion) -> None:
    """Answers of an item column that are not codes of the item: the closest label of
    its response format (``Helemaal mee eens`` -> ``Helemaal eens`` -> 5)."""
    cells = _distinct(table, column)
    labels = table.value_labels.get(column, {})
    checked = check_item(cells, rule, ItemContext({}, labels, column))
    keys = {label_key(label): value for label, value in rule.labels.items()}
    values: dict[str, object] = {}
    missing: list[str] = []
    for cell in cells[checked.bad]:
        shown = canonical(cell) or ""
        key = label_key(label_of(labels, shown) or shown)
        close = difflib.get_close_matches(key, list(keys), 1, MIN_LABEL_SCORE)
        if close:
            values[shown] = int(keys[close[0]])
        else:
            missing.append(shown)
    if values:
        suggestion.values[column] = values
    if missing:
        suggestion.open_values[column] = missing


# Words answer labels add or swap without changing what they mean.
_FILLERS = {"mee", "het", "ik", "ben", "i", "am"}
_SYNONYMS = {
    "zeer": "helemaal",
    "volledig": "helemaal",
    "totaal": "helemaal",
    "completely": "strongly",
    "totally": "strongly",
    "neutraal": "niet eens niet oneens",
    "neutral": "neither agree nor disagree",
}


def label_key(text: str) -> str:
    """An answer label for matching: ``"Helemaal mee eens"`` and ``"Zeer mee eens"`` both
    give ``"helemaal eens"``, the five-point scale's own label."""
    words = [_SYNONYMS.get(w, w) for w in normalise_text(text).split() if w not in _FILLERS]
    return " ".join(words)


def render(suggestion: Suggestion) -> str:
    """The suggestion as a mapping file (YAML) with comments for a person to check."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = [
        "# Mapping suggested by `spiegel import responses ... --suggest-mapping`.",
        "# Check every line; the numbers are how alike the question and the item text are.",
    ]
    lines += [f"# Detected: {note}" for note in suggestion.notes]
    if suggestion.automatic:
        lines.append(f"# Placed without a mapping: {', '.join(suggestion.automatic)}")
    lines += [f"instrument: {suggestion.instrument}", "columns:"]
    for column, target in suggestion.columns.items():
        comment = ""
        if column in suggestion.scores:
            comment = f"  # {suggestion.scores[column]:.2f} {suggestion.matched[column]}"
        lines.append(f"  {q(column)}: {target}{comment}")
    for column in suggestion.unplaced:
        lines.append(f"  {q(column)}: ignore  # TODO not placed: an item id, or keep ignore")
    if suggestion.open_units:
        lines.append("units:  # TODO the unit code of each answer")
        lines += [f"  # {q(u)}: UNIT_CODE" for u in suggestion.open_units]
    value_lines: list[str] = []
    roles = [c for c, t in suggestion.columns.items() if t == "role_group"]
    if suggestion.open_roles and roles:
        value_lines.append("  role_group:  # TODO senior_management, manager, front_line, ...")
        value_lines += [f"    # {q(r)}: ROLE_GROUP" for r in suggestion.open_roles]
    for column in suggestion.columns:
        given = suggestion.values.get(column, {})
        missing = suggestion.open_values.get(column, [])
        if not given and not missing:
            continue
        value_lines.append(f"  {q(column)}:")
        value_lines += [f"    {q(k)}: {v}" for k, v in given.items()]
        value_lines += [f"    {q(m)}: null  # TODO not a label of the scale" for m in missing]
    if value_lines:
        lines += ["values:", *value_lines]
    return "\n".join(lines) + "\n"
