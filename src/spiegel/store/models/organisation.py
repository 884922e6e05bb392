"""The organisation: its unit tree, employees (and their contact data apart), waves,
and the outcome figures per unit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.store.enums import RoleGroup, UnitKind
from spiegel.store.models.base import Base, enum_type, utc_now


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Privacy minimums and allowed split attributes (spiegel.privacy.PrivacySettings fields).
    privacy: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

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
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind, "unit_kind"))
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
    role_group: Mapped[RoleGroup] = mapped_column(enum_type(RoleGroup, "role_group"))
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
