"""Stored analysis results, as the dashboards and reports read them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, func
from sqlalchemy.orm import Mapped, mapped_column

from spiegel.store.models.base import Base, utc_now


class AnalysisRun(Base):
    """Protected results of one analysis of a wave, as the dashboards and reports read them."""

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, server_default=func.now()
    )
    results: Mapped[dict[str, object]] = mapped_column(JSON)
