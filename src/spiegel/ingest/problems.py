"""Problems found in an import file, collected all at once (pandera-style).

Every check adds what it finds to a :class:`Problems` list instead of stopping; at the end
of validation :meth:`Problems.raise_if_any` raises :class:`ImportErrors` carrying the whole
list. Row numbers are the ones a person sees in a spreadsheet: the header is row 1, the
first data row is row 2. File-level problems (a missing column, an unreadable file) have
no row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_SAMPLES_PER_CHECK = 100_000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file: where it is, what was there, and why it is refused."""

    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        value = f" value {self.value!r}:" if self.value not in (None, "") else ""
        prefix = ", ".join(where)
        return f"{prefix}:{value} {self.reason}" if prefix else f"{value} {self.reason}".strip()


class ImportErrors(ValueError):
    """The file has problems; nothing was imported. ``problems`` lists every one."""

    def __init__(
        self, problems: list[Problem], filename: str = "", notes: list[str] | None = None
    ) -> None:
        self.problems = sorted(problems, key=_sort_key)
        self.filename = filename
        self.notes = list(notes or [])  # what was detected about the file
        n = len(self.problems)
        head = f"{filename}: " if filename else ""
        first = f"; first: {self.problems[0]}" if self.problems else ""
        super().__init__(f"{head}{n} problem{'s' if n != 1 else ''} found, nothing imported{first}")

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table with columns row, column, value, reason."""
        return pd.DataFrame(
            {
                "row": pd.array([p.row for p in self.problems], dtype="Int64"),
                "column": pd.Series([p.column for p in self.problems], dtype="str"),
                "value": pd.Series([p.value for p in self.problems], dtype="str"),
                "reason": pd.Series([p.reason for p in self.problems], dtype="str"),
            }
        )


def _sort_key(p: Problem) -> tuple[int, int, str, str]:
    # File-level problems first, then by row, then column.
    return (0 if p.row is None else 1, p.row or 0, p.column or "", p.reason)


@dataclass
class Problems:
    """A growing list of problems; checks add to it and never raise."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        reason: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.items.append(Problem(row, column, _text(value), reason))

    def add_rows(
        self,
        mask: np.ndarray | pd.Series,
        rows: np.ndarray,
        column: str | None,
        values: pd.Series | np.ndarray | None,
        reason: str | Iterable[str],
    ) -> int:
        """Add one problem per row where ``mask`` is true; returns how many.

        ``reason`` is one message for all rows, or an iterable of messages aligned with the
        masked rows. Only the flagged rows are touched in Python, so a clean column of a
        million rows costs one vectorised mask.
        """
        flags = np.asarray(mask, dtype=bool)
        idx = np.flatnonzero(flags)
        if idx.size == 0:
            return 0
        idx = idx[:MAX_SAMPLES_PER_CHECK]
        vals: list[object]
        if values is None:
            vals = [None] * idx.size
        else:
            arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
            vals = list(np.asarray(arr, dtype=object)[idx])
        reasons = [reason] * idx.size if isinstance(reason, str) else list(reason)
        for i, v, r in zip(idx, vals, reasons, strict=False):
            self.items.append(Problem(int(rows[i]), column, _text(v), r))
        return int(flags.sum())

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, filename: str = "") -> None:
        if self.items:
            raise ImportErrors(self.items, filename)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if value is pd.NA:
        return ""
    return str(value)
