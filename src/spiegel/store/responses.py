"""Storing one web response in a single statement (PostgreSQL).

A customer who scans the code at the entrance sends the whole questionnaire at once; at
the end of a busy afternoon thousands do. :func:`insert_if_open` stores such a response
and its open answers in one round trip: a prepared statement on an asyncio psycopg
connection in autocommit mode (a single statement is atomic on its own). It inserts only
while the survey takes answers (checked against the survey row in the same statement, so
closing a survey takes effect at once) and only when the survey has no response with the
same respondent id yet.

The general path (:func:`spiegel.services.submissions.submit`) does the same through
the ORM session in a transaction on every database; this one is its fast lane on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

from psycopg import AsyncConnection

__all__ = ["Inserted", "insert_if_open"]


class Inserted(enum.Enum):
    """What :func:`insert_if_open` did."""

    STORED = "stored"
    DUPLICATE = "duplicate"  # a response with this respondent id exists already
    NOT_OPEN = "not_open"  # the survey takes no answers now (or does not exist)


_STATEMENT = """
    WITH open_survey AS (
        SELECT id FROM survey
        WHERE id = %(survey_id)s
          AND status = 'open'
          AND (opens_at IS NULL OR opens_at <= %(now)s)
          AND (closes_at IS NULL OR closes_at > %(now)s)
    ),
    stored AS (
        INSERT INTO response (survey_id, unit_id, role_group, external_id, submitted_at,
                              numeric_answers)
        SELECT id, %(unit_id)s, NULL, %(external_id)s, %(now)s, %(numeric)s
        FROM open_survey
        ON CONFLICT (survey_id, external_id) DO NOTHING
        RETURNING id
    ),
    texts AS (
        INSERT INTO text_answer (response_id, item_id, text)
        SELECT stored.id, given.item_id, given.text
        FROM stored, unnest(%(item_ids)s::text[], %(texts)s::text[]) AS given (item_id, text)
    )
    SELECT (SELECT count(*) FROM open_survey), (SELECT id FROM stored)
"""


async def insert_if_open(
    connection: AsyncConnection[Any],
    survey_id: int,
    unit_id: int,
    external_id: str,
    numeric: bytes,
    texts: Mapping[str, str],
    now: dt.datetime,
) -> Inserted:
    """Store one response of a location link (no role group) and its open answers.

    ``connection`` must be in autocommit mode (the statement commits itself)."""
    cursor = await connection.execute(
        _STATEMENT,
        {
            "survey_id": survey_id,
            "unit_id": unit_id,
            "external_id": external_id,
            "numeric": numeric,
            "item_ids": list(texts),
            "texts": list(texts.values()),
            "now": now,
        },
        prepare=True,
    )
    row = await cursor.fetchone()
    if row is None or not row[0]:
        return Inserted.NOT_OPEN
    return Inserted.STORED if row[1] is not None else Inserted.DUPLICATE
