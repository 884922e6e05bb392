"""Scale scores: reverse keying, mean of answered items, min_share rule, range checks.

Expected values are computed by hand in the comments; tests/analysis/r/test_scoring.R
shows psych::scoreItems agrees.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import ScaleSpec, score_scales

VIGOR = ScaleSpec(items=("v1", "v2", "v3"), reverse=frozenset({"v3"}), min=1, max=5)
GRADE = ScaleSpec(items=("g1", "g2"), reverse=frozenset(), min=0, max=10)


def _responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "v1": [5, 4, np.nan, np.nan, 1],
            "v2": [4, np.nan, np.nan, 3, 1],
            "v3": [1, 2, np.nan, np.nan, 5],
            "g1": [10, 7, 8, np.nan, 0],
            "g2": [9, np.nan, 6, np.nan, 0],
        },
        index=pd.Index(["r1", "r2", "r3", "r4", "r5"], name="respondent"),
    )


def test_reverse_keying_and_mean_of_answered_items() -> None:
    out = score_scales(_responses(), {"vigor": VIGOR, "grade": GRADE})
    assert list(out.columns) == ["vigor", "grade"]
    assert out.index.equals(_responses().index)
    # r1: v3 = 1 reversed -> 1 + 5 - 1 = 5; mean(5, 4, 5) = 14/3
    assert out.loc["r1", "vigor"] == pytest.approx(14 / 3)
    # r2: v1 = 4, v3 = 2 -> 4; mean(4, 4) = 4 (2 of 3 answered >= 0.5 * 3)
    assert out.loc["r2", "vigor"] == pytest.approx(4.0)
    # r3: nothing answered -> NaN; r4: 1 of 3 answered < 1.5 -> NaN
    assert np.isnan(out.loc["r3", "vigor"])
    assert np.isnan(out.loc["r4", "vigor"])
    # r5: 1, 1, 5 -> reversed 1 -> mean(1, 1, 1) = 1
    assert out.loc["r5", "vigor"] == pytest.approx(1.0)
    # grade (no reverse items): r1 9.5, r2 7 (1 of 2 >= 1), r3 7, r4 NaN, r5 0
    np.testing.assert_allclose(out["grade"].to_numpy(), [9.5, 7.0, 7.0, np.nan, 0.0])
    assert out.attrs["n_missing"] == {"vigor": 2, "grade": 1}


def test_min_share_one_requires_all_items() -> None:
    out = score_scales(_responses(), {"vigor": VIGOR}, min_share=1.0)
    # only r1 and r5 answered all three items
    assert out["vigor"].notna().tolist() == [True, False, False, False, True]
    assert out.attrs["n_missing"] == {"vigor": 3}


def test_low_min_share_needs_at_least_one_answer() -> None:
    out = score_scales(_responses(), {"vigor": VIGOR}, min_share=0.01)
    # r4: only v2 = 3 -> 3; r3 stays NaN. Same as psych (tests/analysis/r/test_scoring.R):
    # R: scoreItems(list(vigor = c("v1","v2","-v3")), x, totals = FALSE, impute = "none",
    #               min = 1, max = 5)$scores  -> 4.666667 4 NaN 3 1
    np.testing.assert_allclose(out["vigor"].to_numpy(), [14 / 3, 4.0, np.nan, 3.0, 1.0])
    assert out.loc["r4", "vigor"] == pytest.approx(3.0)
    assert np.isnan(out.loc["r3", "vigor"])
    assert out.attrs["n_missing"] == {"vigor": 1}


def test_instrument_object_with_scale_specs() -> None:
    class Instrument:
        def scale_specs(self) -> Mapping[str, ScaleSpec]:
            return {"grade": GRADE}

    out = score_scales(_responses(), Instrument())
    assert list(out.columns) == ["grade"]


def test_nullable_integer_columns() -> None:
    df = pd.DataFrame({"g1": pd.array([10, None, 2], dtype="Int64"), "g2": [8, 6, 4]})
    out = score_scales(df, {"grade": GRADE})
    np.testing.assert_allclose(out["grade"].to_numpy(), [9.0, 6.0, 3.0])


def test_out_of_range_names_column_and_row() -> None:
    df = _responses()
    df.loc["r2", "v2"] = 6
    with pytest.raises(ValueError, match=r"column 'v2', row 'r2': 6"):
        score_scales(df, {"vigor": VIGOR})


def test_missing_column_and_bad_arguments() -> None:
    with pytest.raises(ValueError, match="v3"):
        score_scales(_responses().drop(columns="v3"), {"vigor": VIGOR})
    with pytest.raises(ValueError, match="min_share"):
        score_scales(_responses(), {"vigor": VIGOR}, min_share=0)
    with pytest.raises(ValueError, match="scale_specs"):
        score_scales(_responses(), ["vigor"])  # type: ignore[arg-type]
    text = _responses().astype({"v1": str})
    with pytest.raises(ValueError, match="numeric"):
        score_scales(text, {"vigor": VIGOR})


def test_scale_spec_validation() -> None:
    with pytest.raises(ValueError, match="not in the scale"):
        ScaleSpec(items=("a", "b"), reverse=frozenset({"c"}), min=1, max=5)
    with pytest.raises(ValueError, match="min < max"):
        ScaleSpec(items=("a",), reverse=frozenset(), min=5, max=1)
    with pytest.raises(ValueError, match="duplicate"):
        ScaleSpec(items=("a", "a"), reverse=frozenset(), min=1, max=5)
    spec = ScaleSpec(items=["a", "b"], reverse={"b"}, min=1, max=5)  # type: ignore[arg-type]
    assert spec.items == ("a", "b") and spec.reverse == frozenset({"b"})


answers = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(answers, answers, answers), min_size=1, max_size=30))
def test_scores_stay_in_range_and_missing_is_counted(rows: list[tuple[int | None, ...]]) -> None:
    df = pd.DataFrame(rows, columns=["v1", "v2", "v3"], dtype=float)
    out = score_scales(df, {"vigor": VIGOR})
    scores = out["vigor"]
    assert ((scores.dropna() >= 1) & (scores.dropna() <= 5)).all()
    assert out.attrs["n_missing"]["vigor"] == int(scores.isna().sum())
    # a row is scored exactly when at least 2 of the 3 items are answered
    assert (scores.notna() == (df.notna().sum(axis=1) >= 2)).all()
