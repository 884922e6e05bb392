"""The site itself: the home page and a health check for load balancers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import JSONResponse, Response

from spiegel import __version__
from spiegel.web.auth import OptionalUser
from spiegel.web.deps import SessionDep
from spiegel.web.render import render

router = APIRouter(tags=["site"])


@router.get("/", include_in_schema=False)
def home(request: Request, user: OptionalUser) -> Response:
    """What this server is; respondents arrive through their own link instead. Logged-in
    staff see the staff header here too, and a link to the results."""
    context = {"page_kind": "home", "version": __version__, "staff_user": user is not None}
    return render(request, "home.html", context)


@router.get("/healthz")
def health(session: SessionDep) -> Response:
    """``{"status": "ok"}`` when the database answers (for load balancers and monitors)."""
    session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok", "version": __version__})
