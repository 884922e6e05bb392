"""What the whole-document checks share: the raw data readers and the checker's state.

The checks read the raw YAML data defensively (:func:`as_list`, :func:`as_dict`), so
they still run when other parts of the file have shape errors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spiegel.instruments.formats import ResponseFormat
from spiegel.instruments.model import Instrument
from spiegel.instruments.problems import Problem
from spiegel.instruments.source import Document

__all__ = ["SNAKE_CASE", "SNAKE_HINT", "Checker", "as_dict", "as_list", "audience_of"]

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
"""Names and ids: lower-case letters and digits in words joined by single underscores."""

SNAKE_HINT = "use lower-case letters, digits and single underscores, starting with a letter"


def as_list(value: object) -> list[object]:
    """``value`` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def as_dict(value: object) -> dict[object, object]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def audience_of(value: object) -> str | None:
    """The audience a document's ``audience`` names (YAML reads ``360`` as a number)."""
    if value == 360 and not isinstance(value, bool):
        return "360"
    return value if isinstance(value, str) else None


@dataclass
class Checker:
    """One document being checked, with its loaded parent and includes.

    The checks add to ``problems``; :mod:`~spiegel.instruments.checks.formats` fills
    ``declared`` and ``inherited``, :mod:`~spiegel.instruments.checks.items` fills
    ``item_formats`` (item id -> format, where it could be told).
    """

    doc: Document
    parent: Instrument | None
    includes: Sequence[tuple[str, Instrument]]
    problems: list[Problem] = field(default_factory=list)
    declared: dict[str, ResponseFormat | None] = field(default_factory=dict)
    inherited: dict[str, tuple[ResponseFormat, str]] = field(default_factory=dict)
    item_formats: dict[str, ResponseFormat] = field(default_factory=dict)

    @property
    def data(self) -> dict[object, object]:
        """The document's top-level mapping (empty when it is not one)."""
        return as_dict(self.doc.data)

    def add(self, location: str, message: str) -> None:
        """Report a problem at ``location``."""
        self.problems.append(self.doc.problem(location, message))

    def line_note(self, location: str) -> str:
        """``location`` with its line number, when known."""
        line = self.doc.line_of(location)
        return f"{location}, line {line}" if line else location

    def sources(self) -> list[Instrument]:
        """The parent (if any) followed by the included instruments."""
        out = [self.parent] if self.parent is not None else []
        return out + [inc for _, inc in self.includes]
