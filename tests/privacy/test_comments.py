"""Open comments: the comment minimum, order, metadata, and set-based differencing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from spiegel.privacy import (
    CellKey,
    PrivacySettings,
    ReasonCode,
    VisibleCell,
    protect,
    protect_comments,
)
from tests.privacy.helpers import build

S = PrivacySettings()  # comments from 10 respondents


@dataclass
class Submitted:
    text: str
    submitted_at: str
    respondent: str


COMMENTS = [
    Submitted("More time for the children, please.", "2026-03-01T08:00", "r1"),
    Submitted("  Great team spirit  ", "2026-03-01T09:30", "r2"),
    Submitted("The new roster is hard to follow.", "2026-03-02T14:10", "r3"),
    Submitted("", "2026-03-03T10:00", "r4"),
    Submitted("Clear goals this year.", "2026-03-04T16:45", "r5"),
]


def test_no_comments_below_the_comment_minimum() -> None:
    out = protect_comments(COMMENTS, 9, S, seed="team-b")
    assert not out.visible and out.texts == ()
    assert out.reason() == "comments are shown only for groups of at least 10 respondents"
    assert out.reason("nl") == "opmerkingen worden pas getoond vanaf 10 respondenten"
    # Scores may show from 5, comments not: the comment minimum is separate.
    assert not protect_comments(COMMENTS, 5, S, seed="team-b").visible


def test_comments_keep_only_the_text() -> None:
    out = protect_comments(COMMENTS, 10, S, seed="team-b")
    assert out.visible and out.reason() is None
    assert sorted(out.texts) == sorted(
        [
            "More time for the children, please.",
            "Great team spirit",
            "The new roster is hard to follow.",
            "Clear goals this year.",
        ]
    )
    assert all(isinstance(t, str) for t in out.texts)
    mapping = [{"text": c.text, "respondent": c.respondent} for c in COMMENTS]
    assert protect_comments(mapping, 10, S, seed="team-b").texts == out.texts


def test_order_ignores_submission_time_and_is_stable_per_group() -> None:
    first = protect_comments(COMMENTS, 12, S, seed="team-b").texts
    again = protect_comments(list(reversed(COMMENTS)), 12, S, seed="team-b").texts
    assert first == again  # the input order (submission time) plays no part
    orders = {protect_comments(COMMENTS, 12, S, seed=f"team-{i}").texts for i in range(20)}
    assert len(orders) > 5  # each group has its own order
    by_time = tuple(c.text.strip() for c in COMMENTS if c.text.strip())
    assert sum(o == by_time for o in orders) <= 1


def test_comments_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="group_n"):
        protect_comments(COMMENTS, -1, S, seed=1)
    with pytest.raises(ValueError, match="not one string"):
        protect_comments("text", 12, S, seed=1)
    with pytest.raises(ValueError, match="comment 0"):
        protect_comments([{"body": "x"}], 12, S, seed=1)


def test_comment_groups_cannot_be_intersected() -> None:
    """Texts can be matched between groups, so intersections count as well as differences.

    Team T (12: 3 front office, 9 back office) and "front office at location L" (15) may
    each show comments; the comments in both lists are those of T's three front-office
    people. A sum-based check would allow both; the comment check does not.
    """
    parents = {"L": None, "T": "L", "U": "L"}
    micro = [
        ("T", "w1", "front", 3, 0.0),
        ("T", "w1", "back", 9, 0.0),
        ("U", "w1", "front", 12, 0.0),
    ]
    cells = [("T", "w1", None), ("L", "w1", "front")]
    scores = protect(build(parents, micro, cells, ("role_group",)), S)
    assert scores.summary.n_hidden == 0  # numbers cannot be intersected
    comments = protect(build(parents, micro, cells, ("role_group",), kind="comments"), S)
    assert comments.summary.n_complementary == 1
    assert comments.summary.minimum == 10
    (hidden,) = comments.hidden()
    assert hidden.reason_code is ReasonCode.COMPLEMENTARY
    assert hidden.key == CellKey("T", "w1")  # the smaller of the two (12 < 15)
    assert "fewer than 10 respondents in L" in hidden.reason()
    shown = comments[CellKey("L", "w1", (("role_group", "front"),))]
    assert isinstance(shown, VisibleCell)


def test_comment_groups_below_the_minimum_and_their_differences() -> None:
    parents = {"L": None, "A": "L", "B": "L"}
    micro = [("A", "w1", 12, 0.0), ("B", "w1", 4, 0.0)]
    table = build(parents, micro, [("L", "w1"), ("A", "w1"), ("B", "w1")], kind="comments")
    p = protect(table, S)
    assert p[CellKey("B", "w1")].reason_code is ReasonCode.TOO_FEW  # type: ignore[union-attr]
    # L's comments minus A's are B's four: one of L and A goes.
    assert p.summary.n_complementary == 1


# -- issue 15: masking and equal comments -----------------------------------------------------


def test_personal_details_are_masked() -> None:
    from spiegel.privacy.masking import mask_personal

    assert mask_personal("Bel juf Anna op 06-12345678 of mail anna@kdv.nl") == (
        "Bel juf […] op [tel.] of mail [e-mail]"
    )
    assert mask_personal("Meneer van der Berg, zie www.kdv.nl/x") == "Meneer […], zie [link]"
    assert mask_personal("+31 20 123 4567 / 0031 6 12345678") == "[tel.] / [tel.]"
    assert mask_personal("Mrs. Smith was great") == "Mrs. […] was great"
    # times, years and group numbers are not phone numbers; a title alone is no name
    for text in ("Open van 7.30-18.30", "In 2024 en 2025", "Groep 1-2", "De juf is lief"):
        assert mask_personal(text) == text


def test_equal_comments_are_shown_once_with_their_count() -> None:
    texts = ["Fijne leidsters.", "fijne  leidsters", "Fijne leidsters!", "Te duur", "", "  "]
    out = protect_comments(texts, 12, S, seed="loc-1")
    # the first spelling in sorted order is kept
    assert sorted(zip(out.texts, out.counts, strict=True)) == [
        ("Fijne leidsters!", 3),
        ("Te duur", 1),
    ]
    # the spelling kept does not follow the order given
    again = protect_comments(list(reversed(texts)), 12, S, seed="loc-1")
    assert again == out
    masked = protect_comments(["Mail mij: a@b.nl", "Mail mij: c@d.nl"], 12, S, seed="x")
    assert masked.texts == ("Mail mij: [e-mail]",) and masked.counts == (2,)
