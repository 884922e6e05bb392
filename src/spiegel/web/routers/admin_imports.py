"""Administration (admin role only): importing files, and taking them out again.

==================================  ====  ==================================================
``/admin/imports``                  GET   the upload form; POST imports (all or nothing)
``/admin/imports/{batch}/undo``     POST  takes an imported file out again (all or nothing)
==================================  ====  ==================================================

The page has its JSON twin (``?format=json``); every POST needs the CSRF token.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import Response

from spiegel._lazy import lazy_module
from spiegel.services.admin import instrument_names, organisation_of, wave_rows
from spiegel.store.organisation import NotFound
from spiegel.web.auth import AdminUser, Principal
from spiegel.web.deps import BodyDep, SessionDep
from spiegel.web.errors import BadRequest, NotFoundError
from spiegel.web.i18n import N_
from spiegel.web.routers.admin_common import admin_page, check_csrf, text_field, translated

if TYPE_CHECKING:
    from spiegel.ingest import problems as ingest_problems
    from spiegel.services import import_batches, importing
else:  # pandas and the file readers load with the first import, not when the server starts
    importing = lazy_module("spiegel.services.importing")
    import_batches = lazy_module("spiegel.services.import_batches")
    ingest_problems = lazy_module("spiegel.ingest.problems")

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)

MAX_UPLOAD_BYTES = 50_000_000
MAX_PROBLEMS_SHOWN = 1_000  # the page lists this many; the count says how many in all
IMPORT_KINDS = (
    ("units", N_("Units (the organisation tree)")),
    ("employees", N_("Employees")),
    ("responses", N_("Survey responses")),
    ("outcomes", N_("Outcomes (absenteeism, turnover, ...)")),
)
UNDONE = N_("Undone: {summary}")
SHOWN_BATCHES = 30


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
            return _import_refused(request, user, session, form, N_("Choose what the file holds."))
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _import_refused(request, user, session, form, N_("Choose a file to upload."))
        if form["kind"] == "responses" and not form["survey"]:
            return _import_refused(request, user, session, form, N_("Responses need a survey."))
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
