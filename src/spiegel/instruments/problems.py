"""Problems found in an instrument file, and the error that carries them.

Validation collects every problem it finds (pandera-style) instead of stopping at the
first, so a person editing a file sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an instrument file.

    Attributes
    ----------
    file:
        The file the problem is in (a path, or ``builtin:NAME`` style text).
    location:
        Where in the document, as a path such as ``scales[2].items[0].text.en``;
        empty for the document as a whole.
    message:
        What is wrong, in plain words.
    line:
        1-based line number in the file when known, else ``None``.
    """

    file: str
    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.location or '(document)'}: {self.message}"


class InstrumentError(ValueError):
    """An instrument could not be loaded; ``problems`` lists every reason.

    It is a ``ValueError`` so callers that handle invalid input generically still
    catch it.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in instrument definition"
        super().__init__("\n".join([head + ":", *(f"  {p}" for p in self.problems)]))
