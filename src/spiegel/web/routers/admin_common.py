"""What the administration pages share: the page frame, notices, form fields, CSRF, and
the survey an address names."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from spiegel.services.admin import organisation_of
from spiegel.services.surveys import find_survey
from spiegel.store.models import Survey
from spiegel.store.organisation import NotFound
from spiegel.web.auth import Principal
from spiegel.web.csrf import CSRF_FIELD, csrf_token, csrf_valid
from spiegel.web.errors import CsrfFailed, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.render import language_of, redirect, render

__all__ = [
    "SECTIONS",
    "admin_page",
    "check_csrf",
    "done",
    "survey_or_404",
    "text_field",
    "translated",
]

SECTIONS = (
    ("/admin", N_("Overview")),
    ("/admin/units", N_("Units")),
    ("/admin/waves", N_("Waves")),
    ("/admin/surveys", N_("Surveys")),
    ("/admin/invitations", N_("Invitations")),
    ("/admin/imports", N_("Imports")),
    ("/admin/users", N_("Users")),
)
NOTICES = {
    "opened": N_("Survey {slug} is open."),
    "closed": N_("Survey {slug} is closed."),
    "wave": N_("Wave {name} is saved."),
    "added": N_("User {email} is added."),
    "excluded": N_(
        "Exclusion {id} is saved: the analysis leaves out {responses} response(s) of that window."
    ),
    "included": N_("Exclusion {id} is undone: its responses count again."),
}
"""What a page says after ``?done=KEY`` (see :func:`done`); ``{name}``: query values."""


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def translated(request: Request, message: str, **params: object) -> str:
    """``message`` in the page language, with ``params`` filled in."""
    text: str = request.app.state.renderer.gettext(language_of(request), message)
    return text.format(**params) if params else text


def check_csrf(request: Request, body: dict[str, object]) -> None:
    """Refuse a form without this browser's CSRF token."""
    token = body.get(CSRF_FIELD)
    if not csrf_valid(request, token if isinstance(token, str) else None):
        raise CsrfFailed()


def text_field(body: dict[str, object], name: str, limit: int = 200) -> str:
    """A posted text field, trimmed and cut at ``limit`` ('' when absent)."""
    value = body.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def admin_page(
    request: Request,
    user: Principal,
    session: Session,
    template: str,
    current: str,
    context: dict[str, object],
    status_code: int = 200,
) -> Response:
    """An administration page: ``context`` in the frame of section ``current``."""
    org = organisation_of(session, user.organisation_id)
    notice = context.pop("notice", None)
    key = request.query_params.get("done")
    if notice is None and key in NOTICES:
        params = _Blank(request.query_params.items())
        notice = translated(request, NOTICES[key]).format_map(params)
    page: dict[str, object] = {
        "page_kind": f"admin_{current.rsplit('/', 1)[-1] or 'index'}",
        "organisation": {"id": org.id, "slug": org.slug, "name": org.name},
        "user": {"email": user.email, "role": user.role.value},
        "sections": [
            {"url": url, "title": translated(request, title), "current": url == current}
            for url, title in SECTIONS
        ],
        "csrf_token": csrf_token(request),
        "notice": notice,
        "error": None,
        **context,
    }
    return render(request, template, page, status_code=status_code)


def done(request: Request, url: str, key: str, **params: str) -> Response:
    """After a successful POST: to ``url``, which then says :data:`NOTICES` ``[key]``."""
    query = urlencode({"done": key, **params})
    return redirect(request, f"{url}?{query}", {"done": key, **params})


def survey_or_404(session: Session, user: Principal, slug: str) -> Survey:
    """The survey ``slug`` of the user's organisation (a 404 page when there is none)."""
    try:
        return find_survey(session, user.organisation_id, slug)
    except NotFound:
        raise NotFoundError() from None
