"""Who is asking: staff sessions, API tokens, roles and unit scope.

Use the ``Annotated`` aliases in routes::

    @router.get("/units/{unit_id}")
    def unit_page(unit_id: int, user: CurrentUser) -> Response:
        require_unit(user, unit_id)  # 403 outside the user's scope
        ...

* :data:`CurrentUser`: a logged-in staff member (session cookie). A browser that is not
  logged in is sent to ``/login?next=...``; a JSON client gets 401.
* :func:`require_role` / :data:`AdminUser`: 403 for other roles.
* :data:`ApiUser`: ``Authorization: Bearer sp_...`` (an API token) or a session.
* :class:`Principal`: the user with the unit ids they may see (``None``: every unit).

Every request reads the session from the database and checks that the user is still
active, so disabling a user ends their access at once, in every worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from spiegel.services.users import SessionUser, resolve_session, resolve_token
from spiegel.store.models import StaffRole
from spiegel.web.deps import SessionDep
from spiegel.web.errors import AppError
from spiegel.web.i18n import N_
from spiegel.web.render import queue_cookie, wants_json

__all__ = [
    "SESSION_COOKIE",
    "AdminUser",
    "ApiUser",
    "CurrentUser",
    "Forbidden",
    "NotLoggedIn",
    "OptionalUser",
    "Principal",
    "api_user",
    "current_user",
    "optional_user",
    "require_role",
    "require_unit",
    "set_session_cookie",
]

SESSION_COOKIE = "spiegel_session"


@dataclass(frozen=True)
class Principal:
    """A staff member making this request, and what they may see."""

    user_id: int
    email: str
    role: StaffRole
    organisation_id: int
    unit_id: int | None
    units: frozenset[int] | None  # unit ids the user may see; None = every unit

    def can_see(self, unit_id: int) -> bool:
        """Whether ``unit_id`` is within this user's scope."""
        return self.units is None or unit_id in self.units

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @classmethod
    def of(cls, found: SessionUser) -> Principal:
        user = found.user
        return cls(
            user_id=user.id,
            email=user.email,
            role=user.role,
            organisation_id=user.organisation_id,
            unit_id=user.unit_id,
            units=found.units,
        )


class NotLoggedIn(AppError):
    """401 for a JSON client; a browser is redirected to the login page instead."""

    status_code = 401
    code = "not_logged_in"
    title = N_("Please log in")
    message = N_("This page is for staff. Log in with your e-mail address and password.")


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    title = N_("No access")
    message = N_("Your account does not give access to this page.")


def _not_logged_in(request: Request) -> NotLoggedIn:
    if wants_json(request) or request.url.path.startswith("/api/"):
        return NotLoggedIn(headers={"WWW-Authenticate": 'Bearer realm="spiegel"'})
    target = request.url.path
    if request.url.query:
        target += f"?{request.url.query}"
    error = NotLoggedIn(headers={"Location": f"/login?next={quote(target, safe='')}"})
    error.status_code = 303
    return error


def set_session_cookie(request: Request, sid: str) -> None:
    """Queue the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS; ends with the
    browser session; ``sid=''`` deletes it)."""
    queue_cookie(request, SESSION_COOKIE, sid, max_age=0 if not sid else None)


def _from_session(request: Request, session: Session) -> Principal | None:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    found = resolve_session(session, sid)
    if found is None:
        set_session_cookie(request, "")
        return None
    principal = Principal.of(found)
    request.state.principal = principal
    return principal


def optional_user(request: Request, session: SessionDep) -> Principal | None:
    """The logged-in staff member, or ``None``."""
    return _from_session(request, session)


def current_user(request: Request, session: SessionDep) -> Principal:
    """The logged-in staff member (login page or 401 otherwise)."""
    principal = _from_session(request, session)
    if principal is None:
        raise _not_logged_in(request)
    return principal


def require_role(*roles: StaffRole) -> Callable[..., Principal]:
    """A dependency giving the current user when their role is one of ``roles`` (403
    otherwise)."""
    allowed = frozenset(roles)

    def dependency(user: Annotated[Principal, Depends(current_user)]) -> Principal:
        if user.role not in allowed:
            raise Forbidden()
        return user

    return dependency


def api_user(request: Request, session: SessionDep) -> Principal:
    """The caller of an API route: ``Authorization: Bearer TOKEN`` or a session (401)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        found = resolve_token(session, token.strip())
        if found is None:
            raise NotLoggedIn(
                N_("The API token is not valid (or its user was disabled)."),
                headers={"WWW-Authenticate": 'Bearer realm="spiegel", error="invalid_token"'},
            )
        return Principal.of(found)
    principal = _from_session(request, session)
    if principal is None:
        raise NotLoggedIn(headers={"WWW-Authenticate": 'Bearer realm="spiegel"'})
    return principal


def require_unit(user: Principal, unit_id: int) -> None:
    """403 unless ``unit_id`` is within ``user``'s scope."""
    if not user.can_see(unit_id):
        raise Forbidden()


CurrentUser = Annotated[Principal, Depends(current_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]
AdminUser = Annotated[Principal, Depends(require_role(StaffRole.ADMIN))]
ApiUser = Annotated[Principal, Depends(api_user)]
