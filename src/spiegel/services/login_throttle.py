"""Login throttling: failed logins are rows in ``login_attempt`` (e-mail address, client
address, time), so every worker sees them. Three rules count the failures of the last
:data:`THROTTLE_WINDOW` (15 minutes):

* one e-mail address from one client address: :data:`MAX_FAILURES` (5) pause that pair;
* one client address, whatever the e-mail address: :data:`MAX_ADDRESS_FAILURES` (10)
  pause that client address;
* every client address together: :data:`MAX_GLOBAL_FAILURES` (100) pause every client
  address.

A rule that is met pauses logins for :data:`LOCKOUT` after the last failure it counts,
even with the right password; the answer is the same whatever the rule and whether the
account exists. The second rule stops one machine from trying a password on account after
account (password spraying); the third a spray from many machines.

Whoever trips the last two rules would keep everyone else out, so they do not apply to a
*known browser*: one that logged in to the same account before (the web layer checks a
signed cookie, ``spiegel.web.known_browsers``). Staff at their usual browser keep
logging in during an attack; new browsers wait. A known browser counts like any other
once its account has :data:`MAX_ADDRESS_FAILURES` failures in the window, so a stolen
cookie buys no more guesses than an address does.

Refusals while paused are not counted. Every other attempt is counted as a failure
*before* its password is checked, with the check and the count made one attempt at a time
(a table lock on PostgreSQL, the write lock on SQLite), so attempts sent in parallel
cannot pass a limit together. A successful login removes the failures of its e-mail
address from its client address, its own included. Failures older than the window are
deleted as new attempts come in. The third rule keeps the table small (known browsers add
at most :data:`MAX_ADDRESS_FAILURES` per account), so its counts need no index of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, select, text
from sqlalchemy.orm import Session

from spiegel.store.models import LoginAttempt

__all__ = [
    "LOCKOUT",
    "MAX_ADDRESS_FAILURES",
    "MAX_FAILURES",
    "MAX_GLOBAL_FAILURES",
    "THROTTLE_WINDOW",
    "LoginThrottled",
    "aware",
    "clear_failures",
    "count_attempt",
    "paused_until",
]

MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 10
MAX_GLOBAL_FAILURES = 100
THROTTLE_WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)


class LoginThrottled(Exception):
    """Too many failed attempts; ``retry_after`` seconds until the next may be made."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


def aware(moment: dt.datetime) -> dt.datetime:
    """``moment`` with its time zone (SQLite gives naive datetimes back; they are UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _recent(
    session: Session, conditions: Sequence[ColumnElement[bool]], limit: int, now: dt.datetime
) -> list[dt.datetime]:
    """The times of the last ``limit`` failures within the window that meet
    ``conditions``, newest first."""
    query = (
        select(LoginAttempt.at)
        .where(*conditions, LoginAttempt.at > now - THROTTLE_WINDOW)
        .order_by(LoginAttempt.at.desc())
        .limit(limit)
    )
    return [aware(t) for t in session.scalars(query)]


def paused_until(
    session: Session, email: str, ip: str, known_browser: bool, now: dt.datetime
) -> dt.datetime | None:
    """Until when logging in as ``email`` from ``ip`` is paused (``None``: it is not)."""
    rules: list[tuple[int, tuple[ColumnElement[bool], ...]]] = [
        (MAX_FAILURES, (LoginAttempt.email == email, LoginAttempt.ip == ip))
    ]
    account = (LoginAttempt.email == email,)
    trusted = known_browser and (
        len(_recent(session, account, MAX_ADDRESS_FAILURES, now)) < MAX_ADDRESS_FAILURES
    )
    if not trusted:
        rules += [(MAX_ADDRESS_FAILURES, (LoginAttempt.ip == ip,)), (MAX_GLOBAL_FAILURES, ())]
    until: dt.datetime | None = None
    for limit, conditions in rules:
        times = _recent(session, conditions, limit, now)
        if len(times) >= limit and times[0] + LOCKOUT > now:
            until = max(until or now, times[0] + LOCKOUT)
    return until


def _refuse_if_paused(
    session: Session, email: str, ip: str, known_browser: bool, now: dt.datetime
) -> None:
    until = paused_until(session, email, ip, known_browser, now)
    if until is not None:
        session.rollback()
        raise LoginThrottled(max(1, int((until - now).total_seconds()) + 1))


def _take_turn(session: Session, now: dt.datetime) -> None:
    """Let other attempts wait until this transaction ends, and delete old failures."""
    if session.connection().dialect.name != "sqlite":
        # Conflicts with itself and with writes to the table, not with reads.
        table = LoginAttempt.__tablename__
        session.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    # On SQLite this first write of the transaction takes the database's write lock.
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - THROTTLE_WINDOW))


def count_attempt(session: Session, email: str, ip: str, known_browser: bool = False) -> None:
    """Raise :class:`LoginThrottled` while logging in as ``email`` from ``ip`` is paused;
    otherwise count this attempt as a failure (until :func:`clear_failures`). Commits."""
    _refuse_if_paused(session, email, ip, known_browser, dt.datetime.now(dt.UTC))
    # Checked once more in turn: the check above lets refusals cost no lock.
    _take_turn(session, dt.datetime.now(dt.UTC))
    now = dt.datetime.now(dt.UTC)
    _refuse_if_paused(session, email, ip, known_browser, now)
    session.add(LoginAttempt(email=email, ip=ip, at=now))
    session.commit()


def clear_failures(session: Session, email: str, ip: str) -> None:
    """Forget the failures of ``email`` from ``ip`` (after a successful login)."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.ip == ip))
