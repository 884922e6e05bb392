"""The demo's staff accounts: an administrator and the manager of one location.

Their passwords are made with :mod:`secrets`, shown once by ``spiegel demo`` and written
to ``accounts.txt`` in the demo folder (readable by its owner only), so that the
dashboards can be opened straight after the demo is built.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from spiegel.services.users import add_user, hash_password
from spiegel.store.db import session_factory
from spiegel.store.enums import StaffRole, UnitKind
from spiegel.store.models import Employee, Organisation, StaffUser, Unit
from spiegel.store.organisation import subtree_ids

__all__ = [
    "ACCOUNTS_FILE",
    "ADMIN_EMAIL",
    "MANAGER_EMAIL",
    "DemoAccount",
    "accounts_text",
    "create_demo_accounts",
    "write_accounts_file",
]

ACCOUNTS_FILE = "accounts.txt"
ADMIN_EMAIL = "admin@demo.spiegel.example"
MANAGER_EMAIL = "manager@demo.spiegel.example"
PASSWORD_BYTES = 12  # 16 URL-safe characters


@dataclass(frozen=True)
class DemoAccount:
    """A staff account of the demo, with its password in plain text (shown once)."""

    email: str
    password: str
    role: str
    unit_code: str | None = None
    unit_name: str | None = None

    @property
    def scope(self) -> str:
        """What the account sees, in words."""
        if self.unit_code is None:
            return "every unit"
        return f"{self.unit_name} ({self.unit_code})"


def _largest_location(session: Session, organisation_id: int) -> Unit:
    """The location with the most employees (itself and its teams): the one most likely
    to have every figure above the anonymity minimum."""
    locations = session.scalars(
        select(Unit)
        .where(Unit.organisation_id == organisation_id, Unit.kind == UnitKind.LOCATION)
        .order_by(Unit.code)
    ).all()
    if not locations:
        raise LookupError("the demo organisation has no locations")

    def headcount(unit: Unit) -> int:
        ids = subtree_ids(session, unit.id)
        return int(
            session.scalar(select(func.count(Employee.id)).where(Employee.unit_id.in_(ids))) or 0
        )

    return max(locations, key=headcount)


def _set(
    session: Session, organisation: Organisation, email: str, role: StaffRole, unit: Unit | None
) -> str:
    """Add the account with a new random password, or give an existing one (a demo
    rebuilt into the same database) a new password, role and unit; the password."""
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    old = session.scalar(select(StaffUser).where(StaffUser.email == email))
    if old is None:
        add_user(session, organisation, email, password, role, unit.code if unit else None)
        return password
    old.password_hash = hash_password(password)
    old.role = role
    old.unit_id = unit.id if unit else None
    old.active = True
    session.commit()
    return password


def create_demo_accounts(engine: Engine) -> list[DemoAccount]:
    """Add the demo administrator and the manager of its largest location, each with a
    new random password."""
    with session_factory(engine)() as session:
        organisation = session.scalars(select(Organisation).order_by(Organisation.id)).first()
        if organisation is None:
            raise LookupError("the demo has no organisation yet")
        location = _largest_location(session, organisation.id)
        admin = _set(session, organisation, ADMIN_EMAIL, StaffRole.ADMIN, None)
        manager = _set(session, organisation, MANAGER_EMAIL, StaffRole.MANAGER, location)
        return [
            DemoAccount(ADMIN_EMAIL, admin, StaffRole.ADMIN.value),
            DemoAccount(
                MANAGER_EMAIL, manager, StaffRole.MANAGER.value, location.code, location.name
            ),
        ]


def accounts_text(accounts: list[DemoAccount], url: str) -> str:
    """The accounts as a person reads them: where to log in, then one block per account."""
    lines = [
        "Spiegel demo: staff accounts",
        f"Log in at {url.rstrip('/')}/login",
        "",
    ]
    for account in accounts:
        lines += [
            f"{account.role:<9} {account.email}",
            f"{'':<9} password: {account.password}",
            f"{'':<9} sees: {account.scope}",
            "",
        ]
    lines.append("Add more with: spiegel users add EMAIL --role admin|analyst|manager|member")
    return "\n".join(lines) + "\n"


def write_accounts_file(directory: Path, accounts: list[DemoAccount], url: str) -> Path:
    """Write :func:`accounts_text` to ``directory/accounts.txt``, readable by its owner
    only (mode 0600), replacing an earlier one."""
    path = directory / ACCOUNTS_FILE
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(accounts_text(accounts, url))
    return path
