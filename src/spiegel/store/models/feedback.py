"""360° feedback: the person a round is about (identifying) and the rounds."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.store.models.base import Base


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
