"""Turning a column of file cells into checked values, one column at a time.

Every function here works on a whole column: it factorises the column, decides once per
distinct cell value (a survey column of a million rows has a dozen), and spreads the
result back with numpy indexing. Clean numeric columns take a faster path still (one
arrow cast and one ``isin``). Each returns the values, a mask of refused cells and, for
those, the reason.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from spiegel.ingest.rules import ItemRule
from spiegel.ingest.table import as_text, canonical

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass
class Checked:
    """A checked column: ``values`` per row, the ``bad`` rows and, for those rows in
    order, the reason each was refused."""

    values: np.ndarray
    bad: np.ndarray
    bad_reasons: list[str]

    def reasons_of_bad(self) -> list[str]:
        return self.bad_reasons


def by_uniques(
    series: pd.Series,
    resolve: Callable[[object], tuple[object, str | None]],
    missing: object,
    dtype: str | type = object,
) -> Checked:
    """Apply ``resolve`` to each distinct non-empty cell and spread the results back."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    n = len(uniques)
    values = np.empty(n + 1, dtype=dtype)
    reasons = np.empty(n + 1, dtype=object)
    for i, unique in enumerate(uniques.tolist()):
        values[i], reasons[i] = resolve(unique)
    values[n] = missing
    reasons[n] = None
    bad_unique = np.array([r is not None for r in reasons], dtype=bool)
    bad = bad_unique[codes]
    return Checked(values[codes], bad, [str(r) for r in reasons[codes[bad]]])


def parse_number(text: object, percent: bool = False) -> float | None:
    """A cell as a number: ``7``, ``7.5``, ``7,5`` (decimal comma), optionally ``4,2%``."""
    if isinstance(text, int | float | np.integer | np.floating) and not isinstance(text, bool):
        value = float(text)
        return value if np.isfinite(value) else None
    cell = str(text).strip()
    if percent and cell.endswith("%"):
        cell = cell[:-1].strip()
    if _DECIMAL_COMMA.match(cell):
        cell = cell.replace(",", ".")
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


# --- item answers ---------------------------------------------------------------------


@dataclass
class ItemContext:
    """What besides the rule decides how a column's cells read."""

    codes: MappingType[str, object] = field(default_factory=dict)  # file code -> value
    file_labels: dict[str, str] = field(default_factory=dict)  # SPSS: code -> label
    column: str = ""


def check_item(series: pd.Series, rule: ItemRule, ctx: ItemContext) -> Checked:
    """Check an item column against its rule; values are the stored numbers (NaN = empty)."""
    label_map = _label_translation(rule, ctx)
    if not ctx.codes and not label_map and not rule.is_choice:
        fast = _as_float(series)
        if fast is not None:
            return _check_numbers(fast, series, rule)
    return by_uniques(series, lambda u: _resolve_item(u, rule, ctx, label_map), np.nan, float)


