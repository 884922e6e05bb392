"""Submitting a questionnaire: the saved answers (and any sent along) become a response.

* :func:`submit` is the general path, on every database: through a personal link, or a
  location link with answers saved page by page in this browser. In one transaction the
  link or draft is marked submitted and the response inserted.
* :class:`FastLane` is the fast lane for the commonest case at volume: a customer
  sending a whole questionnaire in one request through a location link, with nothing
  saved before. On PostgreSQL that is one prepared statement on an asyncio connection
  (:func:`spiegel.store.responses.insert_if_open`). It answers ``None`` whenever the
  general path must decide (a personal link, invalid answers, a survey that is not open),
  so every message a respondent can get comes from one place.

A response copies unit and role group from its link and refers neither to the link nor
to a person.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, Insert, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from spiegel.services.invitations import (
    Link,
    LinkNotFound,
    anonymous_draft_row,
    checked_values,
    locked_personal_draft,
    merge_draft,
    resolve_link,
    today_utc,
    token_hash,
)
from spiegel.services.questionnaire import Answer, check_answers, pack_answers
from spiegel.store.models import AnonymousDraft, Invitation, Response, TextAnswer
from spiegel.store.responses import Inserted, insert_if_open

__all__ = [
    "SUBMISSION_KEY_LENGTH",
    "FastLane",
    "SubmitOutcome",
    "already_stored",
    "submission_external_id",
    "submit",
    "valid_submission_key",
]


class SubmitOutcome(enum.StrEnum):
    """What a submit did."""

    SUBMITTED = "submitted"
    ALREADY_SUBMITTED = "already_submitted"
    NOTHING_TO_SUBMIT = "nothing_to_submit"


SUBMISSION_KEY_LENGTH = (16, 128)
"""Allowed length of a client's submission key (see :func:`submit`)."""


def valid_submission_key(key: str | None) -> bool:
    """Whether ``key`` is absent or of an allowed length (:data:`SUBMISSION_KEY_LENGTH`)."""
    return key is None or SUBMISSION_KEY_LENGTH[0] <= len(key) <= SUBMISSION_KEY_LENGTH[1]


def submission_external_id(invitation_id: int, submission_key: str) -> str:
    """The response id a keyed submission through link ``invitation_id`` gets: the same
    for a retry with the same key, and unrelated to the key itself."""
    digest = hashlib.sha256(f"{invitation_id}|{submission_key}".encode()).hexdigest()
    return f"web-k{digest[:32]}"


def already_stored(session: Session, link: Link, submission_key: str) -> bool:
    """Whether a submission with ``submission_key`` through ``link`` is stored already (so
    a request with that key is a retry)."""
    external_id = submission_external_id(link.invitation_id, submission_key)
    found = session.scalar(
        select(Response.id).where(
            Response.survey_id == link.survey.id, Response.external_id == external_id
        )
    )
    return found is not None


def submit(
    session: Session,
    link: Link,
    draft_key: str | None = None,
    answers: Mapping[str, Answer | None] | None = None,
    submission_key: str | None = None,
) -> SubmitOutcome:
    """Turn the saved answers into a response, once. Commits.

    ``answers`` (checked values; ``None`` clears an item) are merged into the saved ones
    first, so a client may also send a whole questionnaire in this one call.

    In one transaction the link (or anonymous draft) is marked submitted by a conditional
    update (``... WHERE submitted_at IS NULL``) and the response is inserted; when the
    update changes no row, someone already submitted and nothing is written. A double
    click or a retry therefore gives ``ALREADY_SUBMITTED``, never a second response.

    A location link's submission without a saved draft has nothing to mark. There the
    client's ``submission_key`` (random, the same on every retry of one submission) names
    the response (:func:`submission_external_id`), and the unique respondent id of a
    survey turns a retry into ``ALREADY_SUBMITTED``. Without a key every call is a new
    respondent.
    """
    link.require_open()
    if not valid_submission_key(submission_key):
        raise ValueError(
            f"a submission key has {SUBMISSION_KEY_LENGTH[0]} to {SUBMISSION_KEY_LENGTH[1]} "
            "characters"
        )
    values = checked_values(link, dict(answers or {}))
    mark = None
    external_id = f"web-{secrets.token_hex(12)}"
    if link.personal:
        saved, submitted = locked_personal_draft(session, link)
        if submitted:
            session.rollback()
            return SubmitOutcome.ALREADY_SUBMITTED
        submitted_at = today_utc()
        mark = (
            update(Invitation)
            .where(Invitation.id == link.invitation_id, Invitation.submitted_at.is_(None))
            .values(submitted_at=submitted_at, draft=None)
        )
    else:
        row = anonymous_draft_row(session, link, draft_key, lock=True) if draft_key else None
        submitted_at = dt.datetime.now(dt.UTC)
        if row is None:
            saved = None
            if submission_key is not None:
                external_id = submission_external_id(link.invitation_id, submission_key)
        elif row.submitted_at is not None:
            session.rollback()
            return SubmitOutcome.ALREADY_SUBMITTED
        else:
            saved = row.answers
            mark = (
                update(AnonymousDraft)
                .where(AnonymousDraft.id == row.id, AnonymousDraft.submitted_at.is_(None))
                .values(submitted_at=submitted_at, answers=None, updated_at=submitted_at)
            )
    merged = merge_draft(saved, values, 1)["answers"]
    assert isinstance(merged, dict)
    kept = {k: v for k, v in merged.items() if link.instrument.has_item(k)}
    if not kept:
        session.rollback()
        return SubmitOutcome.NOTHING_TO_SUBMIT
    packed = pack_answers(link.instrument, link.item_order, kept)
    connection = session.connection()
    if mark is not None and connection.execute(mark).rowcount != 1:
        session.rollback()
        return SubmitOutcome.ALREADY_SUBMITTED
    response_id = connection.execute(
        _insert_response(connection.dialect.name),
        {
            "survey_id": link.survey.id,
            "unit_id": link.unit_id,
            "role_group": link.role_group,
            "external_id": external_id,
            "submitted_at": submitted_at,
            "numeric_answers": packed.numeric,
        },
    ).scalar()
    if response_id is None:
        # Only a keyed submission can meet its own id: a retry of one already stored.
        session.rollback()
        return SubmitOutcome.ALREADY_SUBMITTED
    if packed.texts:
        connection.execute(
            insert(TextAnswer),
            [
                {"response_id": response_id, "item_id": item_id, "text": text}
                for item_id, text in packed.texts.items()
            ],
        )
    session.commit()
    return SubmitOutcome.SUBMITTED


