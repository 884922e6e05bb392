"""Dependencies shared by the routers, as ``Annotated`` aliases defined once.

``SettingsDep``, ``SessionDep`` (a database session closed after the request),
``LangDep`` (the page language), ``RendererDep`` and ``BodyDep`` (a posted form or JSON
object as a flat ``dict`` of strings and values). Staff authentication (``CurrentUser``)
joins these later.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from spiegel.config import Settings
from spiegel.web.errors import JsonNotAnObject, UnsupportedMediaType
from spiegel.web.limits import check_text, parse_json_object
from spiegel.web.render import content_type_of, language_of, posts_json
from spiegel.web.templating import Renderer

__all__ = [
    "BodyDep",
    "LangDep",
    "RendererDep",
    "SessionDep",
    "SettingsDep",
    "db_slot",
    "posts_json",
]

MAX_FIELDS = 500


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency
# in its thread pool, a hop that costs more than the work.


async def get_settings(request: Request) -> Settings:
    """The application's settings."""
    settings: Settings = request.app.state.settings
    return settings


def db_slot(request: Request) -> AbstractAsyncContextManager[object]:
    """Hold one of the application's database slots (``app.state.db_slots``) while a
    request may use a pooled connection; no limit when the application has none.

    A request holds its session's connection across several thread-pool hops (a
    dependency, then the route, then closing). Were more requests to hold connections
    than the pool has, threads would wait for connections that only other threads can
    give back: a deadlock until the pool times out. With no more slots than
    connections, a request waits here, in the event loop, holding neither."""
    slots: AbstractAsyncContextManager[object] | None = getattr(request.app.state, "db_slots", None)
    return slots if slots is not None else nullcontext()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for this request; services commit their own work.

    Making the session does no I/O, nor does closing one whose work was committed (its
    connection goes back to the pool as it is); a session left in a transaction is rolled
    back in the thread pool. The request holds a database slot (:func:`db_slot`)
    meanwhile."""
    factory: sessionmaker[Session] = request.app.state.sessions
    async with db_slot(request):
        session = factory()
        try:
            yield session
        finally:
            if session.in_transaction():
                await run_in_threadpool(session.close)
            else:
                session.close()


async def get_renderer(request: Request) -> Renderer:
    """The template renderer."""
    renderer: Renderer = request.app.state.renderer
    return renderer


async def get_language(request: Request) -> str:
    """The page language."""
    return language_of(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BODY_TYPES = ("application/json", *FORM_TYPES)


async def get_body(request: Request) -> dict[str, object]:
    """The posted fields: a form (urlencoded or multipart; text fields only) or a JSON
    object (its ``answers`` object, if any, is merged in at the top level).

    Refused with a 4xx that names the problem: another content type (415), JSON that is
    broken, nested too deep or not an object, and text no database can store (400; see
    :mod:`spiegel.web.limits`). The size of the body is limited by
    :class:`~spiegel.web.limits.BodyLimit` (413)."""
    content_type = content_type_of(request)
    if content_type == "application/json":
        fields = parse_json_object(await request.body())
        answers = fields.pop("answers", None)
        if isinstance(answers, dict):
            fields.update(answers)
        elif answers is not None:
            raise JsonNotAnObject(
                JsonNotAnObject.field_message,
                params={"field": "answers"},
                details={"field": "answers"},
            )
    elif content_type in FORM_TYPES:
        form = await request.form(max_fields=MAX_FIELDS, max_files=0)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    elif content_type == "":
        return {}
    else:
        raise UnsupportedMediaType(
            params={"types": ", ".join(BODY_TYPES)}, details={"accepted": list(BODY_TYPES)}
        )
    check_text(fields)
    return fields


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
RendererDep = Annotated[Renderer, Depends(get_renderer)]
LangDep = Annotated[str, Depends(get_language)]
BodyDep = Annotated[dict[str, object], Depends(get_body)]
