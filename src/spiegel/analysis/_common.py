"""Shared input checks for the analysis functions.

Every public analysis function validates its input with these helpers so that the
messages read the same everywhere, and reports how many rows it left out for missing
data instead of dropping them silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def require_columns(data: pd.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    """Raise ``ValueError`` naming every column of ``columns`` missing from ``data``."""
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what} has no column(s) {', '.join(map(repr, missing))}; "
            f"available: {', '.join(map(str, data.columns))}"
        )


def require_numeric(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    """Raise ``ValueError`` when a column of ``columns`` is not numeric."""
    bad = [c for c in columns if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ValueError(f"{what}: column(s) {', '.join(map(repr, bad))} must be numeric")


def drop_incomplete(data: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """Rows of ``data`` complete on ``columns``, and how many rows were left out."""
    mask = data[list(columns)].notna().all(axis=1)
    kept = data.loc[mask]
    return kept, int((~mask).sum())


class InsufficientData(ValueError):
    """Too few usable rows (or groups) for a method: ``minimum`` needed, ``n`` found.

    A ``ValueError``, so callers that catch those keep working; callers that explain
    themselves to people can say exactly how much is missing.
    """

    def __init__(self, what: str, minimum: int, n: int, counted: str = "complete rows") -> None:
        super().__init__(f"{what}: needs at least {minimum} {counted}, got {n}")
        self.minimum = minimum
        self.n = n


def require_min_rows(n: int, minimum: int, what: str) -> None:
    """Raise :class:`InsufficientData` when fewer than ``minimum`` usable rows remain."""
    if n < minimum:
        raise InsufficientData(what, minimum, n)


def as_float_array(values: object, what: str = "values") -> np.ndarray:
    """Convert ``values`` to a 1-d float array or raise ``ValueError``."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be numeric: {exc}") from exc
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {arr.shape}")
    return arr


def check_level(level: float, what: str = "level") -> float:
    """The confidence level as a float, or ``ValueError`` unless ``0 < level < 1``."""
    if isinstance(level, bool) or not (isinstance(level, int | float) and 0 < level < 1):
        raise ValueError(f"{what}: level must be strictly between 0 and 1, got {level!r}")
    return float(level)


def plain(value: object) -> object:
    """A numpy scalar as the Python scalar it holds (so messages read ``1``, not
    ``np.int64(1)``); anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value