def _insert_response(dialect: str) -> Insert:
    """``INSERT INTO response ... ON CONFLICT (survey_id, external_id) DO NOTHING
    RETURNING id`` for ``dialect``: no id comes back when the respondent id is taken."""
    statement = _INSERT_RESPONSE.get(dialect)
    if statement is None:
        make = sqlite_insert if dialect == "sqlite" else postgresql_insert
        statement = (
            make(Response)
            .on_conflict_do_nothing(index_elements=["survey_id", "external_id"])
            .returning(Response.id)
        )
        _INSERT_RESPONSE[dialect] = statement
    return statement


_INSERT_RESPONSE: dict[str, Insert] = {}


# --------------------------------------------------------------------------- fast lane


class FastLane:
    """Whole questionnaires sent in one request through a location link, on PostgreSQL.

    The lane has its own small pool of asyncio psycopg connections in autocommit mode, so
    a submission costs the event loop one round trip of a prepared statement and no
    thread. What never changes about a link (its survey, unit and questionnaire, fixed
    when it was issued) is remembered per token; whether the survey is open is read by
    the insert itself. Make it with :meth:`open_for` inside the running event loop, and
    :meth:`close` it there.
    """

    POOL_SIZE = 8
    CACHED_LINKS = 4096

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            conninfo,
            min_size=self.POOL_SIZE,
            max_size=self.POOL_SIZE,
            max_lifetime=1800,
            kwargs={"autocommit": True},
            open=False,
            name="spiegel-fast-lane",
        )
        self._links: OrderedDict[str, Link] = OrderedDict()

    @classmethod
    async def open_for(cls, engine: Engine) -> FastLane | None:
        """A lane beside ``engine``, open; ``None`` when it is not PostgreSQL."""
        if engine.dialect.name != "postgresql":
            return None
        lane = cls(engine)
        await lane._pool.open()
        return lane

    async def close(self) -> None:
        """Close the lane's connections."""
        await self._pool.close()

    def _resolve(self, token: str) -> Link | None:
        with Session(self._engine) as session:
            try:
                return resolve_link(session, token)
            except LinkNotFound:
                return None

    async def _link(
        self, token: str, db_slot: AbstractAsyncContextManager[object] | None
    ) -> Link | None:
        """The link of ``token``, from the cache when seen before. Only what never
        changes about a link is used from it (not its survey's state, nor ``submitted``,
        which only personal links have and this lane leaves alone)."""
        if not token or len(token) > 200:
            return None
        key = token_hash(token)
        link = self._links.get(key)
        if link is not None:
            self._links.move_to_end(key)
            return link
        async with db_slot or nullcontext():
            link = await run_in_threadpool(self._resolve, token)
        if link is not None:
            self._links[key] = link
            while len(self._links) > self.CACHED_LINKS:
                self._links.popitem(last=False)
        return link

    async def submit(
        self,
        token: str,
        answers: Mapping[str, object],
        submission_key: str | None = None,
        db_slot: AbstractAsyncContextManager[object] | None = None,
    ) -> SubmitOutcome | None:
        """Store a whole questionnaire sent through location link ``token``.

        ``answers`` are raw values by item id (other keys are ignored). Returns
        ``SUBMITTED``, or ``ALREADY_SUBMITTED`` for a retry with the same
        ``submission_key``; ``None`` when :func:`submit` must decide: an unknown or
        personal link, no answers or an invalid one, a bad key, or a survey that takes no
        answers now. A link not seen before is read through the application's engine
        while holding ``db_slot`` (see :func:`spiegel.web.deps.db_slot`).
        """
        if not valid_submission_key(submission_key):
            return None
        link = await self._link(token, db_slot)
        if link is None or link.personal:
            return None
        given = [i.id for i in link.instrument.items if i.id in answers]
        checked = check_answers(link.instrument, given, answers)
        if checked.problems or not any(v is not None for v in checked.values.values()):
            return None
        packed = pack_answers(link.instrument, link.item_order, checked.values, checked)
        external_id = (
            submission_external_id(link.invitation_id, submission_key)
            if submission_key is not None
            else f"web-{secrets.token_hex(12)}"
        )
        async with self._pool.connection() as connection:
            done = await insert_if_open(
                connection,
                link.survey.id,
                link.unit_id,
                external_id,
                packed.numeric,
                packed.texts,
                dt.datetime.now(dt.UTC),
            )
        if done == Inserted.NOT_OPEN:
            return None
        if done == Inserted.STORED:
            return SubmitOutcome.SUBMITTED
        return SubmitOutcome.ALREADY_SUBMITTED
