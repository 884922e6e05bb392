"""The column data :func:`~spiegel.store.bulk.insert_rows` takes (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

Progress = Callable[[int], None]
"""Called with the number of rows written after each chunk."""


@dataclass(frozen=True)
class PackedFloats:
    """A float matrix whose rows go into a binary column, one packed vector per row."""

    matrix: np.ndarray

    def __len__(self) -> int:
        return int(self.matrix.shape[0])


Scalar: TypeAlias = str | int | float | bool | dt.datetime | dt.date | None
ColumnData: TypeAlias = np.ndarray | pd.Series | pa.Array | pa.ChunkedArray | PackedFloats | Scalar


def is_vector(data: object) -> bool:
    """Whether ``data`` holds one value per row (else one value repeated on every row)."""
    return isinstance(data, np.ndarray | pd.Series | pa.Array | pa.ChunkedArray | PackedFloats)


def chunks(n_rows: int, chunk_rows: int, progress: Progress | None) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of each chunk of rows; ``progress`` hears of each once it is written
    (when the next one is asked for)."""
    for start in range(0, n_rows, chunk_rows):
        stop = min(start + chunk_rows, n_rows)
        yield start, stop
        if progress is not None:
            progress(stop - start)
