"""Checks of mirror pairs: this side's items (:func:`check_mirror`) and, once the other
instrument is loaded, the other side's (:func:`check_mirror_targets`).

A pair joins an employee item and the customer item it predicts; each instrument names
its own item of the pair under its audience (``employee:`` / ``customer:``) and the
other side's under the other's.
"""

from __future__ import annotations

from spiegel.instruments.checks.context import Checker, as_dict, as_list
from spiegel.instruments.formats import ResponseFormat, format_range
from spiegel.instruments.model import Instrument
from spiegel.instruments.problems import Problem
from spiegel.instruments.source import Document

__all__ = ["check_mirror", "check_mirror_targets"]


def _other_side(here: str) -> str:
    return "customer" if here == "employee" else "employee"


def check_mirror(c: Checker, audience: str | None, all_ids: set[str]) -> None:
    """Check this side of the document's mirror pairs; ``all_ids`` are its item ids."""
    if "mirror" not in c.data:
        return
    mirror = as_dict(c.data.get("mirror"))
    if audience not in ("employee", "customer"):
        if audience is not None:
            c.add("mirror", "mirror pairs belong in an employee or a customer instrument")
        return
    here, there = audience, _other_side(audience)
    if f"{here}_instrument" in mirror:
        c.add(
            f"mirror.{here}_instrument",
            f"in a {here} instrument the {here} items are this instrument's own; name the "
            f"{there} instrument with '{there}_instrument'",
        )
    if f"{there}_instrument" not in mirror:
        c.add(
            "mirror",
            f"missing key '{there}_instrument' (the {there} instrument that holds the "
            f"{there} item of each pair)",
        )
    paired_here: dict[str, str] = {}
    paired_there: dict[str, str] = {}
    for inst in c.sources():
        for p in inst.mirror_pairs:
            paired_here[getattr(p, f"{here}_item")] = f"'{inst.name}'"
            paired_there[getattr(p, f"{there}_item")] = f"'{inst.name}'"
    for k, pair in enumerate(map(as_dict, as_list(mirror.get("pairs")))):
        ploc = f"mirror.pairs[{k}]"
        for side, value, paired in (
            (here, pair.get(here), paired_here),
            (there, pair.get(there), paired_there),
        ):
            if not isinstance(value, str):
                continue
            if side == here and value not in all_ids:
                c.add(f"{ploc}.{side}", f"unknown item '{value}': this instrument has no such item")
            elif value in paired:
                c.add(f"{ploc}.{side}", f"item '{value}' is already paired (in {paired[value]})")
            paired.setdefault(value, c.line_note(ploc))


def check_mirror_targets(
    doc: Document,
    item_formats: dict[str, ResponseFormat],
    audience: str | None,
    other: Instrument | None,
    other_problem: str,
) -> list[Problem]:
    """Check the other side of ``doc``'s own mirror pairs against instrument ``other``.

    ``other`` is the loaded instrument named by ``customer_instrument`` /
    ``employee_instrument``, or ``None`` with ``other_problem`` saying why it cannot be
    used. ``item_formats`` gives this side's formats (from :func:`check_document`). Reads
    the raw data, so it also runs when the document itself has problems.
    """
    mirror = as_dict(as_dict(doc.data).get("mirror"))
    if audience not in ("employee", "customer") or not mirror:
        return []
    here, there = audience, _other_side(audience)
    key = f"mirror.{there}_instrument"
    if not isinstance(mirror.get(f"{there}_instrument"), str):
        return []
    if other is None:
        return [doc.problem(key, other_problem)]
    if other.audience != there:
        article = "an" if there == "employee" else "a"
        return [
            doc.problem(
                key, f"'{other.name}' is a {other.audience} instrument, not {article} {there} one"
            )
        ]
    problems: list[Problem] = []
    for k, pair in enumerate(map(as_dict, as_list(mirror.get("pairs")))):
        mine, theirs = pair.get(here), pair.get(there)
        if not isinstance(theirs, str):
            continue
        if not other.has_item(theirs):
            problems.append(
                doc.problem(f"mirror.pairs[{k}].{there}", f"'{other.name}' has no item '{theirs}'")
            )
            continue
        if not isinstance(mine, str) or mine not in item_formats:
            continue
        mine_fmt, their_fmt = item_formats[mine], other.format_of(theirs)
        mine_rng, their_rng = format_range(mine_fmt), format_range(their_fmt)
        if mine_rng is None or their_rng is None:
            bad = mine if mine_rng is None else theirs
            kind = (mine_fmt if mine_rng is None else their_fmt).kind
            problems.append(
                doc.problem(
                    f"mirror.pairs[{k}]",
                    f"mirror items are compared as numbers, so they need an ordinal format; "
                    f"'{bad}' is a {kind} item",
                )
            )
        elif mine_rng != their_rng:
            problems.append(
                doc.problem(
                    f"mirror.pairs[{k}]",
                    f"'{mine}' is answered {mine_rng[0]}–{mine_rng[1]} but '{theirs}' "
                    f"{their_rng[0]}–{their_rng[1]}; a mirror pair needs the same range",
                )
            )
    return problems
