"""360° feedback: self–other gaps and strengths (hand-computed; R cross-check beside it)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.analysis import self_other_gaps, strengths

# (competency, rater group, value) for "ann"; teamwork has one missing peer rating.
ANN = [
    ("listening", "self", 3), ("listening", "peer", 4), ("listening", "peer", 5),
    ("listening", "manager", 5), ("listening", "customer", 5),
    ("planning", "self", 4), ("planning", "peer", 4), ("planning", "peer", 4),
    ("planning", "manager", 4),
    ("coaching", "self", 5), ("coaching", "peer", 3), ("coaching", "peer", 3),
    ("coaching", "manager", 4),
    ("innovation", "self", 4.5), ("innovation", "peer", 4.5), ("innovation", "peer", 4),
    ("innovation", "manager", 5),
    ("feedback", "self", 2), ("feedback", "peer", 2), ("feedback", "peer", 3),
    ("feedback", "manager", 2),
    ("teamwork", "self", 4), ("teamwork", "peer", 4), ("teamwork", "peer", np.nan),
    ("teamwork", "manager", 4),
]  # fmt: skip
BOB = [
    ("planning", "self", 3.2), ("planning", "peer", 3.7),  # gap -0.5 up to rounding
    ("listening", "self", 4.0), ("listening", "peer", 4.4),
    ("coaching", "peer", 4.0),  # no self rating
    ("feedback", "self", 4.0),  # no other ratings
]  # fmt: skip


def _frame(person: str, rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["competency", "rater_group", "value"])
    df.insert(0, "person", person)
    return df.astype({"value": float})


@pytest.fixture
def ratings() -> pd.DataFrame:
    extra = pd.DataFrame(
        {"person": [None], "competency": ["listening"], "rater_group": ["peer"], "value": [1.0]}
    )
    return pd.concat([_frame("ann", ANN), _frame("bob", BOB), extra], ignore_index=True)


def test_hand_computed_scores(ratings: pd.DataFrame) -> None:
    res = self_other_gaps(ratings)
    ann = res[res["person"] == "ann"].set_index("competency")
    # Strengths first: sorted by others' mean, ties in order of appearance.
    assert list(ann.index) == [
        "listening", "innovation", "planning", "teamwork", "coaching", "feedback",
    ]  # fmt: skip
    # listening: self 3; peers (4+5)/2 = 4.5; manager 5; customer 5; others 19/4 = 4.75.
    row = ann.loc["listening"]
    assert row["self"] == 3
    assert row["mean_peer"] == 4.5 and row["n_peer"] == 2
    assert row["mean_manager"] == 5 and row["n_manager"] == 1
    assert row["mean_customer"] == 5 and row["n_customer"] == 1
    assert row["others"] == 4.75 and row["n_others"] == 4
    assert row["gap"] == -1.75
    assert row["gap_peer"] == -1.5 and row["gap_manager"] == -2
    # coaching: others (3+3+4)/3 = 10/3; gap 5 - 10/3 = 5/3.
    assert ann.loc["coaching", "others"] == pytest.approx(10 / 3)
    assert ann.loc["coaching", "gap"] == pytest.approx(5 / 3)
    # feedback: others 7/3.
    assert ann.loc["feedback", "gap"] == pytest.approx(2 - 7 / 3)
    # Competencies without a customer rating have NaN there and n 0.
    assert math.isnan(ann.loc["planning", "mean_customer"])
    assert ann.loc["planning", "n_customer"] == 0
    assert ann["rank_others"].tolist() == [1, 2, 3, 3, 5, 6]
    # R cross-check (r/test_feedback360.R): innovation peer mean 4.25.
    assert ann.loc["innovation", "mean_peer"] == 4.25


def test_labels(ratings: pd.DataFrame) -> None:
    res = self_other_gaps(ratings)
    labels = res.set_index(["person", "competency"])["label"].to_dict()
    assert labels == {
        # Others 0.5+ higher than self: hidden strength (wins over "top third").
        ("ann", "listening"): "hidden strength",
        # Top 2 of 6 both by others (4.75, 4.5) and by self (5, 4.5), gap 0.
        ("ann", "innovation"): "agreed strength",
        ("ann", "planning"): "aligned",
        ("ann", "teamwork"): "aligned",
        # Self 5 vs others 3.33: blind spot (self in top third, others not).
        ("ann", "coaching"): "blind spot",
        ("ann", "feedback"): "aligned",
        # 3.2 - 3.7 is -0.5000000000000004 or so: the threshold holds up to rounding.
        ("bob", "planning"): "hidden strength",
        # Others: listening 4.4 is bob's best of 3 (top third = 1); self: listening and
        # feedback share the best self score 4 (ties share the better rank).
        ("bob", "listening"): "agreed strength",
        ("bob", "coaching"): "no self rating",
        ("bob", "feedback"): "no other ratings",
    }


def test_threshold_and_self_label() -> None:
    df = _frame("ann", [("a", "zelf", 3.0), ("a", "collega", 4.0)])
    assert self_other_gaps(df, self_label="zelf")["label"].iloc[0] == "hidden strength"
    assert self_other_gaps(df, self_label="zelf", threshold=1.5)["label"].iloc[0] in {
        "agreed strength", "aligned",
    }  # fmt: skip
    # With one competency it is its own top third on both sides.
    assert self_other_gaps(df, self_label="zelf", threshold=1.5)["label"].iloc[0] == (
        "agreed strength"
    )


def test_missing_data_is_reported(ratings: pd.DataFrame) -> None:
    res = self_other_gaps(ratings)
    dropped = res.set_index(["person", "competency"])["n_dropped"]
    assert dropped[("ann", "teamwork")] == 1
    assert dropped.drop(("ann", "teamwork")).eq(0).all()
    assert res.attrs["n_dropped"] == 2  # the NaN value and the row without a person
    # Missing rater group counts too.
    df = _frame("ann", [("a", "self", 3.0), ("a", "peer", 4.0)])
    df.loc[1, "rater_group"] = None
    assert self_other_gaps(df)["n_dropped"].iloc[0] == 1


def test_strengths(ratings: pd.DataFrame) -> None:
    top = strengths(ratings, top=2)
    assert top[top["person"] == "ann"]["competency"].tolist() == ["listening", "innovation"]
    assert top[top["person"] == "ann"]["rank"].tolist() == [1, 2]
    # bob: listening 4.4, coaching 4.0, planning 3.7; feedback has no others and is not ranked.
    assert top[top["person"] == "bob"]["competency"].tolist() == ["listening", "coaching"]
    assert list(top.columns) == [
        "person", "rank", "competency", "others", "n_others", "self", "gap", "label",
    ]  # fmt: skip
    assert top.attrs["n_dropped"] == 2
    assert len(strengths(ratings, top=10).query("person == 'bob'")) == 3


def test_invalid_input(ratings: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'rater'"):
        self_other_gaps(ratings, rater_group="rater")
    with pytest.raises(ValueError, match="must be numeric"):
        self_other_gaps(ratings.assign(value="good"))
    with pytest.raises(ValueError, match="threshold"):
        self_other_gaps(ratings, threshold=-0.1)
    with pytest.raises(ValueError, match="top_share"):
        self_other_gaps(ratings, top_share=0)
    with pytest.raises(ValueError, match="top must be a positive integer"):
        strengths(ratings, top=0)


rating = st.tuples(
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from(["self", "peer", "manager"]),
    st.integers(1, 5),
)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(rating, min_size=1, max_size=30),
       threshold=st.sampled_from([0.25, 0.5, 1.0]))  # fmt: skip
def test_labels_consistent_with_gap(rows: list[tuple[str, str, float]], threshold: float) -> None:
    res = self_other_gaps(_frame("p", rows), threshold=threshold)
    for _, row in res.iterrows():
        if row["label"] == "hidden strength":
            assert row["gap"] <= -threshold + 1e-9
        elif row["label"] == "blind spot":
            assert row["gap"] >= threshold - 1e-9
        elif row["label"] in {"agreed strength", "aligned"}:
            assert abs(row["gap"]) < threshold + 1e-9
        elif row["label"] == "no self rating":
            assert math.isnan(row["self"])
        else:
            assert math.isnan(row["others"])
    # Strengths first: others' means never increase down the table.
    others = res["others"].dropna().to_numpy()
    assert (np.diff(others) <= 1e-12).all()
    assert res["n_others"].sum() == sum(1 for r in rows if r[1] != "self")
