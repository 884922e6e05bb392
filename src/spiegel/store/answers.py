"""Packing of a response's numeric answers into one binary column.

A response's numbers are a float64 vector (little-endian) in the order of its instrument
version's ``item_order``; NaN marks an unanswered item. Packing a whole matrix at once and
unpacking a wave in one ``numpy.frombuffer`` keeps imports and analyses fast on both
databases. A respondent's one row is packed without numpy, which a survey server then
need not load.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_module("numpy")

DTYPE = "<f8"
"""The numpy type of a packed number: float64, little-endian."""
ITEM_BYTES = 8


def pack_row(values: Sequence[float] | np.ndarray) -> bytes:
    """One response's answers as bytes."""
    return struct.pack(f"<{len(values)}d", *(float(v) for v in values))


def pack_matrix(matrix: np.ndarray) -> list[bytes]:
    """Each row of a (respondents x items) matrix as bytes, in one pass."""
    arr = np.ascontiguousarray(matrix, dtype=DTYPE)
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-d matrix, got shape {arr.shape}")
    width = arr.shape[1] * ITEM_BYTES
    raw = arr.tobytes()
    return [raw[i : i + width] for i in range(0, len(raw), width)] if width else [b""] * len(arr)


def unpack_rows(blobs: Sequence[bytes], n_items: int) -> np.ndarray:
    """A (responses x n_items) float matrix from packed rows.

    Rows packed for an older, shorter item order are padded with NaN.
    """
    if not blobs:
        return np.empty((0, n_items), dtype=float)
    width = n_items * ITEM_BYTES
    if all(len(b) == width for b in blobs):
        return np.frombuffer(b"".join(blobs), dtype=DTYPE).reshape(len(blobs), n_items).copy()
    out = np.full((len(blobs), n_items), np.nan)
    for i, blob in enumerate(blobs):
        row = np.frombuffer(blob, dtype=DTYPE)
        if len(row) > n_items:
            raise ValueError(f"stored response has {len(row)} answers, expected at most {n_items}")
        out[i, : len(row)] = row
    return out
