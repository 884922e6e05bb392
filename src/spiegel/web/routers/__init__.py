"""One router per area, collected here; the app includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

from spiegel.web.routers import site, survey

ROUTERS: tuple[APIRouter, ...] = (site.router, survey.router)

__all__ = ["ROUTERS"]
