"""Respondents: taking a survey through a personal or a location link (no login).

Routes (``TOKEN`` is the link's token):

=========================  ====  ========================================================
``/s/TOKEN``               GET   what the survey is; start, or continue where you left off
``/s/TOKEN/N``             GET   page N of the questionnaire (one question group)
``/s/TOKEN/N``             POST  save page N's answers, then go on (``action``: ``next``,
                                 ``back`` or ``save``)
``/s/TOKEN/finish``        GET   overview of what was answered, and the send button
``/s/TOKEN/finish``        POST  send: one response per personal link, retries included;
                                 the body may carry answers (a whole questionnaire at once)
``/s/TOKEN/thanks``        GET   thank you
=========================  ====  ========================================================

Every page has a JSON twin (``?format=json`` or ``Accept: application/json``). Each POST
saves; a browser without JavaScript loses nothing between pages, and ``survey.js`` also
saves while answering. A location link's answers in progress are tied to the browser by
the ``spiegel_draft`` cookie, limited to that link's path.

Against ballot stuffing, a location link answers once per browser
(:mod:`spiegel.web.answered`) and within limits (:mod:`spiegel.web.limits`; else 429).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from spiegel.services.invitations import Link, load_draft, new_draft_key, save_draft
from spiegel.services.questionnaire import check_answers, question_groups
from spiegel.services.submissions import FastLane, SubmitOutcome
from spiegel.web.answered import ANSWERED_COOKIE, answered_before, answered_page, mark_answered
from spiegel.web.csrf import CSRF_FIELD, csrf_token, csrf_valid
from spiegel.web.deps import (
    BodyDep,
    LangDep,
    RendererDep,
    SessionDep,
    db_slot,
    get_body,
    posts_json,
)
from spiegel.web.errors import NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.openapi import SURVEY_PAGE, SURVEY_RESPONSES, SURVEY_SAVE, SURVEY_SUBMIT
from spiegel.web.rate_limits import SubmitLimits, TooManySubmissions
from spiegel.web.render import queue_cookie, redirect, render
from spiegel.web.routers.survey_common import (
    CSRF_AGAIN,
    DRAFT_COOKIE,
    DRAFT_DAYS,
    LinkDep,
    current_draft,
    draft_key,
    problem_messages,
    text_value,
    thanks,
)
from spiegel.web.routers.survey_submission import submission_key, submit_in_thread
from spiegel.web.survey_pages import finish_context, page_context, start_context, thanks_context

router = APIRouter(prefix="/s", tags=["survey"], responses=SURVEY_RESPONSES)

ACTIONS = ("next", "back", "save")

SAVED = N_(
    "Your answers are saved. You can close this page and come back later through the same "
    "link to carry on."
)
SAVED_HERE = N_(
    "Your answers are saved on this device. Open the same link in this browser to carry on."
)
NOT_SAVED = N_("Some answers were not saved: they need another look.")


def _page_number(link: Link, number: int) -> int:
    if not 1 <= number <= len(question_groups(link.instrument)):
        raise NotFoundError()
    return number


@router.get("/{token}", **SURVEY_PAGE)
def survey_start(
    request: Request, token: str, link: LinkDep, session: SessionDep, lang: LangDep
) -> Response:
    """What the survey is about; start, or continue with the saved answers."""
    if link.submitted:
        return render(request, "survey/thanks.html", thanks_context(link, token, lang, True))
    if answered_before(request, link, token):
        return answered_page(request, link, token, lang)
    link.require_open()
    draft = current_draft(session, request, link)
    return render(request, "survey/start.html", start_context(link, token, draft, lang))


@router.get("/{token}/{number:int}", **SURVEY_PAGE)
def survey_page(
    request: Request,
    token: str,
    number: int,
    link: LinkDep,
    session: SessionDep,
    lang: LangDep,
    renderer: RendererDep,
) -> Response:
    """One page of questions with the answers saved so far."""
    if link.submitted:
        return thanks(request, token)
    if answered_before(request, link, token):
        return answered_page(request, link, token, lang)
    link.require_open()
    _page_number(link, number)
    draft = current_draft(session, request, link)
    notice = None
    if request.query_params.get("saved"):
        notice = renderer.gettext(lang, SAVED if link.personal else SAVED_HERE)
    context = page_context(
        link, token, number, draft, lang, renderer, csrf_token(request), notice=notice
    )
    return render(request, "survey/page.html", context)


@router.post("/{token}/{number:int}", **SURVEY_SAVE)
def survey_page_save(
    request: Request,
    token: str,
    number: int,
    link: LinkDep,
    session: SessionDep,
    lang: LangDep,
    renderer: RendererDep,
    body: BodyDep,
) -> Response:
    """Save the page's answers (the valid ones even when others are refused), then go on."""
    if link.submitted:
        return thanks(request, token)
    if answered_before(request, link, token):
        return answered_page(request, link, token, lang, 409)
    link.require_open()
    groups = question_groups(link.instrument)
    pages = len(groups)
    _page_number(link, number)
    group = groups[number - 1]
    checked = check_answers(link.instrument, [i.id for i in group.items], body)
    if not csrf_valid(request, text_value(body.get(CSRF_FIELD))):
        draft = current_draft(session, request, link)
        context = page_context(
            link,
            token,
            number,
            draft,
            lang,
            renderer,
            csrf_token(request),
            raw=checked.raw,
            notice=renderer.gettext(lang, CSRF_AGAIN),
        )
        context["error"] = {"status": 403, "code": "csrf_failed", "message": context["notice"]}
        return render(request, "survey/page.html", context, status_code=403)
    action = text_value(body.get("action")) or "next"
    if action not in ACTIONS:
        action = "next"
    if checked.problems:
        target = number
    elif action == "next":
        target = number + 1
    elif action == "back":
        target = max(number - 1, 0)
    else:
        target = number
    key = draft_key(request, link)
    if not link.personal and (key is None or load_draft(session, link, key).submitted):
        key = new_draft_key()
        queue_cookie(request, DRAFT_COOKIE, key, max_age=DRAFT_DAYS * 86400, path=f"/s/{token}")
    draft = save_draft(session, link, checked.values, page=max(target, 1), draft_key=key)
    if draft.submitted:
        return thanks(request, token)
    if checked.problems:
        context = page_context(
            link,
            token,
            number,
            draft,
            lang,
            renderer,
            csrf_token(request),
            raw={k: v for k, v in checked.raw.items() if k in checked.problems},
            problems=checked.problems,
        )
        context["error"] = {
            "status": 422,
            "code": "invalid_answers",
            "message": renderer.gettext(lang, NOT_SAVED),
            "problems": problem_messages(renderer, lang, link, checked),
        }
        return render(request, "survey/page.html", context, status_code=422)
    if action == "save":
        url = f"/s/{token}/{number}?saved=1"
    elif target == 0:
        url = f"/s/{token}"
    elif target > pages:
        url = f"/s/{token}/finish"
    else:
        url = f"/s/{token}/{target}"
    return redirect(request, url, {"saved": True, "answered": len(draft.answers)})


