"""The application factory. Nothing is built at import time.

``create_app(settings)`` gives a FastAPI application bound to one database; the engine is
disposed of when the application shuts down (unless it was passed in). ``spiegel serve``
runs :func:`create_app_from_env` in each worker process.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import Semaphore, to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from spiegel import __version__
from spiegel.config import Settings, get_settings
from spiegel.services.submissions import FastLane
from spiegel.store.db import make_engine, session_factory
from spiegel.web import errors
from spiegel.web.limits import BodyLimit
from spiegel.web.rate_limits import SubmitLimits
from spiegel.web.routers import ROUTERS, api
from spiegel.web.security import SecurityHeaders, TokenRedactingFilter
from spiegel.web.templating import STATIC_DIR, Renderer

__all__ = ["create_app", "create_app_from_env"]

MAX_BODY_BYTES = 1_000_000
WORKER_THREADS = 8
"""Threads per worker process for the synchronous work of requests."""


def _redact_access_log() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, TokenRedactingFilter) for f in logger.filters):
        logger.addFilter(TokenRedactingFilter())


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The Spiegel web application for ``settings`` (default: from the environment).

    Pass ``engine`` to share one (tests); otherwise one is made from
    ``settings.database_url`` and disposed of at shutdown.
    """
    settings = settings or get_settings()
    own_engine = engine is None
    bound = engine if engine is not None else make_engine(settings.database_url, settings.echo_sql)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few threads (they contend for the interpreter), and no more requests holding
        # connections than the pool keeps open: none waits in a thread for a connection,
        # and none is opened and closed per request under load.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        slots = _db_slots(bound)
        app.state.db_slots = Semaphore(slots) if slots else None  # spiegel.web.deps.db_slot
        app.state.fast_lane = await FastLane.open_for(bound)
        yield
        if app.state.fast_lane is not None:
            await app.state.fast_lane.close()
        if own_engine:
            bound.dispose()

    app = FastAPI(
        title="Spiegel",
        version=__version__,
        lifespan=lifespan,
        # The interactive docs load scripts from a CDN; the schema stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
        # Traces would carry request paths, and survey paths carry tokens.
        telemetry={"tracing": False, "logs": False},
        openapi_tags=api.OPENAPI_TAGS,  # tag descriptions of the results API
    )
    app.state.settings = settings
    app.state.engine = bound
    app.state.sessions = session_factory(bound)
    app.state.renderer = Renderer()
    # Per worker process, in memory only (see spiegel.web.rate_limits).
    app.state.submit_limits = SubmitLimits(
        settings.submit_limit_per_link, settings.submit_limit_per_client
    )
    errors.install(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)  # its 413 is an error page
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _redact_access_log()
    return app


def _db_slots(engine: Engine) -> int | None:
    """Requests that may hold a pooled connection at once: as many as the pool keeps
    open (see :func:`spiegel.web.deps.db_slot`); no limit for other kinds of pool."""
    pool = engine.pool
    return pool.size() if isinstance(pool, QueuePool) else None


def create_app_from_env() -> FastAPI:
    """The application configured from ``SPIEGEL_*`` environment variables (what each
    ``spiegel serve`` worker runs)."""
    app = create_app(get_settings())
    # What was loaded at start-up lives as long as the worker: leave it out of the
    # garbage collector's full passes, which would otherwise pause requests.
    gc.collect()
    gc.freeze()
    return app
