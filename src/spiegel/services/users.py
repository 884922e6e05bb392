"""Staff users as use cases: add, list, disable; log in with throttling; sessions; tokens.

* Passwords are hashed with Argon2id (argon2-cffi); an unknown e-mail address costs the
  same hashing time as a wrong password, so the time taken does not tell which it was.
* A session is a random id (256 bits) held by the browser; only its sha256 is stored, with
  an absolute expiry and an idle timeout. Disabling a user deletes their sessions and
  tokens; every request also checks that the user is still active.
* Login throttling (:mod:`spiegel.services.login_throttle`): failures per e-mail address
  and client address, per client address and in all; a successful login clears those of
  its e-mail address and client address.
* API tokens (``sp_`` + 256 random bits) for integrations; only their sha256 is stored, so
  a token is shown once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from spiegel.services.login_throttle import (
    LOCKOUT,
    MAX_FAILURES,
    THROTTLE_WINDOW,
    LoginThrottled,
    clear_failures,
    count_attempt,
)
from spiegel.services.login_throttle import aware as _aware
from spiegel.store.models import (
    ApiToken,
    Organisation,
    StaffRole,
    StaffSession,
    StaffUser,
    Unit,
)
from spiegel.store.organisation import NotFound, subtree_ids

__all__ = [
    "LOCKOUT",
    "MAX_FAILURES",
    "MIN_PASSWORD_LENGTH",
    "SESSION_IDLE",
    "SESSION_LIFETIME",
    "THROTTLE_WINDOW",
    "LoginRefused",
    "LoginThrottled",
    "SessionUser",
    "UserSummary",
    "add_user",
    "authenticate",
    "create_token",
    "disable_user",
    "end_session",
    "hash_password",
    "list_users",
    "normalise_email",
    "resolve_session",
    "resolve_token",
    "start_session",
    "unit_scope",
    "verify_password",
]

SESSION_LIFETIME = dt.timedelta(hours=12)
SESSION_IDLE = dt.timedelta(hours=2)
_TOUCH_EVERY = dt.timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "sp_"

_hasher = PasswordHasher()  # RFC 9106 low-memory profile (argon2-cffi's defaults)
_DUMMY_HASH: dict[int, str] = {}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The address as stored and compared: trimmed, lower case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (refuses one shorter than 10 characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn_time(password: str) -> None:
    key = id(_hasher)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = _hasher.hash(secrets.token_urlsafe(16))
    verify_password(_DUMMY_HASH[key], password)


# --- users ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSummary:
    """A staff user as lists show them (never the password hash)."""

    id: int
    email: str
    role: str
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None
    active: bool
    created_at: dt.datetime


def _unit_by_code(session: Session, organisation_id: int, code: str) -> Unit:
    unit = session.scalar(
        select(Unit).where(Unit.organisation_id == organisation_id, Unit.code == code)
    )
    if unit is None:
        raise NotFound(f"no unit with code {code!r}")
    return unit


def add_user(
    session: Session,
    organisation: Organisation,
    email: str,
    password: str,
    role: StaffRole | str,
    unit_code: str | None = None,
) -> StaffUser:
    """Add a staff user. Managers and members need a unit (their scope). Commits.

    Raises ``ValueError`` for a bad address, a short password, an unknown role, a missing
    unit or an address that is taken.
    """
    address = normalise_email(email)
    if "@" not in address or len(address) > 320 or " " in address:
        raise ValueError(f"{email!r} is not an e-mail address")
    try:
        staff_role = StaffRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in StaffRole)
        raise ValueError(f"unknown role {role!r}; use one of: {roles}") from None
    unit_id = None
    if unit_code:
        unit_id = _unit_by_code(session, organisation.id, unit_code).id
    elif staff_role in (StaffRole.MANAGER, StaffRole.MEMBER):
        raise ValueError(f"a {staff_role.value} needs a unit (the part of the tree they see)")
    if session.scalar(select(StaffUser.id).where(StaffUser.email == address)) is not None:
        raise ValueError(f"there is already a user {address}")
    user = StaffUser(
        organisation_id=organisation.id,
        email=address,
        password_hash=hash_password(password),
        role=staff_role,
        unit_id=unit_id,
        active=True,
    )
    session.add(user)
    session.commit()
    return user


def list_users(session: Session, organisation_id: int) -> list[UserSummary]:
    """Every staff user of the organisation, by e-mail address."""
    rows = session.execute(
        select(StaffUser, Unit.code, Unit.name)
        .outerjoin(Unit, Unit.id == StaffUser.unit_id)
        .where(StaffUser.organisation_id == organisation_id)
        .order_by(StaffUser.email)
    ).all()
    return [
        UserSummary(
            id=u.id,
            email=u.email,
            role=u.role.value,
            unit_id=u.unit_id,
            unit_code=code,
            unit_name=name,
            active=u.active,
            created_at=_aware(u.created_at),
        )
        for u, code, name in rows
    ]


def find_user(session: Session, email: str, organisation_id: int | None = None) -> StaffUser:
    """The user with this address (``NotFound`` otherwise)."""
    query = select(StaffUser).where(StaffUser.email == normalise_email(email))
    if organisation_id is not None:
        query = query.where(StaffUser.organisation_id == organisation_id)
    user = session.scalar(query)
    if user is None:
        raise NotFound(f"no user {normalise_email(email)}")
    return user


def disable_user(session: Session, user: StaffUser) -> None:
    """Disable ``user``: their sessions and API tokens end at once. Commits."""
    user.active = False
    session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    session.commit()


def unit_scope(session: Session, user: StaffUser) -> frozenset[int] | None:
    """Unit ids ``user`` may see: ``None`` for every unit (admin, analyst); the subtree of
    their unit for managers and members (empty without a unit)."""
    if user.role in (StaffRole.ADMIN, StaffRole.ANALYST):
        return None
    if user.unit_id is None:
        return frozenset()
    return frozenset(subtree_ids(session, user.unit_id))


# --- logging in ------------------------------------------------------------------------------


class LoginRefused(Exception):
    """Wrong e-mail address or password, or a disabled user (deliberately not told apart)."""


def authenticate(
    session: Session, email: str, password: str, ip: str, known_browser: bool = False
) -> StaffUser:
    """The active user with this address and password. Commits (failures are recorded).

    Raises :class:`LoginThrottled` while paused (even for the right password) and
    :class:`LoginRefused` otherwise. ``known_browser``: the request comes from a browser
    that logged in to this address before (see :mod:`spiegel.services.login_throttle`).
    """
    address = normalise_email(email)[:320]
    client = (ip or "unknown")[:64]
    count_attempt(session, address, client, known_browser)
    user = session.scalar(select(StaffUser).where(StaffUser.email == address))
    if user is None:
        _burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok or user is None:
        session.rollback()
        raise LoginRefused()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    clear_failures(session, address, client)
    session.commit()
    return user


# --- sessions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionUser:
    """The user behind a session or token, with their unit scope."""

    user: StaffUser
    units: frozenset[int] | None


def start_session(session: Session, user: StaffUser) -> str:
    """A new session for ``user``; returns the id for the cookie (not stored). Commits."""
    sid = secrets.token_urlsafe(32)
    now = _now()
    session.add(
        StaffSession(
            id_hash=_sha256(sid),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    session.commit()
    return sid


def _active_user(session: Session, user_id: int) -> SessionUser | None:
    user = session.get(StaffUser, user_id)
    if user is None or not user.active:
        return None
    return SessionUser(user, unit_scope(session, user))


def resolve_session(session: Session, sid: str) -> SessionUser | None:
    """The active user of session ``sid``, or ``None`` when it is unknown, expired, idle
    too long or its user is disabled (the session is then deleted)."""
    if not sid or len(sid) > 128:
        return None
    row = session.get(StaffSession, _sha256(sid))
    if row is None:
        return None
    now = _now()
    last_seen = _aware(row.last_seen_at)
    if _aware(row.expires_at) <= now or last_seen + SESSION_IDLE <= now:
        session.delete(row)
        session.commit()
        return None
    found = _active_user(session, row.user_id)
    if found is None:
        session.delete(row)
        session.commit()
        return None
    if now - last_seen > _TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return found


def end_session(session: Session, sid: str) -> None:
    """Log out: delete session ``sid``. Commits."""
    if sid:
        session.execute(delete(StaffSession).where(StaffSession.id_hash == _sha256(sid)))
        session.commit()


def user_sessions(session: Session, user_id: int) -> int:
    """How many sessions ``user_id`` has open."""
    return int(
        session.scalar(
            select(func.count()).select_from(StaffSession).where(StaffSession.user_id == user_id)
        )
        or 0
    )


# --- API tokens ---------------------------------------------------------------------------------


def create_token(session: Session, user: StaffUser, name: str = "") -> str:
    """A new API token for ``user``; returned once, only its sha256 is stored. Commits."""
    if not user.active:
        raise ValueError(f"user {user.email} is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_sha256(token), name=name[:100]))
    session.commit()
    return token


def resolve_token(session: Session, token: str) -> SessionUser | None:
    """The active user of API token ``token``, or ``None``."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 128:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha256(token)))
    if row is None:
        return None
    found = _active_user(session, row.user_id)
    if found is None:
        return None
    now = _now()
    if row.last_used_at is None or now - _aware(row.last_used_at) > _TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
        session.commit()
    return found


def token_count(session: Session, user_ids: Sequence[int]) -> dict[int, int]:
    """Number of API tokens per user."""
    rows = session.execute(
        select(ApiToken.user_id, func.count())
        .where(ApiToken.user_id.in_(list(user_ids)))
        .group_by(ApiToken.user_id)
    )
    return {int(u): int(n) for u, n in rows}
