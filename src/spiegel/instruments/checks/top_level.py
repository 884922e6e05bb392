"""Checks of a document's top-level keys: name, audience, ``extends``, ``remove``, ``include``."""

from __future__ import annotations

from spiegel.instruments.checks.context import (
    SNAKE_CASE,
    SNAKE_HINT,
    Checker,
    as_list,
    audience_of,
)

__all__ = ["check_top_level"]


def check_top_level(c: Checker) -> str | None:
    """Check the top-level keys; return the document's audience (inherited when extending)."""
    data = c.data
    name = data.get("name")
    if isinstance(name, str) and not SNAKE_CASE.match(name):
        c.add("name", f"'{name}' is not a valid instrument name: {SNAKE_HINT}")
    if c.parent is None and not isinstance(data.get("extends"), str):
        for key in ("title", "audience", "description"):
            if key not in data:
                c.add(key, f"missing key '{key}'")
    audience = audience_of(data.get("audience"))
    if c.parent is not None:
        if audience is not None and audience != c.parent.audience:
            c.add(
                "audience",
                f"must be '{c.parent.audience}' like '{c.parent.name}', which this "
                f"instrument extends (or leave it out)",
            )
        audience = c.parent.audience
    for location, inc in c.includes:
        if audience is not None and inc.audience != audience:
            c.add(
                location,
                f"'{inc.name}' is a {inc.audience} instrument; a {audience} instrument can "
                f"only include {audience} instruments",
            )
    remove = as_list(data.get("remove"))
    if remove and not isinstance(data.get("extends"), str):
        c.add("remove", "'remove' only works together with 'extends'")
    elif c.parent is not None:
        known = {s.name for s in c.parent.scales} | {i.id for i in c.parent.extra_items}
        for j, entry in enumerate(remove):
            if isinstance(entry, str) and entry not in known:
                c.add(
                    f"remove[{j}]",
                    f"'{c.parent.name}' has no scale or item outside scales called '{entry}'",
                )
    includes = as_list(data.get("include"))
    for j, entry in enumerate(includes):
        if isinstance(entry, str) and includes.index(entry) < j:
            c.add(f"include[{j}]", f"'{entry}' is included twice")
    return audience
