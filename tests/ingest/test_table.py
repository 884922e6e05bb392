"""Cell cleaning shared by the file readers."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from spiegel.ingest.table import clean_strings


@pytest.mark.parametrize(
    "cells",
    [
        ["a", "", "b"],
        ["a", " b", "c "],
        ["x\u00a0", "\u2003y"],  # Unicode spaces from a spreadsheet
        ["Zoë", "", None],
        [None, "", "q"],
        ["", ""],
        [],
    ],
)
def test_clean_strings_trims_like_arrow_and_nulls_empty_cells(cells: list[str | None]) -> None:
    def reference(values: pa.Array | pa.ChunkedArray) -> list[str | None]:
        trimmed = pc.utf8_trim_whitespace(pc.cast(values, pa.large_string()))
        return [None if v == "" else v for v in trimmed.to_pylist()]

    plain = pa.array(cells, type=pa.string())
    sliced = pa.array(["pad", " pad", *cells], type=pa.large_string()).slice(2)
    chunked = pa.chunked_array([plain, plain])
    for values in (plain, sliced, chunked):
        assert clean_strings(values).to_pylist() == reference(values)
