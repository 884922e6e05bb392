"""Issuing survey links: personal links for employees, location links for customers.

Personal links are issued once per employee and survey; their tokens are returned for
the mail merge and not stored. Location links can be asked for again: the same survey
and unit always give the same token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from spiegel.services.invitations.links import location_token, new_token, token_hash
from spiegel.store.models import (
    Audience,
    Contact,
    Employee,
    Invitation,
    InvitationRecipient,
    Survey,
    Unit,
    UnitKind,
)

__all__ = [
    "LocationLink",
    "PersonalLink",
    "create_personal_invitations",
    "ensure_location_links",
]


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
