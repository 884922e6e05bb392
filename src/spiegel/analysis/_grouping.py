"""Integer group codes and per-group moments, vectorised with ``numpy.bincount``.

Shared by the agreement and aggregation modules; no Python loop over groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["compact_codes", "group_codes", "group_moments"]


def group_codes(groups: object, n: int, what: str = "groups") -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 = missing) and labels of ``groups``.

    Labels are sorted, except for a categorical, whose category order is kept. Labels
    may include groups without rows (unused categories, gaps in an integer range): the
    callers drop groups whose count is zero.
    """
    if isinstance(groups, pd.Series) and isinstance(groups.dtype, pd.CategoricalDtype):
        if len(groups) != n:
            raise ValueError(f"{what} has {len(groups)} entries, values have {n}")
        codes = groups.cat.codes.to_numpy().astype(np.intp, copy=False)
        return codes, pd.Index(groups.cat.categories)
    if isinstance(groups, pd.Series | pd.Index):
        arr = groups.to_numpy()
    elif isinstance(groups, np.ndarray):
        arr = groups
    else:
        arr = np.asarray(groups, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional")
    if len(arr) != n:
        raise ValueError(f"{what} has {len(arr)} entries, values have {n}")
    if arr.dtype.kind in "iu" and len(arr):
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo < max(2 * n, 1_000_000):
            # Dense integer ids (unit ids): the offset is the code, no hashing needed.
            codes = np.subtract(arr, lo, dtype=np.intp)
            return codes, pd.Index(np.arange(lo, hi + 1, dtype=np.int64))
    codes, uniques = pd.factorize(arr, sort=True)
    return np.asarray(codes, dtype=np.intp), pd.Index(uniques)


def group_moments(
    x: np.ndarray, codes: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group n, mean and sum of squared deviations (two-pass, no Python loop)."""
    n = np.bincount(codes, minlength=k)
    sums = np.bincount(codes, weights=x, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / n
    dev = x - mean[codes]
    ss = np.bincount(codes, weights=dev * dev, minlength=k)
    return n, mean, ss


def compact_codes(codes: np.ndarray, labels: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Renumber codes so that only groups that still have rows remain (O(N), sorted)."""
    present = np.bincount(codes, minlength=len(labels)) > 0
    if present.all():
        return codes, labels
    remap = np.cumsum(present) - 1
    return remap[codes].astype(np.intp), labels[present]
