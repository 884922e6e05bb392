"""``spiegel serve``: run the web application (migrations are applied first, if any are
new)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, friendly_errors, settings_for

if TYPE_CHECKING:
    import sqlalchemy
    import uvicorn

    from spiegel.store import db as store
else:
    sqlalchemy = lazy_module("sqlalchemy")
    store = lazy_module("spiegel.store.db")
    uvicorn = lazy_module("uvicorn")

APP_FACTORY = "spiegel.web.app:create_app_from_env"
# How long uvicorn's supervisor waits for a worker to answer its health check. Its default
# (5 s) kills and restarts every worker for ever when importing the app takes longer, as
# it can on a very busy machine.
WORKER_HEALTHCHECK_S = 120


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (about one per CPU core).")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve Spiegel over HTTP, after bringing the database schema up to date.

    Behind a TLS proxy, set FORWARDED_ALLOW_IPS to the proxy's address so that cookies
    are marked Secure.
    """
    with friendly_errors():
        settings = settings_for(db)
        store.upgrade_if_behind(settings.database_url)
    # Worker processes read their settings from the environment.
    os.environ["SPIEGEL_DATABASE_URL"] = settings.database_url
    console.print(f"Spiegel on http://{host}:{port} (database {_safe(settings.database_url)})")
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        server_header=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


def _safe(url: str) -> str:
    """The database URL without a password."""
    return sqlalchemy.make_url(url).render_as_string(hide_password=True)
