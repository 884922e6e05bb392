"""Sending a questionnaire the usual way (in a worker thread, with a session): the
checks, the submission limits, and retries recognised as such.

The fast lane (:class:`~spiegel.services.submissions.FastLane`) is tried first by the
route (:func:`spiegel.web.routers.survey.survey_submit`); what it does not take comes
here.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from spiegel.services.invitations import Link, load_draft, resolve_link
from spiegel.services.questionnaire import check_answers
from spiegel.services.submissions import (
    SubmitOutcome,
    already_stored,
    submit,
    valid_submission_key,
)
from spiegel.web.answered import answered_before, answered_page, mark_answered
from spiegel.web.csrf import CSRF_FIELD, csrf_token, csrf_valid
from spiegel.web.deps import posts_json
from spiegel.web.i18n import N_
from spiegel.web.rate_limits import TOO_MANY, SubmitLimits, minutes
from spiegel.web.render import language_of, queue_cookie, render
from spiegel.web.routers.survey_common import (
    CSRF_AGAIN,
    DRAFT_COOKIE,
    current_draft,
    draft_key,
    problem_messages,
    text_value,
    thanks,
)
from spiegel.web.survey_pages import finish_context
from spiegel.web.templating import Renderer

__all__ = ["SUBMISSION_KEY", "submission_key", "submit_in_thread"]

SUBMISSION_KEY = "submission_key"
NOT_SENT = N_("Your answers were not sent: some of them need another look.")
NOTHING_YET = N_("You have not answered any question yet. Answer at least one before sending.")


def submit_in_thread(
    request: Request, token: str, body: dict[str, object], keys: tuple[bytes, bytes | None]
) -> Response:
    """Send the answers in a session of its own (run in a worker thread)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    renderer: Renderer = request.app.state.renderer
    with sessions() as session:
        return _submit_in(session, request, token, language_of(request), renderer, body, keys)


def _submit_in(
    session: Session,
    request: Request,
    token: str,
    lang: str,
    renderer: Renderer,
    body: dict[str, object],
    keys: tuple[bytes, bytes | None],
) -> Response:
    link = resolve_link(session, token)
    if link.submitted:
        return thanks(request, token)
    link.require_open()
    key = submission_key(body)
    if answered_before(request, link, token):
        if _is_retry(session, request, link, key):
            return thanks(request, token)
        return answered_page(request, link, token, lang, 409)

    def again(
        notice: str, status: int, code: str, headers: dict[str, str] | None = None, **extra: object
    ) -> Response:
        draft = current_draft(session, request, link)
        context = finish_context(
            link, token, draft, lang, renderer, csrf_token(request), notice=notice
        )
        context.update(extra)
        context["error"] = {"status": status, "code": code, "message": notice, **extra}
        return render(request, "survey/finish.html", context, status, headers)

    if not posts_json(request) and not csrf_valid(request, text_value(body.get(CSRF_FIELD))):
        return again(renderer.gettext(lang, CSRF_AGAIN), 403, "csrf_failed")
    limits: SubmitLimits = request.app.state.submit_limits
    wait = 0 if link.personal else limits.wait(keys)
    if wait:
        notice = renderer.gettext(lang, TOO_MANY).format(minutes=minutes(wait))
        return again(notice, 429, "too_many_submissions", {"Retry-After": str(wait)})
    given = [item.id for item in link.instrument.items if item.id in body]
    checked = check_answers(link.instrument, given, body)
    if checked.problems:
        problems = problem_messages(renderer, lang, link, checked)
        return again(renderer.gettext(lang, NOT_SENT), 422, "invalid_answers", problems=problems)
    if not valid_submission_key(key):
        return again(renderer.gettext(lang, NOT_SENT), 422, "invalid_submission_key")
    outcome = submit(session, link, draft_key(request, link), checked.values, key)
    if outcome == SubmitOutcome.NOTHING_TO_SUBMIT:
        return again(renderer.gettext(lang, NOTHING_YET), 422, "nothing_to_submit")
    if not link.personal:
        if outcome == SubmitOutcome.SUBMITTED:
            limits.take(keys)
        mark_answered(request, token)
        if draft_key(request, link) is not None:
            queue_cookie(request, DRAFT_COOKIE, "", max_age=0, path=f"/s/{token}")
    return thanks(request, token)


def _is_retry(session: Session, request: Request, link: Link, key: str | None) -> bool:
    """Whether a submission through a location link repeats one that is stored: the same
    ``submission_key``, or the same draft (a double click, an answer lost on the way)."""
    if key and valid_submission_key(key) and already_stored(session, link, key):
        return True
    browser_key = draft_key(request, link)
    return browser_key is not None and load_draft(session, link, browser_key).submitted


def submission_key(body: dict[str, object]) -> str | None:
    """The body's submission key; one that is not text is refused as of the wrong length."""
    key = body.get(SUBMISSION_KEY)
    return key if key is None or isinstance(key, str) else ""
