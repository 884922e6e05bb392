"""Administration of surveys: opening and closing them, and the page of one survey with
its location links, flagged hours and excluded windows.

==================================  ====  ==================================================
``/admin/surveys``                  GET   surveys with their state and responses
``/admin/surveys/SLUG/open``        POST  open for answers (``opens_at``/``closes_at``)
``/admin/surveys/SLUG/close``       POST  close
``/admin/surveys/SLUG``             GET   the survey; per location link its web responses,
                                          usual hourly rate and flagged windows; exclusions
``/admin/exclusions``               POST  leave a window of a link out of the analysis
                                          (``survey``, ``link``, ``starts_at``, ``ends_at``
                                          in UTC, ``reason``)
``/admin/exclusions/ID/undo``       POST  undo an exclusion (``survey``)
==================================  ====  ==================================================

Admin role only; every POST needs the CSRF token; the page has its JSON twin. The flag
rule and what an exclusion does are described in :mod:`spiegel.services.integrity`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from spiegel.services.integrity import (
    FLAG_FACTOR,
    FLAG_MIN_PER_HOUR,
    Exclusion,
    exclude_window,
    survey_integrity,
    undo_exclusion,
)
from spiegel.services.surveys import close_survey, list_surveys, open_survey
from spiegel.store.models import Audience, Survey
from spiegel.web.auth import AdminUser, Principal
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import BadRequest, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.routers.admin_common import (
    admin_page,
    check_csrf,
    done,
    survey_or_404,
    text_field,
    translated,
)

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)

FORM_FIELDS = ("link", "starts_at", "ends_at", "reason")
BAD_TIME = N_("{field}: give a date and time such as 2026-10-05T16:00 (UTC).")
FIELD_NAMES = {"starts_at": N_("From"), "ends_at": N_("Until")}


def _utc(value: str) -> dt.datetime:
    """An ISO date and time, in UTC when it names no offset (``ValueError`` if it is none)."""
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@router.get("/surveys")
def admin_surveys(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Surveys with their state and responses."""
    surveys = list_surveys(session, user.organisation_id)
    return admin_page(
        request, user, session, "admin/surveys.html", "/admin/surveys", {"surveys": surveys}
    )


def _optional_moment(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return _utc(value)
    except ValueError:
        raise BadRequest() from None


@router.post("/surveys/{slug}/{action}")
def admin_survey_action(
    request: Request, slug: str, action: str, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Open (``opens_at``, ``closes_at`` optional, ISO) or close a survey."""
    check_csrf(request, body)
    if action not in ("open", "close"):
        raise NotFoundError()
    survey = survey_or_404(session, user, slug)
    if action == "open":
        try:
            open_survey(
                session,
                survey,
                _optional_moment(text_field(body, "opens_at")),
                _optional_moment(text_field(body, "closes_at")),
            )
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        return done(request, "/admin/surveys", "opened", slug=slug)
    close_survey(session, survey)
    return done(request, "/admin/surveys", "closed", slug=slug)


def _when(moment: dt.datetime) -> dict[str, str]:
    """A moment (UTC) as the page shows it and as a form field takes it."""
    return {
        "iso": moment.isoformat(),
        "text": f"{moment:%Y-%m-%d %H:%M}",
        "field": f"{moment:%Y-%m-%dT%H:%M}",
    }


def _exclusion(row: Exclusion) -> dict[str, object]:
    return {
        **dataclasses.asdict(row),
        "active": row.active,
        "starts": _when(row.starts_at),
        "ends": _when(row.ends_at),
        "created": _when(row.created_at),
        "revoked": _when(row.revoked_at) if row.revoked_at is not None else None,
    }


def _survey_page(
    request: Request,
    user: Principal,
    session: Session,
    survey: Survey,
    form: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    summary = next(s for s in list_surveys(session, user.organisation_id) if s.slug == survey.slug)
    context: dict[str, object] = {
        "page_kind": "admin_survey",
        "survey": summary,
        "integrity": None,
        "form": form or dict.fromkeys(FORM_FIELDS, ""),
        "error": error,
    }
    if survey.audience == Audience.CUSTOMER:
        report = survey_integrity(session, survey)
        context["integrity"] = {
            "rule": {"min_per_hour": FLAG_MIN_PER_HOUR, "factor": FLAG_FACTOR},
            "excluded": report.excluded,
            "links": [
                {**dataclasses.asdict(link), "flags": len(link.flags)} for link in report.links
            ],
            "flags": [
                {
                    **dataclasses.asdict(flag),
                    "unit_code": link.unit_code,
                    "unit_name": link.unit_name,
                    "starts": _when(flag.starts_at),
                    "ends": _when(flag.ends_at),
                }
                for link, flag in report.flags
            ],
            "exclusions": [_exclusion(row) for row in report.exclusions],
        }
    return admin_page(
        request,
        user,
        session,
        "admin/survey.html",
        "/admin/surveys",
        context,
        422 if error else 200,
    )


@router.get("/surveys/{slug}")
def admin_survey(request: Request, slug: str, user: AdminUser, session: SessionDep) -> Response:
    """One survey: its state, responses and, for a customer survey, its location links."""
    return _survey_page(request, user, session, survey_or_404(session, user, slug))


def _moment(request: Request, body: dict[str, object], name: str) -> dt.datetime:
    try:
        return _utc(text_field(body, name, 40))
    except ValueError:
        field = translated(request, FIELD_NAMES[name])
        raise ValueError(translated(request, BAD_TIME, field=field)) from None


@router.post("/exclusions")
def admin_exclude(
    request: Request, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Leave a window of a location link out of the analysis."""
    check_csrf(request, body)
    survey = survey_or_404(session, user, text_field(body, "survey", 64))
    form = {name: text_field(body, name, 1000) for name in FORM_FIELDS}
    try:
        made = exclude_window(
            session,
            survey,
            form["link"],
            _moment(request, body, "starts_at"),
            _moment(request, body, "ends_at"),
            form["reason"],
            user.email,
        )
    except ValueError as exc:
        session.rollback()
        return _survey_page(request, user, session, survey, form, str(exc))
    url = f"/admin/surveys/{survey.slug}"
    return done(request, url, "excluded", id=str(made.id), responses=str(made.responses))


@router.post("/exclusions/{exclusion_id}/undo")
def admin_undo_exclusion(
    request: Request, exclusion_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Undo an exclusion: its responses count again (the record of it stays)."""
    check_csrf(request, body)
    survey = survey_or_404(session, user, text_field(body, "survey", 64))
    try:
        undone = undo_exclusion(session, survey, exclusion_id, user.email)
    except LookupError:
        raise NotFoundError() from None
    except ValueError as exc:
        session.rollback()
        return _survey_page(request, user, session, survey, error=str(exc))
    return done(request, f"/admin/surveys/{survey.slug}", "included", id=str(undone.id))
