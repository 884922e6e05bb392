"""The JSON depth scan of :mod:`spiegel.web.limits` agrees with the parsed depth for every
JSON document, brackets, quotes and backslashes inside strings included."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.web.limits import json_too_deep

# Text mostly of what a scanner could mistake for structure.
TEXT = st.text(st.sampled_from('[]{}"\\,: aé\n') | st.characters(), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=40,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=500)
@given(DOCUMENTS, st.integers(min_value=0, max_value=6), st.booleans())
def test_the_scan_finds_the_depth_of_every_document(
    value: object, limit: int, ascii_only: bool
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert json_too_deep(text, limit) == (_depth(value) > limit)


def test_brackets_in_strings_do_not_count() -> None:
    text = json.dumps({"a": '[[[[{{{{\\"[[[', "b": ['"]]]]', "\\"]})
    assert not json_too_deep(text, 2)
    assert json_too_deep(text, 1)
