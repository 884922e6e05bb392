"""One router per area, collected here; the app includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from spiegel.web.routers import (
    admin,
    admin_imports,
    admin_invitations,
    admin_surveys,
    admin_users,
    api,
    auth,
    dashboards,
    site,
    survey,
)

ROUTERS: tuple[APIRouter, ...] = (
    site.router,
    survey.router,
    auth.router,  # staff login, /api/me
    admin.router,  # /admin, /admin/units, /admin/waves (admin role, as all of /admin)
    admin_surveys.router,  # /admin/surveys, /admin/exclusions
    admin_invitations.router,  # /admin/invitations
    admin_imports.router,  # /admin/imports
    admin_users.router,  # /admin/users
    dashboards.router,  # /dash (staff results pages)
    api.router,  # /api/v1 (results API, token auth)
)

__all__ = ["ROUTERS"]