def _as_float(series: pd.Series) -> np.ndarray | None:
    if series.dtype.kind == "f":
        return series.to_numpy(dtype=float)
    try:
        return pc.cast(pa.array(series, from_pandas=True), pa.float64()).to_numpy(
            zero_copy_only=False
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None


def _check_numbers(values: np.ndarray, series: pd.Series, rule: ItemRule) -> Checked:
    present = ~np.isnan(values)
    bad = present & ~np.isin(values, rule.allowed)
    reasons: list[str] = []
    if bad.any():
        raw = series.to_numpy(dtype=object)[bad]
        reasons = [_refusal(float(v), r, rule) for v, r in zip(values[bad], raw, strict=True)]
        values = np.where(bad, np.nan, values)
    return Checked(values, bad, reasons)


def label_of(file_labels: MappingType[str, str], shown: str) -> str | None:
    """The SPSS value label of a cell's code (``shown`` as :func:`canonical` gives it)."""
    return file_labels.get(shown) or file_labels.get(shown.lower())


def labelled_text(
    series: pd.Series, file_labels: MappingType[str, str], codes: MappingType[str, object]
) -> pd.Series:
    """A column as text, SPSS value labels applied: the mapping's value for the code or
    for its label first (``codes``, keys in lower case), else the label, else the code."""
    if not file_labels and not codes:
        return as_text(series)

    def resolve(cell: object) -> tuple[object, str | None]:
        shown = canonical(cell) or ""
        label = label_of(file_labels, shown)
        for key in (shown, label):
            if key is not None and key.lower() in codes:
                target = codes[key.lower()]
                return (None if target is None else canonical(target)), None
        return label or shown, None

    values = by_uniques(series, resolve, None, object).values
    return pd.Series(values, dtype="str")


def _label_translation(rule: ItemRule, ctx: ItemContext) -> dict[str, float]:
    """SPSS codes to stored values by their labels, used only when every label matches."""
    if not ctx.file_labels or rule.is_text:
        return {}
    out: dict[str, float] = {}
    for code, label in ctx.file_labels.items():
        if code.lower() in ctx.codes or label.strip().lower() in ctx.codes:
            continue
        value = rule.labels.get(label.strip().lower())
        if value is None:
            return {}
        out[code.lower()] = value
    return out


def _resolve_item(
    cell: object, rule: ItemRule, ctx: ItemContext, label_map: dict[str, float]
) -> tuple[float, str | None]:
    key = (canonical(cell) or "").lower()
    shown = canonical(cell) or ""
    named = (label_of(ctx.file_labels, shown) or "").strip().lower()
    if key not in ctx.codes and named in ctx.codes:
        key = named  # the mapping names the code by its SPSS label
    if key in ctx.codes:
        target = ctx.codes[key]
        if target is None:
            return np.nan, None  # mapped to "no answer"
        value = _target_value(target, rule)
        if value is None:
            return np.nan, (
                f"the mapping file maps {shown!r} to {target!r}, which item {rule.id} does "
                f"not take; it takes {rule.describe()}"
            )
        return value, None
    if key in label_map:
        return label_map[key], None
    if rule.is_choice and key in rule.codes:
        return rule.codes[key], None
    if key in rule.labels:
        return rule.labels[key], None
    number = parse_number(cell)
    if number is None:
        hint = f" (label {ctx.file_labels[key]!r})" if key in ctx.file_labels else ""
        return np.nan, (
            f"not a number{hint}; item {rule.id} takes {rule.describe()} (map other "
            f"answers under 'values: {ctx.column or rule.id}:' in the mapping file)"
        )
    if rule.is_choice:
        # numeric choice codes: the number must be one of them
        value = rule.codes.get(canonical(number) or "")
        if value is not None:
            return value, None
    if np.isin(number, rule.allowed):
        return number, None
    label = ctx.file_labels.get(key)
    return np.nan, _refusal(number, shown + (f" ({label})" if label else ""), rule)


def _target_value(target: object, rule: ItemRule) -> float | None:
    if isinstance(target, str):
        key = target.strip().lower()
        if key in rule.codes:
            return rule.codes[key]
        if key in rule.labels:
            return rule.labels[key]
    number = parse_number(target)
    if number is None or not np.isin(number, rule.allowed):
        return None
    return number


def _refusal(number: float, shown: object, rule: ItemRule) -> str:
    text = str(shown)
    if rule.is_choice:
        return f"unknown choice code {text}; item {rule.id} takes {rule.describe()}"
    if not float(number).is_integer():
        return f"{text} is not a whole number; item {rule.id} takes {rule.describe()}"
    return f"{text} is out of range; item {rule.id} takes {rule.describe()}"


def check_text(series: pd.Series, rule: ItemRule) -> Checked:
    """Open text answers: kept as given (stripped), refused only when too long."""
    text = series.astype("str") if series.dtype.kind in "fiub" else series
    lengths = text.str.len().fillna(0).to_numpy()
    bad = lengths > rule.max_length
    reason = f"text longer than {rule.max_length} characters, the most item {rule.id} takes"
    return Checked(text.to_numpy(dtype=object), bad, [reason] * int(bad.sum()))


# --- role groups ----------------------------------------------------------------------

ROLE_GROUPS = ("senior_management", "manager", "front_line", "back_office")
_ROLE_LABELS = {
    "senior management": "senior_management",
    "senior manager": "senior_management",
    "top management": "senior_management",
    "topmanagement": "senior_management",
    "directie": "senior_management",
    "hoger management": "senior_management",
    "manager": "manager",
    "managers": "manager",
    "leidinggevende": "manager",
    "leidinggevenden": "manager",
    "teamleider": "manager",
    "middenmanagement": "manager",
    "front line": "front_line",
    "frontline": "front_line",
    "front office": "front_line",
    "frontoffice": "front_line",
    "uitvoerend": "front_line",
    "klantcontact": "front_line",
    "back office": "back_office",
    "backoffice": "back_office",
    "ondersteunend": "back_office",
    "staf": "back_office",
}


def _role_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def check_role_groups(
    series: pd.Series,
    codes: MappingType[str, object],
    file_labels: dict[str, str],
    column: str,
) -> Checked:
    """Role groups from codes, English or Dutch labels, or the mapping's values."""
    mapped = {_role_key(k): v for k, v in codes.items()}

    def resolve(cell: object) -> tuple[object, str | None]:
        shown = canonical(cell) or ""
        for candidate in (shown, file_labels.get(shown.lower(), "")):
            if not candidate:
                continue
            key = _role_key(candidate)
            if key in mapped:
                target = mapped[key]
                if target is None:
                    return None, None
                role = _ROLE_LABELS.get(_role_key(str(target)), str(target).strip().lower())
                if role in ROLE_GROUPS:
                    return role, None
                return None, (
                    f"the mapping file maps {shown!r} to {target!r}, which is not "
                    f"a role group; use {', '.join(ROLE_GROUPS)}"
                )
            if key.replace(" ", "_") in ROLE_GROUPS:
                return key.replace(" ", "_"), None
            if key in _ROLE_LABELS:
                return _ROLE_LABELS[key], None
        return None, (
            f"not a role group; use {', '.join(ROLE_GROUPS)}, or map {shown!r} under "
            f"'values: {column}:' in the mapping file"
        )

    return by_uniques(series, resolve, None, object)


# --- units ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitLookup:
    """An organisation's units for matching file cells: by code and by name."""

    ids: dict[str, int]  # code -> id
    names: dict[str, str] = field(default_factory=dict)  # lower-case name -> code

    @classmethod
    def build(cls, units: list[tuple[int, str, str]]) -> UnitLookup:
        """From ``(id, code, name)`` tuples; a name shared by several units is not used."""
        ids = {code: uid for uid, code, _ in units}
        names: dict[str, str] = {}
        shared: set[str] = set()
        for _, code, name in units:
            key = name.strip().lower()
            if key in names:
                shared.add(key)
            names[key] = code
        for key in shared:
            names.pop(key)
        return cls(ids, names)


def check_units(
    series: pd.Series,
    lookup: UnitLookup,
    mapped: Callable[[str], str | None],
    file_labels: dict[str, str],
) -> Checked:
    """Unit ids from unit codes, unit names, SPSS labels or the mapping's ``units``."""
    by_lower = {code.lower(): code for code in lookup.ids}

    def resolve(cell: object) -> tuple[int, str | None]:
        shown = canonical(cell) or ""
        label = file_labels.get(shown.lower())
        for candidate in (shown, label):
            if not candidate:
                continue
            target = mapped(candidate)
            if target is not None:
                if target in lookup.ids:
                    return lookup.ids[target], None
                return -1, (
                    f"the mapping file maps {candidate!r} to unit code {target!r}, "
                    "which does not exist; import the units first"
                )
        for candidate in (shown, label):
            if not candidate:
                continue
            code = candidate if candidate in lookup.ids else by_lower.get(candidate.lower())
            code = code or lookup.names.get(candidate.lower())
            if code is not None:
                return lookup.ids[code], None
        close = difflib.get_close_matches(shown, list(lookup.ids), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return -1, (
            f"unknown unit{hint}; use a unit code from the units file, or map this "
            "label under 'units:' in the mapping file"
        )

    return by_uniques(series, resolve, -1, np.int64)
