"""The demo's survey waves: half-year labels (``2025-H1``, ...) and their dates."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

__all__ = ["wave_dates", "wave_frame", "wave_labels"]

_WAVE = re.compile(r"^(\d{4})-H([12])$")


def wave_labels(first: str, n: int) -> tuple[str, ...]:
    """``n`` half-year labels from ``first`` on: ``2025-H1``, ``2025-H2``, ``2026-H1``, ..."""
    match = _WAVE.match(first)
    if match is None:
        raise ValueError(f"first_wave must look like '2025-H1', got {first!r}")
    if n < 2:
        raise ValueError(f"waves must be at least 2 (the linkage is lagged), got {n}")
    year, half = int(match.group(1)), int(match.group(2)) - 1
    out = []
    for k in range(n):
        y, h = divmod(year * 2 + half + k, 2)
        out.append(f"{y}-H{h + 1}")
    return tuple(out)


def wave_dates(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the half year ``label`` (``2025-H2``: 1 July–31 December)."""
    year, half = int(label[:4]), int(label[-1])
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def wave_frame(labels: tuple[str, ...]) -> pd.DataFrame:
    """The waves as :attr:`DemoData.waves <spiegel.demo.data.DemoData>` holds them:
    ``name``, ``starts_on``, ``ends_on``."""
    return pd.DataFrame(
        {
            "name": labels,
            "starts_on": [wave_dates(w)[0] for w in labels],
            "ends_on": [wave_dates(w)[1] for w in labels],
        }
    )
