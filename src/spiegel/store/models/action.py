"""Team action: a team's ambition for a wave and its improvement ideas."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.store.enums import IdeaStatus
from spiegel.store.models.base import Base, enum_type, utc_now


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
        enum_type(IdeaStatus, "idea_status"), default=IdeaStatus.PROPOSED
    )
    scale: Mapped[str | None] = mapped_column(String(64))
    adopted_from_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
