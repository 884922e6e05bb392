"""Answers in progress: load, merge and save the draft behind a survey link.

A personal link keeps its draft in ``Invitation.draft``; on a location link each
respondent's draft is an :class:`~spiegel.store.models.AnonymousDraft` found by the
hash of a random key their browser holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spiegel.services.invitations.links import Link, token_hash
from spiegel.services.questionnaire import Answer, check_answers
from spiegel.store.models import AnonymousDraft, Invitation

__all__ = [
    "EMPTY_DRAFT",
    "SUBMITTED_DRAFT",
    "Draft",
    "anonymous_draft_row",
    "checked_values",
    "load_draft",
    "locked_personal_draft",
    "merge_draft",
    "save_draft",
]


@dataclass(frozen=True)
class Draft:
    """Answers saved so far, the page reached, and whether they were already submitted.

    ``exists`` is false for a location link whose browser holds no (known) draft key.
    """

    answers: dict[str, Answer]
    page: int
    submitted: bool
    exists: bool


EMPTY_DRAFT = Draft(answers={}, page=1, submitted=False, exists=False)
"""No draft: a location link whose browser holds no (known) draft key."""

SUBMITTED_DRAFT = Draft(answers={}, page=1, submitted=True, exists=True)
"""What saving answers to an already submitted draft gives."""


def _draft_from_json(data: dict[str, object] | None, submitted: bool) -> Draft:
    if not data:
        return Draft(answers={}, page=1, submitted=submitted, exists=True)
    raw = data.get("answers")
    answers = {
        str(k): v
        for k, v in (raw.items() if isinstance(raw, dict) else ())
        if isinstance(v, int | str) and not isinstance(v, bool)
    }
    page = data.get("page")
    return Draft(
        answers=answers,
        page=page if isinstance(page, int) and page >= 1 else 1,
        submitted=submitted,
        exists=True,
    )


def anonymous_draft_row(
    session: Session, link: Link, draft_key: str, lock: bool = False
) -> AnonymousDraft | None:
    """The draft of ``link`` (a location link) that the browser's ``draft_key`` names, or
    ``None``; ``lock`` reads it for update."""
    query = select(AnonymousDraft).where(
        AnonymousDraft.key_hash == token_hash(draft_key),
        AnonymousDraft.invitation_id == link.invitation_id,
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def load_draft(session: Session, link: Link, draft_key: str | None = None) -> Draft:
    """The answers saved so far through ``link`` (for a location link: by the browser's
    ``draft_key``)."""
    if link.personal:
        data = session.scalar(select(Invitation.draft).where(Invitation.id == link.invitation_id))
        return _draft_from_json(data, link.submitted)
    if not draft_key:
        return EMPTY_DRAFT
    row = anonymous_draft_row(session, link, draft_key)
    if row is None:
        return EMPTY_DRAFT
    return _draft_from_json(row.answers, row.submitted_at is not None)


def merge_draft(
    saved: dict[str, object] | None, values: dict[str, Answer | None], page: int
) -> dict[str, object]:
    """The saved draft with ``values`` merged in; ``page`` is the furthest page reached."""
    previous = _draft_from_json(saved, False)
    answers: dict[str, object] = dict(previous.answers)
    for item_id, value in values.items():
        if value is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = value
    return {"answers": answers, "page": max(previous.page, page)}


def checked_values(link: Link, values: Mapping[str, object]) -> dict[str, Answer | None]:
    """``values`` checked against the link's questionnaire (``None`` clears an item);
    ``ValueError`` naming every item whose answer is invalid."""
    checked = check_answers(link.instrument, list(values), values)
    if checked.problems:
        raise ValueError(f"invalid answers to: {', '.join(sorted(checked.problems))}")
    return checked.values


def locked_personal_draft(session: Session, link: Link) -> tuple[dict[str, object] | None, bool]:
    """A personal link's saved draft and whether the link was submitted, read for update
    (so that saving and submitting through one link take turns)."""
    current = session.execute(
        select(Invitation.draft, Invitation.submitted_at)
        .where(Invitation.id == link.invitation_id)
        .with_for_update()
    ).one()
    return current.draft, current.submitted_at is not None


def save_draft(
    session: Session,
    link: Link,
    values: dict[str, Answer | None],
    page: int,
    draft_key: str | None = None,
) -> Draft:
    """Merge checked ``values`` into the saved answers (``None`` clears an item) and
    remember ``page``. Commits.

    For a location link ``draft_key`` is required; a key not seen before starts a draft.
    Answers that reach an already submitted draft are not saved (the returned draft says
    ``submitted``). Values are checked again against the questionnaire.
    """
    link.require_open()
    clean = checked_values(link, values)
    if link.personal:
        saved, submitted = locked_personal_draft(session, link)
        if submitted:
            session.rollback()
            return SUBMITTED_DRAFT
        merged = merge_draft(saved, clean, page)
        session.execute(
            update(Invitation)
            .where(Invitation.id == link.invitation_id, Invitation.submitted_at.is_(None))
            .values(draft=merged)
        )
        session.commit()
        return _draft_from_json(merged, False)
    if not draft_key:
        raise ValueError("a location link needs the browser's draft key to save answers")
    row = anonymous_draft_row(session, link, draft_key, lock=True)
    if row is not None and row.submitted_at is not None:
        session.rollback()
        return SUBMITTED_DRAFT
    merged = merge_draft(row.answers if row is not None else None, clean, page)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        session.add(
            AnonymousDraft(
                invitation_id=link.invitation_id,
                key_hash=token_hash(draft_key),
                answers=merged,
                updated_at=now,
            )
        )
    else:
        session.execute(
            update(AnonymousDraft)
            .where(AnonymousDraft.id == row.id, AnonymousDraft.submitted_at.is_(None))
            .values(answers=merged, updated_at=now)
        )
    session.commit()
    return _draft_from_json(merged, False)
