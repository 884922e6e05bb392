"""Administration (admin role only): the overview, the unit tree and the waves.

==================================  ====  ==================================================
``/admin``                          GET   the sections
``/admin/units``                    GET   the unit tree (kinds, parents, employees)
``/admin/waves``                    GET   waves; POST adds one (or corrects its dates)
==================================  ====  ==================================================

The other sections have routers of their own, one per resource: surveys
(:mod:`~spiegel.web.routers.admin_surveys`), invitations
(:mod:`~spiegel.web.routers.admin_invitations`), imports
(:mod:`~spiegel.web.routers.admin_imports`) and users
(:mod:`~spiegel.web.routers.admin_users`); what they share is in
:mod:`~spiegel.web.routers.admin_common`. Every page has its JSON twin
(``?format=json``); every POST needs the CSRF token.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from spiegel.services.admin import organisation_of, unit_tree, wave_rows
from spiegel.services.waves import define_wave
from spiegel.web.auth import AdminUser, Principal
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.routers.admin_common import admin_page, check_csrf, done, text_field

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)


@router.get("")
def admin_index(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """The sections of the administration."""
    return admin_page(request, user, session, "admin/index.html", "/admin", {})


@router.get("/units")
def admin_units(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """The unit tree."""
    units = unit_tree(session, user.organisation_id)
    return admin_page(request, user, session, "admin/units.html", "/admin/units", {"units": units})


def _waves_page(
    request: Request, user: Principal, session: Session, error: str | None = None
) -> Response:
    rows = wave_rows(session, user.organisation_id)
    context: dict[str, object] = {"waves": rows, "error": error}
    return admin_page(
        request,
        user,
        session,
        "admin/waves.html",
        "/admin/waves",
        context,
        422 if error else 200,
    )


@router.get("/waves")
def admin_waves(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Waves, and the form to add one."""
    return _waves_page(request, user, session)


@router.post("/waves")
def admin_add_wave(
    request: Request, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Add a wave, or correct the dates of one."""
    check_csrf(request, body)
    name = text_field(body, "name", 64)
    try:
        if not re.fullmatch(r"[\w.\-]+", name):
            raise ValueError(f"wave name {name!r}: use letters, digits, '-', '_' or '.'")
        starts = dt.date.fromisoformat(text_field(body, "starts_on"))
        ends = dt.date.fromisoformat(text_field(body, "ends_on"))
        org = organisation_of(session, user.organisation_id)
        define_wave(request.app.state.engine, name, starts, ends, org.slug)
    except ValueError as exc:
        return _waves_page(request, user, session, str(exc))
    return done(request, "/admin/waves", "wave", name=name)
