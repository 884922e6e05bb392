"""Administration (admin role only): personal links of the employee surveys.

==================================  ====  ==================================================
``/admin/invitations``              GET   employee surveys and their personal links
``/admin/invitations/SLUG``         POST  create links: ``action=download`` answers with the
                                          mail-merge CSV (once); ``action=send`` e-mails them
==================================  ====  ==================================================

The page has its JSON twin (``?format=json``); every POST needs the CSRF token.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from fastapi import APIRouter, Request
from starlette.responses import Response

from spiegel.services.invitations import create_personal_invitations, link_url
from spiegel.services.mailing import mailmerge_csv, send_invitations
from spiegel.services.surveys import list_surveys
from spiegel.store.models import Audience
from spiegel.web.auth import AdminUser
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import BadRequest
from spiegel.web.i18n import N_
from spiegel.web.routers.admin_common import (
    admin_page,
    check_csrf,
    survey_or_404,
    text_field,
    translated,
)

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)
log = logging.getLogger("spiegel.web.admin")

NO_SMTP = N_("Sending by e-mail is off: set SPIEGEL_SMTP_URL to turn it on.")
SMTP_FAILED = N_(
    "The mail server could not be reached, so no e-mail was sent. The new links are listed "
    "below: pass them on yourself."
)


@router.get("/invitations")
def admin_invitations(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Employee surveys with their personal links."""
    surveys = [s for s in list_surveys(session, user.organisation_id) if s.audience == "employee"]
    smtp = bool(request.app.state.settings.smtp_url)
    return admin_page(
        request,
        user,
        session,
        "admin/invitations.html",
        "/admin/invitations",
        {"surveys": surveys, "smtp": smtp},
    )


@router.post("/invitations/{slug}")
def admin_create_invitations(
    request: Request, slug: str, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Create the missing personal links; download them as a mail-merge CSV (the only
    time they can be seen) or send them by e-mail."""
    check_csrf(request, body)
    action = text_field(body, "action") or "download"
    settings = request.app.state.settings
    if action not in ("download", "send"):
        raise BadRequest()
    if action == "send" and not settings.smtp_url:
        raise BadRequest(NO_SMTP)
    survey = survey_or_404(session, user, slug)
    if survey.audience != Audience.EMPLOYEE:
        raise BadRequest()
    issued, skipped = create_personal_invitations(session, survey)
    if action == "download":
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        return Response(
            mailmerge_csv(issued, settings.public_url),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="links-{slug}-{stamp}.csv"',
                "X-Spiegel-Links": str(len(issued)),
                "X-Spiegel-Skipped": str(skipped),
            },
        )
    error = None
    try:
        report = send_invitations(issued, settings.public_url, settings.smtp_url, slug)
        unsent_keys = set(report.without_address) | set(report.failed)
        sent = report.sent
    except (OSError, smtplib.SMTPException, ValueError):
        log.exception("sending invitations for %s failed", slug)
        unsent_keys = {link.employee_key for link in issued}
        sent = 0
        error = translated(request, SMTP_FAILED)
    unsent = [
        {
            "employee_key": link.employee_key,
            "unit_code": link.unit_code,
            "url": link_url(settings.public_url, link.token),
        }
        for link in issued
        if link.employee_key in unsent_keys
    ]
    context: dict[str, object] = {
        "survey": slug,
        "sent": sent,
        "skipped": skipped,
        "unsent": unsent,
        "error": error,
    }
    return admin_page(request, user, session, "admin/sent.html", "/admin/invitations", context)
