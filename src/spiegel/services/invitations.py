"""Survey links as use cases: issue them, follow them, save answers as they come, submit.

Two kinds of link (both rows of :class:`~spiegel.store.models.Invitation`):

* A **personal link** (employees) carries a random token of 192 bits
  (``secrets.token_urlsafe(24)``); only its sha256 is stored, so the tokens are handed out
  once, for the mail merge, and cannot be read back. Answers in progress live in
  ``Invitation.draft``; the link submits once.
* A **location link** (customers) is shared by everyone at a location (a QR code at the
  entrance). Its token is derived from the secret key, the survey and the unit
  (HMAC-SHA256), so the same poster can be printed again without storing the token.
  Each respondent's answers in progress live in an
  :class:`~spiegel.store.models.AnonymousDraft` keyed by a random id their browser holds.

A response copies unit and role group from its link and refers neither to the link nor
to a person. On a personal link the submission date is kept to the day (on the link and
on the response), so the two cannot be matched by their time of submission.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from spiegel.instruments.model import Instrument
from spiegel.services.questionnaire import Answer, check_answers
from spiegel.services.surveys import SurveyState, instrument_by_checksum, survey_state
from spiegel.store.models import (
    AnonymousDraft,
    Audience,
    Contact,
    Employee,
    Invitation,
    InvitationRecipient,
    RoleGroup,
    Survey,
    SurveyStatus,
    Unit,
    UnitKind,
)
from spiegel.store.models import Instrument as StoredInstrument

__all__ = [
    "Draft",
    "Link",
    "LinkNotFound",
    "LinkedSurvey",
    "LocationLink",
    "PersonalLink",
    "SurveyUnavailable",
    "anonymous_draft_row",
    "create_personal_invitations",
    "ensure_location_links",
    "link_url",
    "load_draft",
    "location_token",
    "merge_draft",
    "new_draft_key",
    "new_token",
    "resolve_link",
    "save_draft",
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
    now = dt.datetime.now(dt.UTC)
    return dt.datetime(now.year, now.month, now.day, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- issuing


@dataclass(frozen=True)
class PersonalLink:
    """A personal link as issued, for the mail merge: who gets it, and the token."""

    employee_key: str
    email: str | None
    name: str | None
    unit_code: str
    unit_name: str
    role_group: str
    token: str


def create_personal_invitations(
    session: Session, survey: Survey, unit_ids: Sequence[int] | None = None
) -> tuple[list[PersonalLink], int]:
    """Issue a personal link to every active employee of the survey's organisation (or of
    ``unit_ids``) who has none for this survey yet. Commits.

    Returns the new links, with their tokens, and the number of employees skipped because
    they already have a link. The tokens are not stored: keep them for the mail merge.
    """
    if survey.audience == Audience.CUSTOMER:
        raise ValueError(
            f"survey {survey.slug!r} is a customer survey: it uses location links, "
            "not personal invitations"
        )
    has_link = (
        select(InvitationRecipient.employee_id)
        .join(Invitation, Invitation.id == InvitationRecipient.invitation_id)
        .where(Invitation.survey_id == survey.id)
    )
    query = (
        select(Employee, Unit, Contact)
        .join(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Contact, Contact.employee_id == Employee.id)
        .where(Employee.organisation_id == survey.organisation_id, Employee.active)
        .order_by(Unit.code, Employee.key)
    )
    if unit_ids is not None:
        query = query.where(Employee.unit_id.in_(list(unit_ids)))
    rows = session.execute(query).all()
    already = set(session.scalars(has_link))
    todo = [r for r in rows if r[0].id not in already]
    issued: list[PersonalLink] = []
    invitations: list[Invitation] = []
    for employee, unit, contact in todo:
        token = new_token()
        invitations.append(
            Invitation(
                survey_id=survey.id,
                token_hash=token_hash(token),
                personal=True,
                unit_id=unit.id,
                role_group=employee.role_group,
            )
        )
        issued.append(
            PersonalLink(
                employee_key=employee.key,
                email=contact.email if contact else None,
                name=contact.name if contact else None,
                unit_code=unit.code,
                unit_name=unit.name,
                role_group=employee.role_group.value,
                token=token,
            )
        )
    session.add_all(invitations)
    session.flush()
    session.add_all(
        InvitationRecipient(invitation_id=inv.id, employee_id=row[0].id)
        for inv, row in zip(invitations, todo, strict=True)
    )
    session.commit()
    return issued, len(rows) - len(todo)


@dataclass(frozen=True)
class LocationLink:
    """A survey's link for one location."""

    unit_id: int
    unit_code: str
    unit_name: str
    token: str
    created: bool


def ensure_location_links(
    session: Session,
    survey: Survey,
    secret_key: str,
    unit_codes: Sequence[str] | None = None,
) -> list[LocationLink]:
    """The link of every active location of the survey's organisation (or of the units
    ``unit_codes``, of any kind), creating the missing ones. Commits.

    Running it again gives the same tokens (see :func:`location_token`).
    """
    if survey.audience != Audience.CUSTOMER:
        raise ValueError(
            f"survey {survey.slug!r} is an {survey.audience.value} survey: location links "
            "are for customer surveys"
        )
    query = select(Unit).where(Unit.organisation_id == survey.organisation_id)
    if unit_codes is None:
        query = query.where(Unit.kind == UnitKind.LOCATION, Unit.active)
    else:
        query = query.where(Unit.code.in_(list(unit_codes)))
    units = list(session.scalars(query.order_by(Unit.code)))
    if unit_codes is not None:
        missing = sorted(set(unit_codes) - {u.code for u in units})
        if missing:
            raise ValueError(f"no unit with code(s): {', '.join(missing)}")
    if not units:
        raise ValueError("the organisation has no active locations (units of kind 'location')")
    tokens = {u.id: location_token(secret_key, survey.id, u.id) for u in units}
    existing = set(
        session.scalars(
            select(Invitation.token_hash).where(
                Invitation.token_hash.in_([token_hash(t) for t in tokens.values()])
            )
        )
    )
    out: list[LocationLink] = []
    for unit in units:
        token = tokens[unit.id]
        created = token_hash(token) not in existing
        if created:
            session.add(
                Invitation(
                    survey_id=survey.id,
                    token_hash=token_hash(token),
                    personal=False,
                    unit_id=unit.id,
                    role_group=None,
                )
            )
        out.append(LocationLink(unit.id, unit.code, unit.name, token, created))
    session.commit()
    return out


# --------------------------------------------------------------------------- following


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
    checked = check_answers(link.instrument, list(values), values)
    if checked.problems:
        raise ValueError(f"invalid answers to: {', '.join(sorted(checked.problems))}")
    clean = checked.values
    if link.personal:
        current = session.execute(
            select(Invitation.draft, Invitation.submitted_at)
            .where(Invitation.id == link.invitation_id)
            .with_for_update()
        ).one()
        if current.submitted_at is not None:
            session.rollback()
            return Draft(answers={}, page=1, submitted=True, exists=True)
        merged = merge_draft(current.draft, clean, page)
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
        return Draft(answers={}, page=1, submitted=True, exists=True)
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
