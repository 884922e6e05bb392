"""Table models (SQLAlchemy 2). The store imports nothing from the rest of Spiegel.

Two rules shape these tables:

* Answers are facts: a submitted :class:`Response` is never updated in place.
* Identifying data (e-mail addresses, names of 360° subjects) lives in tables of its own
  (:class:`Contact`, :class:`FeedbackSubject`); anonymous responses carry unit, role group
  and wave, never a person.

A submitted response's numeric answers are stored as one packed little-endian float64
vector in the order of its instrument version's items (``Instrument.item_order``), NaN for
unanswered (see ``docs/decisions.md``). Imported responses are stored many to a row, as
column blocks (:class:`ResponseBlock`): a wave of two million responses then loads into a
numpy matrix in one pass, and an import of a million respondents writes a few dozen rows.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from spiegel.store.enums import (
    Audience,
    IdeaStatus,
    RoleGroup,
    StaffRole,
    SurveyStatus,
    UnitKind,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (VARCHAR + CHECK) so adding a value needs no ALTER TYPE.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Privacy minimums and allowed split attributes (spiegel.privacy.PrivacySettings fields).
    privacy: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    units: Mapped[list[Unit]] = relationship(back_populates="organisation")


class Unit(Base):
    """A node of the organisation tree. ``path`` is the materialised path of ids
    (``/1/4/17/``) so a subtree is one ``LIKE 'prefix%'`` query on both databases."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind, "unit_kind"))
    unit_type: Mapped[str | None] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(1000), default="", index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Employee(Base):
    """An employee under a pseudonymous key (the HR system's number, hashed or not)."""

    __tablename__ = "employee"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role_group: Mapped[RoleGroup] = mapped_column(_enum(RoleGroup, "role_group"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Contact(Base):
    """Identifying data, kept apart from everything that holds answers."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))


class Wave(Base):
    __tablename__ = "wave"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)


class Instrument(Base):
    """A stored version of a questionnaire definition (the YAML, parsed, as JSON)."""

    __tablename__ = "instrument"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    audience: Mapped[Audience] = mapped_column(_enum(Audience, "audience"))
    checksum: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    # Item ids in the order of Response.numeric_answers.
    item_order: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Survey(Base):
    """An instrument fielded in a wave for an audience."""

    __tablename__ = "survey"
    __table_args__ = (UniqueConstraint("organisation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instrument.id"))
    slug: Mapped[str] = mapped_column(String(64))
    audience: Mapped[Audience] = mapped_column(_enum(Audience, "audience"))
    status: Mapped[SurveyStatus] = mapped_column(
        _enum(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT
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
    role_group: Mapped[RoleGroup | None] = mapped_column(_enum(RoleGroup, "role_group"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
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
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class InvitationRecipient(Base):
    """Who a personal link was sent to: identifying, kept apart from answers."""

    __tablename__ = "invitation_recipient"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ImportBatch(Base):
    """One file imported in one transaction, as a whole: it can be undone as a whole.

    A file's identity is its ``sha256`` together with ``mapping_sha256``, the digest of the
    mapping and read options it was imported with (empty for none): the same file with
    the same mapping is not imported twice, and a corrected mapping is a new import.
    ``replaced`` lists, for an outcomes import, the figures it overwrote as
    ``[unit_id, metric, period, old_value, old_batch_id]``, so that undoing it restores
    them. (``mapping_sha256`` and ``replaced``: migration 0009.)
    """

    __tablename__ = "import_batch"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "target", "sha256", "mapping_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(128), default="")
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    mapping_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    replaced: Mapped[list[list[Any]] | None] = mapped_column(JSON)


class Response(Base):
    """A submitted questionnaire. Immutable. Carries unit, role group and wave, no person."""

    __tablename__ = "response"
    __table_args__ = (
        # Also the index for every query by survey (see migration 0006).
        UniqueConstraint("survey_id", "external_id"),
        # Ids are never reused, so imports can reserve a range (migration 0007).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    role_group: Mapped[RoleGroup | None] = mapped_column(_enum(RoleGroup, "role_group"))
    # Respondent id from an imported file, or a random id for web submissions.
    # Compared byte by byte on PostgreSQL (the C collation, migration 0006).
    external_id: Mapped[str] = mapped_column(
        String(128).with_variant(String(128, collation="C"), "postgresql")
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    numeric_answers: Mapped[bytes] = mapped_column(LargeBinary)
    # 360° ratings: whom they are about and from which rater group.
    feedback_subject_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_subject.id"))
    rater_group: Mapped[str | None] = mapped_column(String(32))


class ResponseBlock(Base):
    """Imported responses, up to ``spiegel.store.blocks.BLOCK_ROWS`` to a row.

    ``data`` is one Arrow record batch (IPC stream, zstd): response id, unit, role group,
    respondent id, the numeric answers in the order of the survey's ``item_order`` and
    one column per open-text item. Immutable like :class:`Response`; the response ids
    come from the same sequence, so a survey's responses are numbered alike wherever
    they are stored. Respondent ids are unique per survey across both tables: imports
    check them (see ``docs/decisions.md``).
    """

    __tablename__ = "response_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    n_rows: Mapped[int] = mapped_column(Integer)
    first_response_id: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ResponseExclusion(Base):
    """A time window of a location link whose web responses the analysis leaves out.

    The responses themselves stay as they were (immutable); the analysis and the
    exports skip the web responses of the survey and unit (a location link is one per
    survey and unit) submitted in ``[starts_at, ends_at)``. Rows are never deleted:
    undoing one fills ``revoked_*``, so the table is also the log of who excluded what,
    when and why. (Added for survey integrity; migration 0008.)
    """

    __tablename__ = "response_exclusion"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_by: Mapped[str | None] = mapped_column(String(320))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class TextAnswer(Base):
    """Open-text answers, apart from the numbers: shown only through the privacy gate."""

    __tablename__ = "text_answer"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Outcome(Base):
    """A named figure per unit and period: absenteeism %, turnover %, complaints, ..."""

    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("unit_id", "metric", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))


class Ambition(Base):
    """A team's shared ambition for a wave."""

    __tablename__ = "ambition"
    __table_args__ = (UniqueConstraint("unit_id", "wave_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id"))
    text: Mapped[str] = mapped_column(Text)
    metric: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[float | None] = mapped_column(Float)


class Idea(Base):
    """A SMART improvement idea, tied to the scale it should move; may be adopted by others."""

    __tablename__ = "idea"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id"))
    title: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[IdeaStatus] = mapped_column(
        _enum(IdeaStatus, "idea_status"), default=IdeaStatus.PROPOSED
    )
    scale: Mapped[str | None] = mapped_column(String(64))
    adopted_from_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FeedbackSubject(Base):
    """The person a 360° round is about (identifying: kept apart from the ratings)."""

    __tablename__ = "feedback_subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    display_name: Mapped[str] = mapped_column(String(200))


class FeedbackRound(Base):
    __tablename__ = "feedback_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("feedback_subject.id", ondelete="CASCADE"))
    # Rater groups in use, e.g. ["self", "peer", "manager", "customer"].
    rater_groups: Mapped[list[str]] = mapped_column(JSON, default=list)


class StaffUser(Base):
    """Someone who logs in to read results or administer. Scope: a unit subtree."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AnalysisRun(Base):
    """Protected results of one analysis of a wave, as the dashboards and reports read them."""

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now()
    )
    results: Mapped[dict[str, object]] = mapped_column(JSON)


# --- staff access (sessions, login throttling, API tokens): migration 0004 -------------------


class StaffSession(Base):
    """A logged-in browser. Only the sha256 of the cookie's random id is stored."""

    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginAttempt(Base):
    """A failed login, kept for throttling (per e-mail address and client address)."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_ip_at", "email", "ip", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ApiToken(Base):
    """A bearer token for integrations. Only its sha256 is stored; it is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# --- end of staff access -------------------------------------------------------------------
