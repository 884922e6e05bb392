"""The enumerations the tables store (as strings: see ``docs/decisions.md``).

A module of their own, importable without SQLAlchemy: the ``spiegel`` command declares
its options with them and must start fast. :mod:`spiegel.store.models` re-exports them.
"""

from __future__ import annotations

import enum

__all__ = ["Audience", "IdeaStatus", "RoleGroup", "StaffRole", "SurveyStatus", "UnitKind"]


class UnitKind(enum.StrEnum):
    ORGANISATION = "organisation"
    REGION = "region"
    LOCATION = "location"
    TEAM = "team"


class RoleGroup(enum.StrEnum):
    SENIOR_MANAGEMENT = "senior_management"
    MANAGER = "manager"
    FRONT_LINE = "front_line"
    BACK_OFFICE = "back_office"


class Audience(enum.StrEnum):
    EMPLOYEE = "employee"
    CUSTOMER = "customer"
    FEEDBACK360 = "360"


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    MANAGER = "manager"
    MEMBER = "member"


class IdeaStatus(enum.StrEnum):
    PROPOSED = "proposed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"
