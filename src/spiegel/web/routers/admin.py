"""Administration (admin role only): units, waves, surveys, invitations, imports, users.

==================================  ====  ==================================================
``/admin``                          GET   the sections
``/admin/units``                    GET   the unit tree (kinds, parents, employees)
``/admin/waves``                    GET   waves; POST adds one (or corrects its dates)
``/admin/surveys``                  GET   surveys with their state and responses
``/admin/surveys/SLUG/open``        POST  open for answers (``opens_at``/``closes_at``)
``/admin/surveys/SLUG/close``       POST  close
``/admin/surveys/SLUG``             GET   one survey, its location links' flagged hours
                                          and excluded windows (in ``admin_surveys``)
``/admin/invitations``              GET   employee surveys and their personal links
``/admin/invitations/SLUG``         POST  create links: ``action=download`` answers with the
                                          mail-merge CSV (once); ``action=send`` e-mails them
``/admin/imports``                  GET   the upload form; POST imports (all or nothing)
``/admin/imports/{batch}/undo``     POST  takes an imported file out again (all or nothing)
``/admin/users``                    GET   users; POST adds one
``/admin/users/ID/disable``         POST  disable (sessions and tokens end at once)
``/admin/users/ID/token``           POST  a new API token, shown once
==================================  ====  ==================================================

Every page has its JSON twin (``?format=json``); every POST needs the CSRF token.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import Response

from spiegel._lazy import lazy_module
from spiegel.services.admin import (
    instrument_names,
    organisation_of,
    unit_tree,
    wave_rows,
)
from spiegel.services.invitations import create_personal_invitations, link_url
from spiegel.services.mailing import mailmerge_csv, send_invitations
from spiegel.services.surveys import close_survey, find_survey, list_surveys, open_survey
from spiegel.services.users import (
    add_user,
    create_token,
    disable_user,
    list_users,
    token_count,
)
from spiegel.services.waves import define_wave
from spiegel.store.models import Audience, StaffRole, StaffUser
from spiegel.store.organisation import NotFound
from spiegel.web.auth import AdminUser, Principal
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import BadRequest, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.render import redirect, wants_json
from spiegel.web.routers.admin_common import (
    admin_page,
    check_csrf,
    done,
    text_field,
    translated,
)

if TYPE_CHECKING:
    from spiegel.ingest import problems as ingest_problems
    from spiegel.services import import_batches, importing
else:  # pandas and the file readers load with the first import, not when the server starts
    importing = lazy_module("spiegel.services.importing")
    import_batches = lazy_module("spiegel.services.import_batches")
    ingest_problems = lazy_module("spiegel.ingest.problems")

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)
log = logging.getLogger("spiegel.web.admin")

MAX_UPLOAD_BYTES = 50_000_000
MAX_PROBLEMS_SHOWN = 1_000  # the page lists this many; the count says how many in all
IMPORT_KINDS = (
    ("units", N_("Units (the organisation tree)")),
    ("employees", N_("Employees")),
    ("responses", N_("Survey responses")),
    ("outcomes", N_("Outcomes (absenteeism, turnover, ...)")),
)
ROLE_TITLES = (
    (StaffRole.ADMIN, N_("Administrator: everything")),
    (StaffRole.ANALYST, N_("Analyst: reads all units")),
    (StaffRole.MANAGER, N_("Manager: reads own unit and below")),
    (StaffRole.MEMBER, N_("Member: own team's results")),
)
USER_DISABLED = N_("User {email} is disabled; their sessions and API tokens have ended.")
NO_SMTP = N_("Sending by e-mail is off: set SPIEGEL_SMTP_URL to turn it on.")
SMTP_FAILED = N_(
    "The mail server could not be reached, so no e-mail was sent. The new links are listed "
    "below: pass them on yourself."
)
NOT_YOURSELF = N_("You cannot disable your own account.")
UNDONE = N_("Undone: {summary}")
SHOWN_BATCHES = 30

# --- overview, units, waves --------------------------------------------------------------------


@router.get("")
def admin_index(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """The sections of the administration."""
    return admin_page(request, user, session, "admin/index.html", "/admin", {})


@router.get("/units")
def admin_units(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """The unit tree."""
    units = unit_tree(session, user.organisation_id)
    return admin_page(request, user, session, "admin/units.html", "/admin/units", {"units": units})


def _waves_page(
    request: Request, user: Principal, session: Session, error: str | None = None
) -> Response:
    rows = wave_rows(session, user.organisation_id)
    context: dict[str, object] = {"waves": rows, "error": error}
    return admin_page(
        request,
        user,
        session,
        "admin/waves.html",
        "/admin/waves",
        context,
        422 if error else 200,
    )


@router.get("/waves")
def admin_waves(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Waves, and the form to add one."""
    return _waves_page(request, user, session)