@router.get("/{token}/finish", **SURVEY_PAGE)
def survey_finish(
    request: Request,
    token: str,
    link: LinkDep,
    session: SessionDep,
    lang: LangDep,
    renderer: RendererDep,
) -> Response:
    """What was answered, with links back to each page, and the send button."""
    if link.submitted:
        return thanks(request, token)
    if answered_before(request, link, token):
        return answered_page(request, link, token, lang)
    link.require_open()
    draft = current_draft(session, request, link)
    context = finish_context(link, token, draft, lang, renderer, csrf_token(request))
    return render(request, "survey/finish.html", context)


@router.post("/{token}/finish", **SURVEY_SUBMIT)
async def survey_submit(request: Request, token: str) -> Response:
    """Send the answers. A second click or a retry shows the thank-you page again.

    The body may carry answers too (item id to value, as on the pages): they are saved
    with the others and sent at once, so a client can send a whole questionnaire in one
    request. A JSON body needs no CSRF token (see :func:`~spiegel.web.render.posts_json`);
    with ``submission_key`` (16-128 characters, the same on a retry) a retry through a
    location link is recognised too. Such a request from a browser with no answers saved
    takes the fast lane (:class:`~spiegel.services.submissions.FastLane`, PostgreSQL).

    Through a location link, a browser that already answered is thanked with 409 and
    nothing is stored, and beyond the submission limits the answer is 429 with
    ``Retry-After`` (a JSON client at once; a browser sees its overview again).
    """
    # No dependencies here: on the fast lane their resolution would cost more than the
    # work.
    body = await get_body(request)
    limits: SubmitLimits = request.app.state.submit_limits
    keys = limits.keys_of(request, token)
    wait = limits.wait(keys)
    if wait and posts_json(request):
        raise TooManySubmissions(wait)
    lane: FastLane | None = getattr(request.app.state, "fast_lane", None)
    if (
        lane is not None
        and posts_json(request)
        and DRAFT_COOKIE not in request.cookies
        and ANSWERED_COOKIE not in request.cookies
    ):
        done = await lane.submit(token, body, submission_key(body), db_slot=db_slot(request))
        if done is not None:
            if done == SubmitOutcome.SUBMITTED:
                limits.take(keys)
            mark_answered(request, token)
            return thanks(request, token)
    async with db_slot(request):
        return await run_in_threadpool(submit_in_thread, request, token, body, keys)


@router.get("/{token}/thanks", **SURVEY_PAGE)
def survey_thanks(request: Request, token: str, link: LinkDep, lang: LangDep) -> Response:
    """Thank you. (A personal link that has not sent yet goes back to its start.)"""
    if link.personal and not link.submitted:
        return redirect(request, f"/s/{token}")
    return render(request, "survey/thanks.html", thanks_context(link, token, lang, False))
