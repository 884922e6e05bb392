"""What the respondent routes share: the link of the address, the answers in progress,
the way to the thank-you page, and how refused answers are worded.

A location link's answers in progress are tied to the browser by the
:data:`DRAFT_COOKIE` cookie, limited to that link's path; a personal link's are tied to
the link itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from spiegel.services.invitations import Draft, Link, load_draft, resolve_link
from spiegel.services.questionnaire import CheckedAnswers
from spiegel.web.deps import SessionDep
from spiegel.web.i18n import N_
from spiegel.web.render import redirect
from spiegel.web.survey_pages import problem_message
from spiegel.web.templating import Renderer

__all__ = [
    "CSRF_AGAIN",
    "DRAFT_COOKIE",
    "DRAFT_DAYS",
    "LinkDep",
    "current_draft",
    "current_link",
    "draft_key",
    "problem_messages",
    "text_value",
    "thanks",
]

DRAFT_COOKIE = "spiegel_draft"
DRAFT_DAYS = 60
CSRF_AGAIN = N_(
    "For your security we could not save this page. Your answers are still filled in below: "
    "please press the button again."
)


def current_link(token: str, session: SessionDep) -> Link:
    """The link of the address (a friendly 404 page when there is none)."""
    return resolve_link(session, token)


LinkDep = Annotated[Link, Depends(current_link)]


def draft_key(request: Request, link: Link) -> str | None:
    """The key of this browser's answers in progress through a location link."""
    return None if link.personal else request.cookies.get(DRAFT_COOKIE)


def current_draft(session: Session, request: Request, link: Link) -> Draft:
    """The answers in progress through ``link`` (for a location link: this browser's)."""
    draft = load_draft(session, link, draft_key(request, link))
    if not link.personal and draft.submitted:
        # A location link's browser that already sent: a new visit starts afresh.
        return Draft(answers={}, page=1, submitted=False, exists=False)
    return draft


def thanks(request: Request, token: str) -> Response:
    """To the thank-you page of the link."""
    return redirect(request, f"/s/{token}/thanks", {"submitted": True})


def problem_messages(
    renderer: Renderer, lang: str, link: Link, checked: CheckedAnswers
) -> dict[str, str]:
    """Item id to what is wrong with its answer, in the respondent's language."""
    return {
        item_id: problem_message(renderer, lang, link.instrument, problem)
        for item_id, problem in checked.problems.items()
    }


def text_value(value: object) -> str | None:
    """A posted value if it is text."""
    return value if isinstance(value, str) else None
