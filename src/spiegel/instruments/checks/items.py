"""Checks of scales and items: names and ids, formats and value ranges, self-ratings.

An id may be used once across the document, its parent (less what it replaces or
removes) and its included instruments; a scale's items share one ordinal value range.
"""

from __future__ import annotations

from typing import NamedTuple

from spiegel.instruments.checks.context import (
    SNAKE_CASE,
    SNAKE_HINT,
    Checker,
    as_dict,
    as_list,
)
from spiegel.instruments.checks.formats import format_ref
from spiegel.instruments.formats import ResponseFormat, format_range

__all__ = ["check_scales_and_items"]


class _Taken(NamedTuple):
    """Names the parent and includes contribute (name -> where), and the message for
    reusing one (formatted with ``value`` and ``where``)."""

    where: dict[str, str]
    message: str


def _taken_ids(c: Checker) -> tuple[dict[str, str], dict[str, str]]:
    """Item ids and scale names that parent/includes contribute: name -> where."""
    items: dict[str, str] = {}
    scales: dict[str, str] = {}
    data = c.data
    own_scales = {s.get("name") for s in map(as_dict, as_list(data.get("scales")))}
    own_loose = {i.get("id") for i in map(as_dict, as_list(data.get("items")))}
    removed = set(filter(lambda x: isinstance(x, str), as_list(data.get("remove"))))
    if c.parent is not None:
        p = c.parent
        for s in p.scales:
            if s.name in own_scales or s.name in removed:
                continue  # replaced or removed
            scales[s.name] = f"'{p.name}'"
            for i in s.items:
                items[i.id] = f"scale '{s.name}' of '{p.name}'"
        for i in p.extra_items:
            if i.id not in own_loose and i.id not in removed:
                items[i.id] = f"'{p.name}'"
    for location, inc in c.includes:
        for s in inc.scales:
            if s.name in scales:
                c.add(location, f"scale '{s.name}' is in both {scales[s.name]} and '{inc.name}'")
            scales.setdefault(s.name, f"included instrument '{inc.name}'")
        for i in inc.items:
            if i.id in items:
                c.add(location, f"item '{i.id}' is in both {items[i.id]} and '{inc.name}'")
            items.setdefault(i.id, f"included instrument '{inc.name}'")
    return items, scales


def _unique(
    c: Checker,
    location: str,
    value: object,
    what: str,
    seen: dict[str, str],
    taken: _Taken,
) -> None:
    """Report ``value`` (the ``what`` at ``location``: item id or scale name) unless it
    is snake case and new: not ``seen`` earlier in the document, not ``taken`` from the
    parent or an include."""
    if not isinstance(value, str):
        return
    if not SNAKE_CASE.match(value):
        c.add(location, f"'{value}' is not a valid {what}: {SNAKE_HINT}")
    if value in seen:
        c.add(location, f"duplicate {what} '{value}' (first used at {c.line_note(seen[value])})")
    elif value in taken.where:
        c.add(location, taken.message.format(value=value, where=taken.where[value]))
    else:
        seen[value] = location


def _self_text(c: Checker, location: str, item: dict[object, object], audience: str | None) -> None:
    if audience == "360" and "self_text" not in item:
        c.add(
            location,
            "missing key 'self_text' (a 360° instrument words every item for the self-rating too)",
        )
    elif audience is not None and audience != "360" and "self_text" in item:
        c.add(f"{location}.self_text", "'self_text' is only used in 360° instruments")


def _record(c: Checker, item: dict[object, object], fmt: ResponseFormat | None) -> None:
    item_id = item.get("id")
    if isinstance(item_id, str) and fmt is not None:
        c.item_formats.setdefault(item_id, fmt)


def _scale(
    c: Checker,
    sloc: str,
    scale: dict[object, object],
    audience: str | None,
    seen_items: dict[str, str],
    taken_items: _Taken,
) -> None:
    """Check one scale's format and items (their ids, formats and common range)."""
    scale_fmt = format_ref(c, f"{sloc}.format", scale.get("format"))
    scale_ok = True
    if scale_fmt is not None and format_range(scale_fmt) is None:
        scale_ok = False
        c.add(
            f"{sloc}.format",
            f"a scale is scored, so it needs an ordinal response format (agreement, "
            f"likelihood or grade); '{scale.get('format')}' is a {scale_fmt.kind} format",
        )
    reference: tuple[tuple[int, int], str] | None = None
    if scale_fmt is not None and scale_ok:
        rng = format_range(scale_fmt)
        reference = (rng, f"'{scale.get('format')}'") if rng else None
    for k, item in enumerate(map(as_dict, as_list(scale.get("items")))):
        iloc = f"{sloc}.items[{k}]"
        _unique(c, f"{iloc}.id", item.get("id"), "item id", seen_items, taken_items)
        _self_text(c, iloc, item, audience)
        if "format" not in item:
            _record(c, item, scale_fmt)
            continue
        fmt = format_ref(c, f"{iloc}.format", item.get("format"))
        _record(c, item, fmt)
        if fmt is None:
            continue
        rng = format_range(fmt)
        if rng is None:
            c.add(
                f"{iloc}.format",
                f"an item in a scale needs an ordinal response format (agreement, "
                f"likelihood or grade); '{item.get('format')}' is a {fmt.kind} format",
            )
        elif reference is None:
            reference = (rng, f"'{item.get('format')}'")
        elif rng != reference[0]:
            lo, hi = reference[0]
            c.add(
                f"{iloc}.format",
                f"'{item.get('format')}' runs {rng[0]}–{rng[1]} but the scale uses "
                f"{lo}–{hi} ({reference[1]}); all items of a scale need the same range",
            )


def check_scales_and_items(c: Checker, audience: str | None) -> set[str]:
    """Check every scale and item; return every item id the instrument will have.

    Run after :func:`~spiegel.instruments.checks.formats.check_formats`.
    """
    for inst in c.sources():
        for inherited in inst.items:
            c.item_formats[inherited.id] = inst.formats[inherited.format]
    items_taken, scales_taken = _taken_ids(c)
    taken_items = _Taken(items_taken, "duplicate item id '{value}': already in {where}")
    taken_scales = _Taken(scales_taken, "scale '{value}' is already in {where}")
    seen_items: dict[str, str] = {}
    seen_scales: dict[str, str] = {}
    for j, scale in enumerate(map(as_dict, as_list(c.data.get("scales")))):
        sloc = f"scales[{j}]"
        _unique(c, f"{sloc}.name", scale.get("name"), "scale name", seen_scales, taken_scales)
        _scale(c, sloc, scale, audience, seen_items, taken_items)
    for j, item in enumerate(map(as_dict, as_list(c.data.get("items")))):
        iloc = f"items[{j}]"
        _unique(c, f"{iloc}.id", item.get("id"), "item id", seen_items, taken_items)
        _self_text(c, iloc, item, audience)
        fmt = format_ref(c, f"{iloc}.format", item.get("format"))
        _record(c, item, fmt)
        if item.get("reverse") is True and fmt is not None and not fmt.ordinal:
            c.add(
                f"{iloc}.reverse",
                f"reverse keying needs an ordinal response format; '{item.get('format')}' "
                f"is a {fmt.kind} format",
            )
    return set(items_taken) | set(_own_ids(c.data))


def _own_ids(data: dict[object, object]) -> list[str]:
    ids = [i.get("id") for i in map(as_dict, as_list(data.get("items")))]
    for scale in map(as_dict, as_list(data.get("scales"))):
        ids += [i.get("id") for i in map(as_dict, as_list(scale.get("items")))]
    return [i for i in ids if isinstance(i, str)]
