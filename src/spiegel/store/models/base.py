"""The declarative base every table model derives from, and the column helpers they share."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def enum_type(cls: type[enum.Enum], name: str) -> Enum:
    """The column type of an enumeration."""
    # Stored as plain strings (VARCHAR + CHECK) so adding a value needs no ALTER TYPE.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
    )


def utc_now() -> dt.datetime:
    """The time now, in UTC: the default of the tables' timestamps."""
    return dt.datetime.now(dt.UTC)
