"""Dependencies shared by the routers, as ``Annotated`` aliases defined once.

``SettingsDep``, ``SessionDep`` (a database session closed after the request),
``LangDep`` (the page language), ``RendererDep`` and ``BodyDep`` (a posted form or JSON
object as a flat ``dict`` of strings and values). Staff authentication (``CurrentUser``)
joins these later.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from spiegel.config import Settings
from spiegel.web.errors import BadRequest
from spiegel.web.render import language_of
from spiegel.web.templating import Renderer

__all__ = ["BodyDep", "LangDep", "RendererDep", "SessionDep", "SettingsDep"]

MAX_FIELDS = 500


def get_settings(request: Request) -> Settings:
    """The application's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A database session for this request; services commit their own work."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        yield session


def get_renderer(request: Request) -> Renderer:
    """The template renderer."""
    renderer: Renderer = request.app.state.renderer
    return renderer


def get_language(request: Request) -> str:
    """The page language."""
    return language_of(request)


async def get_body(request: Request) -> dict[str, object]:
    """The posted fields: a form (urlencoded or multipart; text fields only) or a JSON
    object (its ``answers`` object, if any, is merged in at the top level)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise BadRequest() from None
        if not isinstance(data, dict):
            raise BadRequest()
        answers = data.pop("answers", None)
        if isinstance(answers, dict):
            data.update(answers)
        return {str(k): v for k, v in data.items()}
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        form = await request.form(max_fields=MAX_FIELDS, max_files=0)
        return {k: v for k, v in form.items() if isinstance(v, str)}
    if content_type == "":
        return {}
    raise BadRequest()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
RendererDep = Annotated[Renderer, Depends(get_renderer)]
LangDep = Annotated[str, Depends(get_language)]
BodyDep = Annotated[dict[str, object], Depends(get_body)]
