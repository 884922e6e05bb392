"""Rules that need the whole document: ids, format references, scales, mirror pairs.

The checks read the raw YAML data defensively, so they still run (and report) when
other parts of the file have shape errors: a person fixing a file sees every problem
at once. Parents (``extends``) and included instruments arrive already loaded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import TypeAdapter, ValidationError

from spiegel.instruments.model import Instrument, ResponseFormat, format_range
from spiegel.instruments.problems import Problem
from spiegel.instruments.source import Document, points_message
from spiegel.instruments.standard import STANDARD_FORMATS

__all__ = ["SNAKE_CASE", "CheckResult", "check_document", "check_mirror_targets"]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
"""Names and ids: lower-case letters and digits in words joined by single underscores."""

_SNAKE_HINT = "use lower-case letters, digits and single underscores, starting with a letter"
_FORMAT = TypeAdapter[ResponseFormat](ResponseFormat)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[object, object]:
    return value if isinstance(value, dict) else {}


def _audience(value: object) -> str | None:
    if value == 360 and not isinstance(value, bool):
        return "360"
    return value if isinstance(value, str) else None


@dataclass
class _Checker:
    doc: Document
    parent: Instrument | None
    includes: Sequence[tuple[str, Instrument]]
    problems: list[Problem] = field(default_factory=list)
    declared: dict[str, ResponseFormat | None] = field(default_factory=dict)
    inherited: dict[str, tuple[ResponseFormat, str]] = field(default_factory=dict)
    item_formats: dict[str, ResponseFormat] = field(default_factory=dict)

    @property
    def data(self) -> dict[object, object]:
        return _dict(self.doc.data)

    def add(self, location: str, message: str) -> None:
        self.problems.append(self.doc.problem(location, message))

    def line_note(self, location: str) -> str:
        line = self.doc.line_of(location)
        return f"{location}, line {line}" if line else location

    # -- top level ------------------------------------------------------------------

    def top_level(self) -> str | None:
        data = self.data
        name = data.get("name")
        if isinstance(name, str) and not SNAKE_CASE.match(name):
            self.add("name", f"'{name}' is not a valid instrument name: {_SNAKE_HINT}")
        if self.parent is None and not isinstance(data.get("extends"), str):
            for key in ("title", "audience", "description"):
                if key not in data:
                    self.add(key, f"missing key '{key}'")
        audience = _audience(data.get("audience"))
        if self.parent is not None:
            if audience is not None and audience != self.parent.audience:
                self.add(
                    "audience",
                    f"must be '{self.parent.audience}' like '{self.parent.name}', which this "
                    f"instrument extends (or leave it out)",
                )
            audience = self.parent.audience
        for location, inc in self.includes:
            if audience is not None and inc.audience != audience:
                self.add(
                    location,
                    f"'{inc.name}' is a {inc.audience} instrument; a {audience} instrument can "
                    f"only include {audience} instruments",
                )
        remove = _list(data.get("remove"))
        if remove and not isinstance(data.get("extends"), str):
            self.add("remove", "'remove' only works together with 'extends'")
        elif self.parent is not None:
            known = {s.name for s in self.parent.scales} | {i.id for i in self.parent.extra_items}
            for j, entry in enumerate(remove):
                if isinstance(entry, str) and entry not in known:
                    self.add(
                        f"remove[{j}]",
                        f"'{self.parent.name}' has no scale or item outside scales called "
                        f"'{entry}'",
                    )
        includes = _list(data.get("include"))
        for j, entry in enumerate(includes):
            if isinstance(entry, str) and includes.index(entry) < j:
                self.add(f"include[{j}]", f"'{entry}' is included twice")
        return audience

    # -- response formats -----------------------------------------------------------

    def formats(self) -> None:
        sources: list[tuple[str, Instrument]] = []
        if self.parent is not None:
            sources.append(("extends", self.parent))
        sources.extend(self.includes)
        for location, inst in sources:
            for inherited_name, inherited_fmt in inst.formats.items():
                earlier = self.inherited.get(inherited_name)
                if earlier is not None and earlier[0] != inherited_fmt:
                    self.add(
                        location,
                        f"response format '{inherited_name}' is defined differently in "
                        f"'{earlier[1]}' and '{inst.name}'",
                    )
                self.inherited.setdefault(inherited_name, (inherited_fmt, inst.name))
        for key, fdata in _dict(self.data.get("response_formats")).items():
            location = f"response_formats.{key}"
            if not isinstance(key, str) or not SNAKE_CASE.match(key):
                self.add(location, f"'{key}' is not a valid format name: {_SNAKE_HINT}")
                continue
            fname = key
            try:
                fmt: ResponseFormat | None = _FORMAT.validate_python(fdata, strict=True)
            except ValidationError:
                fmt = None  # the shape check has reported it
                points = _dict(fdata).get("points")
                if isinstance(points, list) and not 2 <= len(points) <= 11:
                    self.add(f"{location}.points", points_message(len(points)))
            self.declared[fname] = fmt
            if fname in self.inherited and fmt is not None and fmt != self.inherited[fname][0]:
                self.add(
                    location,
                    f"'{self.inherited[fname][1]}' already defines a different response format "
                    f"'{fname}'; give this one another name",
                )

    def known_formats(self) -> list[str]:
        return sorted(set(self.declared) | set(self.inherited) | set(STANDARD_FORMATS))

    def format_ref(self, location: str, fname: object) -> ResponseFormat | None:
        if not isinstance(fname, str):
            return None
        if fname in self.declared:
            return self.declared[fname]
        if fname in self.inherited:
            return self.inherited[fname][0]
        if fname in STANDARD_FORMATS:
            return STANDARD_FORMATS[fname]
        known = self.known_formats()
        close = difflib.get_close_matches(fname, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.add(
            location, f"unknown response format '{fname}'{hint}; known formats: {', '.join(known)}"
        )
        return None

    # -- scales and items -----------------------------------------------------------

    def taken_ids(self) -> tuple[dict[str, str], dict[str, str]]:
        """Item ids and scale names that parent/includes contribute: name -> where."""
        items: dict[str, str] = {}
        scales: dict[str, str] = {}
        data = self.data
        own_scales = {s.get("name") for s in map(_dict, _list(data.get("scales")))}
        own_loose = {i.get("id") for i in map(_dict, _list(data.get("items")))}
        removed = set(filter(lambda x: isinstance(x, str), _list(data.get("remove"))))
        if self.parent is not None:
            p = self.parent
            for s in p.scales:
                if s.name in own_scales or s.name in removed:
                    continue  # replaced or removed
                scales[s.name] = f"'{p.name}'"
                for i in s.items:
                    items[i.id] = f"scale '{s.name}' of '{p.name}'"
            for i in p.extra_items:
                if i.id not in own_loose and i.id not in removed:
                    items[i.id] = f"'{p.name}'"
        for location, inc in self.includes:
            for s in inc.scales:
                if s.name in scales:
                    self.add(
                        location, f"scale '{s.name}' is in both {scales[s.name]} and '{inc.name}'"
                    )
                scales.setdefault(s.name, f"included instrument '{inc.name}'")
            for i in inc.items:
                if i.id in items:
                    self.add(location, f"item '{i.id}' is in both {items[i.id]} and '{inc.name}'")
                items.setdefault(i.id, f"included instrument '{inc.name}'")
        return items, scales

    def own_id(
        self, location: str, item: dict[object, object], seen: dict[str, str], taken: dict[str, str]
    ) -> None:
        item_id = item.get("id")
        if not isinstance(item_id, str):
            return
        if not SNAKE_CASE.match(item_id):
            self.add(f"{location}.id", f"'{item_id}' is not a valid item id: {_SNAKE_HINT}")
        if item_id in seen:
            self.add(
                f"{location}.id",
                f"duplicate item id '{item_id}' (first used at {self.line_note(seen[item_id])})",
            )
        elif item_id in taken:
            self.add(
                f"{location}.id", f"duplicate item id '{item_id}': already in {taken[item_id]}"
            )
        else:
            seen[item_id] = f"{location}.id"

    def self_text(self, location: str, item: dict[object, object], audience: str | None) -> None:
        if audience == "360" and "self_text" not in item:
            self.add(
                location,
                "missing key 'self_text' (a 360° instrument words every item for the "
                "self-rating too)",
            )
        elif audience is not None and audience != "360" and "self_text" in item:
            self.add(f"{location}.self_text", "'self_text' is only used in 360° instruments")

    def record(self, item: dict[object, object], fmt: ResponseFormat | None) -> None:
        item_id = item.get("id")
        if isinstance(item_id, str) and fmt is not None:
            self.item_formats.setdefault(item_id, fmt)

    def scales_and_items(self, audience: str | None) -> set[str]:
        for inst in self.sources():
            for inherited in inst.items:
                self.item_formats[inherited.id] = inst.formats[inherited.format]
        taken_items, taken_scales = self.taken_ids()
        seen_items: dict[str, str] = {}
        seen_scales: dict[str, str] = {}
        for j, scale in enumerate(map(_dict, _list(self.data.get("scales")))):
            sloc = f"scales[{j}]"
            name = scale.get("name")
            if isinstance(name, str):
                if not SNAKE_CASE.match(name):
                    self.add(f"{sloc}.name", f"'{name}' is not a valid scale name: {_SNAKE_HINT}")
                if name in seen_scales:
                    self.add(
                        f"{sloc}.name",
                        f"duplicate scale name '{name}' (first used at "
                        f"{self.line_note(seen_scales[name])})",
                    )
                elif name in taken_scales:
                    self.add(f"{sloc}.name", f"scale '{name}' is already in {taken_scales[name]}")
                else:
                    seen_scales[name] = f"{sloc}.name"
            scale_fmt = self.format_ref(f"{sloc}.format", scale.get("format"))
            scale_ok = True
            if scale_fmt is not None and format_range(scale_fmt) is None:
                scale_ok = False
                self.add(
                    f"{sloc}.format",
                    f"a scale is scored, so it needs an ordinal response format (agreement, "
                    f"likelihood or grade); '{scale.get('format')}' is a {scale_fmt.kind} format",
                )
            reference: tuple[tuple[int, int], str] | None = None
            if scale_fmt is not None and scale_ok:
                rng = format_range(scale_fmt)
                reference = (rng, f"'{scale.get('format')}'") if rng else None
            for k, item in enumerate(map(_dict, _list(scale.get("items")))):
                iloc = f"{sloc}.items[{k}]"
                self.own_id(iloc, item, seen_items, taken_items)
                self.self_text(iloc, item, audience)
                if "format" not in item:
                    self.record(item, scale_fmt)
                    continue
                fmt = self.format_ref(f"{iloc}.format", item.get("format"))
                self.record(item, fmt)
                if fmt is None:
                    continue
                rng = format_range(fmt)
                if rng is None:
                    self.add(
                        f"{iloc}.format",
                        f"an item in a scale needs an ordinal response format (agreement, "
                        f"likelihood or grade); '{item.get('format')}' is a {fmt.kind} format",
                    )
                elif reference is None:
                    reference = (rng, f"'{item.get('format')}'")
                elif rng != reference[0]:
                    lo, hi = reference[0]
                    self.add(
                        f"{iloc}.format",
                        f"'{item.get('format')}' runs {rng[0]}–{rng[1]} but the scale uses "
                        f"{lo}–{hi} ({reference[1]}); all items of a scale need the same range",
                    )
        for j, item in enumerate(map(_dict, _list(self.data.get("items")))):
            iloc = f"items[{j}]"
            self.own_id(iloc, item, seen_items, taken_items)
            self.self_text(iloc, item, audience)
            fmt = self.format_ref(f"{iloc}.format", item.get("format"))
            self.record(item, fmt)
            if item.get("reverse") is True and fmt is not None and not fmt.ordinal:
                self.add(
                    f"{iloc}.reverse",
                    f"reverse keying needs an ordinal response format; '{item.get('format')}' "
                    f"is a {fmt.kind} format",
                )
        return set(taken_items) | set(_own_ids(self.data))

    # -- mirror pairs (this side) ---------------------------------------------------

    def mirror(self, audience: str | None, all_ids: set[str]) -> None:
        if "mirror" not in self.data:
            return
        mirror = _dict(self.data.get("mirror"))
        if audience not in ("employee", "customer"):
            if audience is not None:
                self.add("mirror", "mirror pairs belong in an employee or a customer instrument")
            return
        here = audience
        there = "customer" if here == "employee" else "employee"
        if f"{here}_instrument" in mirror:
            self.add(
                f"mirror.{here}_instrument",
                f"in a {here} instrument the {here} items are this instrument's own; name the "
                f"{there} instrument with '{there}_instrument'",
            )
        if f"{there}_instrument" not in mirror:
            self.add(
                "mirror",
                f"missing key '{there}_instrument' (the {there} instrument that holds the "
                f"{there} item of each pair)",
            )
        paired_here: dict[str, str] = {}
        paired_there: dict[str, str] = {}
        for inst in self.sources():
            for p in inst.mirror_pairs:
                paired_here[getattr(p, f"{here}_item")] = f"'{inst.name}'"
                paired_there[getattr(p, f"{there}_item")] = f"'{inst.name}'"
        for k, pair in enumerate(map(_dict, _list(mirror.get("pairs")))):
            ploc = f"mirror.pairs[{k}]"
            mine, theirs = pair.get(here), pair.get(there)
            if isinstance(mine, str):
                if mine not in all_ids:
                    self.add(
                        f"{ploc}.{here}", f"unknown item '{mine}': this instrument has no such item"
                    )
                elif mine in paired_here:
                    self.add(
                        f"{ploc}.{here}",
                        f"item '{mine}' is already paired (in {paired_here[mine]})",
                    )
                paired_here.setdefault(mine, self.line_note(ploc))
            if isinstance(theirs, str):
                if theirs in paired_there:
                    self.add(
                        f"{ploc}.{there}",
                        f"item '{theirs}' is already paired (in {paired_there[theirs]})",
                    )
                paired_there.setdefault(theirs, self.line_note(ploc))

    def sources(self) -> list[Instrument]:
        out = [self.parent] if self.parent is not None else []
        return out + [inc for _, inc in self.includes]


def _own_ids(data: dict[object, object]) -> list[str]:
    ids = [i.get("id") for i in map(_dict, _list(data.get("items")))]
    for scale in map(_dict, _list(data.get("scales"))):
        ids += [i.get("id") for i in map(_dict, _list(scale.get("items")))]
    return [i for i in ids if isinstance(i, str)]


@dataclass(frozen=True)
class CheckResult:
    """The problems of a document, and the response format of each item found."""

    problems: list[Problem]
    item_formats: dict[str, ResponseFormat]


def check_document(
    doc: Document,
    parent: Instrument | None,
    includes: Sequence[tuple[str, Instrument]],
) -> CheckResult:
    """Every whole-document problem of ``doc``, given its loaded parent and includes.

    ``includes`` pairs each included instrument with its location (``include[2]``).
    ``item_formats`` (item id -> format, where it could be told) lets mirror pairs be
    checked even when the document has other problems.
    """
    if not isinstance(doc.data, dict):
        return CheckResult([], {})
    checker = _Checker(doc, parent, includes)
    audience = checker.top_level()
    checker.formats()
    all_ids = checker.scales_and_items(audience)
    checker.mirror(audience, all_ids)
    return CheckResult(checker.problems, checker.item_formats)


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
    mirror = _dict(_dict(doc.data).get("mirror"))
    if audience not in ("employee", "customer") or not mirror:
        return []
    here = audience
    there = "customer" if here == "employee" else "employee"
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
    for k, pair in enumerate(map(_dict, _list(mirror.get("pairs")))):
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