@router.post("/waves")
def admin_add_wave(
    request: Request, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Add a wave, or correct the dates of one."""
    check_csrf(request, body)
    name = text_field(body, "name", 64)
    try:
        if not re.fullmatch(r"[\w.\-]+", name):
            raise ValueError(f"wave name {name!r}: use letters, digits, '-', '_' or '.'")
        starts = dt.date.fromisoformat(text_field(body, "starts_on"))
        ends = dt.date.fromisoformat(text_field(body, "ends_on"))
        org = organisation_of(session, user.organisation_id)
        define_wave(request.app.state.engine, name, starts, ends, org.slug)
    except ValueError as exc:
        return _waves_page(request, user, session, str(exc))
    return done(request, "/admin/waves", "wave", name=name)


# --- surveys -----------------------------------------------------------------------------------


@router.get("/surveys")
def admin_surveys(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Surveys with their state and responses."""
    surveys = list_surveys(session, user.organisation_id)
    return admin_page(
        request, user, session, "admin/surveys.html", "/admin/surveys", {"surveys": surveys}
    )


def _moment(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest() from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@router.post("/surveys/{slug}/{action}")
def admin_survey_action(
    request: Request, slug: str, action: str, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Open (``opens_at``, ``closes_at`` optional, ISO) or close a survey."""
    check_csrf(request, body)
    if action not in ("open", "close"):
        raise NotFoundError()
    try:
        survey = find_survey(session, user.organisation_id, slug)
    except NotFound:
        raise NotFoundError() from None
    if action == "open":
        try:
            open_survey(
                session,
                survey,
                _moment(text_field(body, "opens_at")),
                _moment(text_field(body, "closes_at")),
            )
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        return done(request, "/admin/surveys", "opened", slug=slug)
    close_survey(session, survey)
    return done(request, "/admin/surveys", "closed", slug=slug)


# --- invitations --------------------------------------------------------------------------------


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
    try:
        survey = find_survey(session, user.organisation_id, slug)
    except NotFound:
        raise NotFoundError() from None
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


# --- imports -----------------------------------------------------------------------------------


def _imports_page(
    request: Request,
    user: Principal,
    session: Session,
    form: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    org_waves = [w.name for w in wave_rows(session, user.organisation_id)]
    org = organisation_of(session, user.organisation_id)
    batches = import_batches.list_batches(request.app.state.engine, org.slug)[:SHOWN_BATCHES]
    context: dict[str, object] = {
        "batches": [
            {
                "id": b.id,
                "created_at": b.created_at.strftime("%Y-%m-%d %H:%M"),
                "kind": b.kind,
                "target": b.target,
                "filename": b.filename,
                "rows": b.rows,
                "undoable": b.undoable,
            }
            for b in batches
        ],
        "kinds": [{"value": k, "title": translated(request, t)} for k, t in IMPORT_KINDS],
        "waves": org_waves,
        "instruments": instrument_names(),
        "max_mb": MAX_UPLOAD_BYTES // 1_000_000,
        "form": form or {"kind": "", "survey": "", "wave": "", "instrument": "", "allow": ""},
        "result": None,
        "problems": [],
        "problem_count": 0,
        "filename": "",
        **(extra or {}),
    }
    return admin_page(
        request, user, session, "admin/imports.html", "/admin/imports", context, status_code
    )


def _import_refused(
    request: Request, user: Principal, session: Session, form: dict[str, str], message: str
) -> Response:
    return _imports_page(request, user, session, form, {"error": translated(request, message)}, 422)


@router.get("/imports")
def admin_imports(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """The upload form."""
    return _imports_page(request, user, session)


def _safe_filename(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")[:120]
    return cleaned or "upload.csv"


def _run_import(
    request: Request, kind: str, path: Path, slug: str, form: dict[str, str]
) -> importing.ImportResult:
    engine = request.app.state.engine
    settings = request.app.state.settings
    options = importing.ReadOptions.from_settings(settings)
    importers: dict[str, Callable[[], importing.ImportResult]] = {
        "units": lambda: importing.import_units(
            engine, path, organisation=slug, read_options=options
        ),
        "employees": lambda: importing.import_employees(
            engine, path, organisation=slug, read_options=options
        ),
        "outcomes": lambda: importing.import_outcomes(
            engine, path, organisation=slug, read_options=options
        ),
        "responses": lambda: importing.import_responses(
            engine,
            path,
            survey=form["survey"],
            wave=form["wave"] or None,
            instrument=form["instrument"] or None,
            organisation=slug,
            read_options=options,
            instrument_dirs=settings.instrument_dirs,
            allow_duplicates=form["allow"] == "on",
        ),
    }
    return importers[kind]()


@router.post("/imports", max_body_size=MAX_UPLOAD_BYTES)
async def admin_import(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Import an uploaded file: every problem is listed and nothing is imported, or the
    whole file is."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise BadRequest()
    async with request.form(max_files=1, max_fields=20) as form_data:
        fields = {k: v for k, v in form_data.items() if isinstance(v, str)}
        check_csrf(request, dict(fields))
        upload = form_data.get("file")
        names = ("kind", "survey", "wave", "instrument", "allow")
        form = {k: fields.get(k, "").strip()[:64] for k in names}
        kinds = {k for k, _ in IMPORT_KINDS}
        if form["kind"] not in kinds:
            return _imports_page(
                request,
                user,
                session,
                form,
                {"error": translated(request, N_("Choose what the file holds."))},
                422,
            )
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _imports_page(
                request,
                user,
                session,
                form,
                {"error": translated(request, N_("Choose a file to upload."))},
                422,
            )
        if form["kind"] == "responses" and not form["survey"]:
            return _imports_page(
                request,
                user,
                session,
                form,
                {"error": translated(request, N_("Responses need a survey."))},
                422,
            )
        filename = _safe_filename(upload.filename)
        org = organisation_of(session, user.organisation_id)
        with tempfile.TemporaryDirectory(prefix="spiegel-upload-") as tmp:
            path = Path(tmp) / filename
            with path.open("wb") as out:
                while chunk := await upload.read(1 << 20):
                    out.write(chunk)
            try:
                result = _run_import(request, form["kind"], path, org.slug, form)
            except ingest_problems.ImportErrors as exc:
                problems = [
                    {"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
                    for p in exc.problems[:MAX_PROBLEMS_SHOWN]
                ]
                extra: dict[str, object] = {
                    "problems": problems,
                    "problem_count": len(exc.problems),
                    "filename": filename,
                }
                return _imports_page(request, user, session, form, extra, 422)
            except (ValueError, LookupError) as exc:
                return _imports_page(request, user, session, form, {"error": str(exc)}, 422)
    summary = {
        "kind": result.kind,
        "filename": result.filename,
        "rows": result.rows,
        "counts": result.counts,
        "batch_id": result.batch_id,
        "already_imported": result.already_imported is not None,
        "notes": result.notes,
        "summary": result.summary(),
    }
    return _imports_page(request, user, session, form, {"result": summary})


@router.post("/imports/{batch_id}/undo")
def admin_undo_import(
    request: Request, batch_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Take an imported file out again: every row it wrote, or nothing (refused when
    analysis results were stored after it, unless ``force`` is ticked)."""
    check_csrf(request, body)
    org = organisation_of(session, user.organisation_id)
    try:
        result = import_batches.undo_batch(
            request.app.state.engine, batch_id, org.slug, force=text_field(body, "force") == "on"
        )
    except NotFound:
        raise NotFoundError() from None
    except ValueError as exc:
        return _imports_page(request, user, session, extra={"error": str(exc)}, status_code=422)
    notice = translated(request, UNDONE, summary=result.summary())
    notes = " ".join(result.notes)
    return _imports_page(request, user, session, extra={"notice": f"{notice} {notes}".strip()})


# --- users -------------------------------------------------------------------------------------


def _users_page(
    request: Request,
    user: Principal,
    session: Session,
    form: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    users = list_users(session, user.organisation_id)
    tokens = token_count(session, [u.id for u in users])
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "unit_code": u.unit_code,
            "unit_name": u.unit_name,
            "active": u.active,
            "tokens": tokens.get(u.id, 0),
            "created_at": u.created_at,
            "is_me": u.id == user.user_id,
        }
        for u in users
    ]
    units = [{"code": u.code, "name": u.name} for u in unit_tree(session, user.organisation_id)]
    context: dict[str, object] = {
        "users": rows,
        "roles": [{"value": r.value, "title": translated(request, t)} for r, t in ROLE_TITLES],
        "units": units,
        "form": form or {"email": "", "role": StaffRole.MANAGER.value, "unit": ""},
        "token": None,
        **(extra or {}),
    }
    return admin_page(
        request, user, session, "admin/users.html", "/admin/users", context, status_code
    )


@router.get("/users")
def admin_users(request: Request, user: AdminUser, session: SessionDep) -> Response:
    """Staff users, and the form to add one."""
    return _users_page(request, user, session)


@router.post("/users")
def admin_add_user(
    request: Request, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Add a staff user."""
    check_csrf(request, body)
    form = {
        "email": text_field(body, "email", 320),
        "role": text_field(body, "role"),
        "unit": text_field(body, "unit", 64),
    }
    password = body.get("password")
    try:
        org = organisation_of(session, user.organisation_id)
        added = add_user(
            session,
            org,
            form["email"],
            password if isinstance(password, str) else "",
            form["role"],
            form["unit"] or None,
        )
    except (ValueError, LookupError) as exc:
        session.rollback()
        return _users_page(request, user, session, form, {"error": str(exc)}, 422)
    return done(request, "/admin/users", "added", email=added.email)


def _staff_user(session: Session, user: Principal, user_id: int) -> StaffUser:
    target = session.get(StaffUser, user_id)
    if target is None or target.organisation_id != user.organisation_id:
        raise NotFoundError()
    return target


@router.post("/users/{user_id}/disable")
def admin_disable_user(
    request: Request, user_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """Disable a user: their sessions and tokens end at once."""
    check_csrf(request, body)
    target = _staff_user(session, user, user_id)
    if target.id == user.user_id:
        raise BadRequest(NOT_YOURSELF)
    disable_user(session, target)
    notice = translated(request, USER_DISABLED, email=target.email)
    if wants_json(request):
        return redirect(request, "/admin/users", {"disabled": target.email})
    return _users_page(request, user, session, extra={"notice": notice})


@router.post("/users/{user_id}/token")
def admin_new_token(
    request: Request, user_id: int, user: AdminUser, session: SessionDep, body: BodyDep
) -> Response:
    """A new API token for a user, shown once on the page that answers this POST."""
    check_csrf(request, body)
    target = _staff_user(session, user, user_id)
    try:
        token = create_token(session, target, name=f"admin page, by {user.email}")
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    return _users_page(
        request, user, session, extra={"token": {"email": target.email, "value": token}}
    )
