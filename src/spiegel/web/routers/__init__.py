"""One router per area, collected here; the app includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from spiegel.web.routers import admin, admin_surveys, api, auth, dashboards, site, survey

ROUTERS: tuple[APIRouter, ...] = (
    site.router,
    survey.router,
    auth.router,  # staff login, /api/me
    admin.router,  # /admin (admin role)
    admin_surveys.router,  # /admin/surveys/SLUG, /admin/exclusions (admin role)
    dashboards.router,  # /dash (staff results pages)
    api.router,  # /api/v1 (results API, token auth)
)

__all__ = ["ROUTERS"]
