"""Survey links, their tokens, and what they give: the survey, the questionnaire, its state.

A personal link's token is random and only its hash is stored; a location link's token
is derived from the secret key, the survey and the unit (see the package docstring).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from spiegel.instruments.model import Instrument
from spiegel.services.surveys import SurveyState, instrument_by_checksum, survey_state
from spiegel.store.models import Audience, Invitation, RoleGroup, Survey, SurveyStatus
from spiegel.store.models import Instrument as StoredInstrument

__all__ = [
    "TOKEN_BYTES",
    "Link",
    "LinkNotFound",
    "LinkedSurvey",
    "SurveyUnavailable",
    "link_url",
    "location_token",
    "new_draft_key",
    "new_token",
    "resolve_link",
    "today_utc",
    "token_hash",
]

TOKEN_BYTES = 24
"""Random bytes in a personal token or draft key (192 bits)."""


class LinkNotFound(LookupError):
    """No survey link has this token."""


class SurveyUnavailable(Exception):
    """The link's survey does not take answers now (``state`` says why)."""

    def __init__(self, survey: LinkedSurvey, state: SurveyState) -> None:
        super().__init__(f"survey {survey.slug!r} is {state.value.replace('_', ' ')}")
        self.survey = survey
        self.state = state


def new_token() -> str:
    """A fresh random token for a personal link (URL-safe, 192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_draft_key() -> str:
    """A fresh random key for an anonymous draft (URL-safe, 192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of a token: its sha256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def location_token(secret_key: str, survey_id: int, unit_id: int) -> str:
    """The token of a survey's link for one location: HMAC-SHA256 of the secret key over
    survey and unit, 192 bits, URL-safe. The same inputs always give the same token."""
    mac = hmac.new(
        secret_key.encode(), f"spiegel-location-link|{survey_id}|{unit_id}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(mac[:TOKEN_BYTES]).decode().rstrip("=")


def link_url(public_url: str, token: str) -> str:
    """The address of a survey link under ``public_url`` (``.../s/TOKEN``)."""
    return f"{public_url.rstrip('/')}/s/{token}"


def today_utc() -> dt.datetime:
    """Midnight UTC today: a personal link's submission is kept to the day."""
    now = dt.datetime.now(dt.UTC)
    return dt.datetime(now.year, now.month, now.day, tzinfo=dt.UTC)


@dataclass(frozen=True)
class LinkedSurvey:
    """What a link needs of its survey, read with the link (see :func:`survey_state`)."""

    id: int
    slug: str
    audience: Audience
    status: SurveyStatus
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None


@dataclass(frozen=True)
class Link:
    """A followed link: its survey, questionnaire and where it stands."""

    invitation_id: int
    personal: bool
    unit_id: int
    role_group: RoleGroup | None
    survey: LinkedSurvey
    instrument: Instrument
    item_order: tuple[str, ...]
    submitted: bool

    @property
    def state(self) -> SurveyState:
        """Whether the survey takes answers now."""
        return survey_state(self.survey)

    def require_open(self) -> None:
        """Raise :class:`SurveyUnavailable` unless the survey takes answers now."""
        state = self.state
        if state != SurveyState.OPEN:
            raise SurveyUnavailable(self.survey, state)


_LINK_QUERY = (
    select(
        Invitation.id,
        Invitation.personal,
        Invitation.unit_id,
        Invitation.role_group,
        Invitation.submitted_at,
        Survey.id,
        Survey.slug,
        Survey.audience,
        Survey.status,
        Survey.opens_at,
        Survey.closes_at,
        Survey.instrument_id,
        StoredInstrument.checksum,
        StoredInstrument.item_order,
    )
    .join(Survey, Survey.id == Invitation.survey_id)
    .join(StoredInstrument, StoredInstrument.id == Survey.instrument_id)
    .where(Invitation.token_hash == bindparam("token_hash"))
)


def resolve_link(session: Session, token: str) -> Link:
    """The link with ``token`` (``LinkNotFound`` when there is none).

    One query of plain columns (no ORM objects): every survey page and every submission
    starts here. The questionnaire comes from the cache of loaded instruments."""
    if not token or len(token) > 200:
        raise LinkNotFound("no survey link with this token")
    row = session.connection().execute(_LINK_QUERY, {"token_hash": token_hash(token)}).first()
    if row is None:
        raise LinkNotFound("no survey link with this token")
    (
        invitation_id,
        personal,
        unit_id,
        role_group,
        submitted_at,
        survey_id,
        slug,
        audience,
        status,
        opens_at,
        closes_at,
        instrument_id,
        checksum,
        item_order,
    ) = row
    return Link(
        invitation_id=invitation_id,
        personal=personal,
        unit_id=unit_id,
        role_group=role_group,
        survey=LinkedSurvey(survey_id, slug, audience, status, opens_at, closes_at),
        instrument=instrument_by_checksum(session, instrument_id, checksum),
        item_order=tuple(item_order),
        submitted=personal and submitted_at is not None,
    )
