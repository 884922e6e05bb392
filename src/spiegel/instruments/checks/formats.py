"""Checks of response formats: those the document declares, inherits, and refers to."""

from __future__ import annotations

import difflib

from pydantic import TypeAdapter, ValidationError

from spiegel.instruments.checks.context import SNAKE_CASE, SNAKE_HINT, Checker, as_dict
from spiegel.instruments.formats import ResponseFormat
from spiegel.instruments.model import Instrument
from spiegel.instruments.source import points_message
from spiegel.instruments.standard import STANDARD_FORMATS

__all__ = ["check_formats", "format_ref"]

_FORMAT = TypeAdapter[ResponseFormat](ResponseFormat)


def check_formats(c: Checker) -> None:
    """Collect the inherited and declared formats into ``c``, reporting conflicts."""
    sources: list[tuple[str, Instrument]] = []
    if c.parent is not None:
        sources.append(("extends", c.parent))
    sources.extend(c.includes)
    for location, inst in sources:
        for inherited_name, inherited_fmt in inst.formats.items():
            earlier = c.inherited.get(inherited_name)
            if earlier is not None and earlier[0] != inherited_fmt:
                c.add(
                    location,
                    f"response format '{inherited_name}' is defined differently in "
                    f"'{earlier[1]}' and '{inst.name}'",
                )
            c.inherited.setdefault(inherited_name, (inherited_fmt, inst.name))
    for key, fdata in as_dict(c.data.get("response_formats")).items():
        location = f"response_formats.{key}"
        if not isinstance(key, str) or not SNAKE_CASE.match(key):
            c.add(location, f"'{key}' is not a valid format name: {SNAKE_HINT}")
            continue
        fname = key
        try:
            fmt: ResponseFormat | None = _FORMAT.validate_python(fdata, strict=True)
        except ValidationError:
            fmt = None  # the shape check has reported it
            points = as_dict(fdata).get("points")
            if isinstance(points, list) and not 2 <= len(points) <= 11:
                c.add(f"{location}.points", points_message(len(points)))
        c.declared[fname] = fmt
        if fname in c.inherited and fmt is not None and fmt != c.inherited[fname][0]:
            c.add(
                location,
                f"'{c.inherited[fname][1]}' already defines a different response format "
                f"'{fname}'; give this one another name",
            )


def format_ref(c: Checker, location: str, fname: object) -> ResponseFormat | None:
    """The format ``fname`` names (declared, inherited or standard), after
    :func:`check_formats`; an unknown name is reported with the closest known one."""
    if not isinstance(fname, str):
        return None
    if fname in c.declared:
        return c.declared[fname]
    if fname in c.inherited:
        return c.inherited[fname][0]
    if fname in STANDARD_FORMATS:
        return STANDARD_FORMATS[fname]
    known = sorted(set(c.declared) | set(c.inherited) | set(STANDARD_FORMATS))
    close = difflib.get_close_matches(fname, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    c.add(location, f"unknown response format '{fname}'{hint}; known formats: {', '.join(known)}")
    return None
