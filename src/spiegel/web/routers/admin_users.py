"""Administration (admin role only): staff users and their API tokens.

==================================  ====  ==================================================
``/admin/users``                    GET   users; POST adds one
``/admin/users/ID/disable``         POST  disable (sessions and tokens end at once)
``/admin/users/ID/token``           POST  a new API token, shown once
==================================  ====  ==================================================

The page has its JSON twin (``?format=json``); every POST needs the CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from spiegel.services.admin import organisation_of, unit_tree
from spiegel.services.users import add_user, create_token, disable_user, list_users, token_count
from spiegel.store.models import StaffRole, StaffUser
from spiegel.web.auth import AdminUser, Principal
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import BadRequest, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.render import redirect, wants_json
from spiegel.web.routers.admin_common import admin_page, check_csrf, done, text_field, translated

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)

ROLE_TITLES = (
    (StaffRole.ADMIN, N_("Administrator: everything")),
    (StaffRole.ANALYST, N_("Analyst: reads all units")),
    (StaffRole.MANAGER, N_("Manager: reads own unit and below")),
    (StaffRole.MEMBER, N_("Member: own team's results")),
)
USER_DISABLED = N_("User {email} is disabled; their sessions and API tokens have ended.")
NOT_YOURSELF = N_("You cannot disable your own account.")


def _users_page(
    request: Request,
    user: Principal,
    session: Session,
    form: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    users = list_users(session, user.organisation_id)
    tokens = token_count(session, [u.id for u in users])
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "unit_code": u.unit_code,
            "unit_name": u.unit_name,
            "active": u.active,
            "tokens": tokens.get(u.id, 0),
            "created_at": u.created_at,
            "is_me": u.id == user.user_id,
        }
        for u in users
    ]
    units = [{"code": u.code, "name": u.name} for u in unit_tree(session, user.organisation_id)]
    context: dict[str, object] = {
        "users": rows,
        "roles": [{"value": r.value, "title": translated(request, t)} for r, t in ROLE_TITLES],
        "units": units,
        "form": form or {"email": "", "role": StaffRole.MANAGER.value, "unit": ""},
        "token": None,
        **(extra or {}),
    }
    return admin_page(
        request, user, session, "admin/users.html", "/admin/users", context, status_code
    )


@router.get("/users")
def admin_users(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Staff users, and the form to add one."""
    return _users_page(request, user, session)


@router.post("/users")
def admin_add_user(
    request: Request, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Add a staff user."""
    check_csrf(request, body)
    form = {
        "email": text_field(body, "email", 320),
        "role": text_field(body, "role"),
        "unit": text_field(body, "unit", 64),
    }
    password = body.get("password")
    try:
        org = organisation_of(session, user.organisation_id)
        added = add_user(
            session,
            org,
            form["email"],
            password if isinstance(password, str) else "",
            form["role"],
            form["unit"] or None,
        )
    except (ValueError, LookupError) as exc:
        session.rollback()
        return _users_page(request, user, session, form, {"error": str(exc)}, 422)
    return done(request, "/admin/users", "added", email=added.email)


def _staff_user(session: Session, user: Principal, user_id: int) -> StaffUser:
    target = session.get(StaffUser, user_id)
    if target is None or target.organisation_id != user.organisation_id:
        raise NotFoundError()
    return target


@router.post("/users/{user_id}/disable")
def admin_disable_user(
    request: Request, user_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Disable a user: their sessions and tokens end at once."""
    check_csrf(request, body)
    target = _staff_user(session, user, user_id)
    if target.id == user.user_id:
        raise BadRequest(NOT_YOURSELF)
    disable_user(session, target)
    notice = translated(request, USER_DISABLED, email=target.email)
    if wants_json(request):
        return redirect(request, "/admin/users", {"disabled": target.email})
    return _users_page(request, user, session, extra={"notice": notice})


@router.post("/users/{user_id}/token")
def admin_new_token(
    request: Request, user_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """A new API token for a user, shown once on the page that answers this POST."""
    check_csrf(request, body)
    target = _staff_user(session, user, user_id)
    try:
        token = create_token(session, target, name=f"admin page, by {user.email}")
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return _users_page(
        request, user, session, extra={"token": {"email": target.email, "value": token}}
    )
