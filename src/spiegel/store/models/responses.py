"""Answers: submitted and imported responses, their open texts, the import batches
they came in and the windows the analysis leaves out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.store.enums import RoleGroup
from spiegel.store.models.base import Base, enum_type, utc_now


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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
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
    role_group: Mapped[RoleGroup | None] = mapped_column(enum_type(RoleGroup, "role_group"))
    # Respondent id from an imported file, or a random id for web submissions.
    # Compared byte by byte on PostgreSQL (the C collation, migration 0006).
    external_id: Mapped[str] = mapped_column(
        String(128).with_variant(String(128, collation="C"), "postgresql")
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
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
