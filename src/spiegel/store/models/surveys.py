"""Questionnaires and their fielding: instrument versions, surveys, invitation links
(with who received them, apart) and answers in progress through a location link.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.store.enums import Audience, RoleGroup, SurveyStatus
from spiegel.store.models.base import Base, enum_type, utc_now
from spiegel.store.models.organisation import Wave


class Instrument(Base):
    """A stored version of a questionnaire definition (the YAML, parsed, as JSON)."""

    __tablename__ = "instrument"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"))
    checksum: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    # Item ids in the order of Response.numeric_answers.
    item_order: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Survey(Base):
    """An instrument fielded in a wave for an audience."""

    __tablename__ = "survey"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    slug: Mapped[str] = mapped_column(String(64))
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"))
    status: Mapped[SurveyStatus] = mapped_column(
        enum_type(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
    )
    opens_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    wave: Mapped[Wave] = relationship()
    instrument: Mapped[Instrument] = relationship()


class Invitation(Base):
    """A survey link. Personal links (employees) are used once; location links (customers)
    many times. Only a hash of the token is stored. The invitation knows unit and role
    group, which its response copies; which employee received it is known only to
    :class:`InvitationRecipient`, and no response refers back to an invitation."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    personal: Mapped[bool] = mapped_column(Boolean, default=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    role_group: Mapped[RoleGroup | None] = mapped_column(enum_type(RoleGroup, "role_group"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Answers saved as the respondent goes; cleared when the response is submitted.
    draft: Mapped[dict[str, object] | None] = mapped_column(JSON)


class AnonymousDraft(Base):
    """Answers in progress through a location link (customers), keyed by a random id.

    The respondent's browser holds the key (a cookie); only its sha256 is stored. The row
    is marked submitted, with its answers cleared, in the transaction that writes the
    response, so a retry of the final submit cannot create a second response.
    (Added with the web survey pages; migration 0003.)
    """

    __tablename__ = "anonymous_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, object] | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class InvitationRecipient(Base):
    """Who a personal link was sent to: identifying, kept apart from answers."""

    __tablename__ = "invitation_recipient"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
