"""``spiegel serve``: run the web application (migrations are applied first, if any are
new)."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from spiegel._lazy import lazy_module
from spiegel.cli.common import DbOption, console, friendly_errors, settings_for

if TYPE_CHECKING:
    import sqlalchemy
    import uvicorn

    from spiegel.store import db as store
    from spiegel.store import models
else:
    sqlalchemy = lazy_module("sqlalchemy")
    store = lazy_module("spiegel.store.db")
    models = lazy_module("spiegel.store.models")
    uvicorn = lazy_module("uvicorn")

APP_FACTORY = "spiegel.web.app:create_app_from_env"
# How long uvicorn's supervisor waits for a worker to answer its health check. Its default
# (5 s) kills and restarts every worker for ever when importing the app takes longer, as
# it can on a very busy machine.
WORKER_HEALTHCHECK_S = 120


def _proxy_addresses(value: str | None) -> str | None:
    """``value`` when each entry is an IP address, a network or ``*`` (uvicorn would take
    a mistyped address as a name no proxy has, and trust none)."""
    if value is None or value.strip() == "*":
        return value
    for entry in (e.strip() for e in value.split(",")):
        try:
            ipaddress.ip_network(entry)  # an address is a network of one
        except ValueError as exc:
            raise typer.BadParameter(f"{entry!r} is not an IP address or network: {exc}") from None
    return value


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (about one per CPU core).")
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            envvar="FORWARDED_ALLOW_IPS",
            callback=_proxy_addresses,
            help="Addresses of your reverse proxies, comma-separated (IP addresses or "
            "networks such as 172.18.0.0/16): only requests from these may give the "
            "client's address and scheme in X-Forwarded-For and X-Forwarded-Proto. "
            "Default: 127.0.0.1,::1 (a proxy on the same machine).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve Spiegel over HTTP, after bringing the database schema up to date.

    Behind a reverse proxy on another address, give that address with
    --forwarded-allow-ips: otherwise every request seems to come from the proxy (login
    throttling per client address would pause everyone together) and cookies are not
    marked Secure behind TLS.

    Survey links and QR codes made by the web application point to SPIEGEL_PUBLIC_URL,
    or, when it is not set, to the address given here.
    """
    with friendly_errors():
        settings = settings_for(db)
        store.upgrade_if_behind(settings.database_url)
        staff = _staff_users(settings.database_url)
    # Worker processes read their settings from the environment.
    os.environ["SPIEGEL_DATABASE_URL"] = settings.database_url
    public = public_url_for(host, port)
    os.environ[PUBLIC_URL_ENV] = public
    console.print(
        f"Spiegel on http://{_netloc(host, port)} (database {_safe(settings.database_url)})",
        highlight=False,
        soft_wrap=True,
    )
    console.print(f"Survey links and QR codes point to {public}", highlight=False, soft_wrap=True)
    if staff == 0:
        console.print(
            "There is no staff user yet, so nobody can log in. Add an administrator with:\n"
            "  spiegel users add you@example.org --role admin" + (f" --db {db}" if db else ""),
            highlight=False,
            soft_wrap=True,
        )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


PUBLIC_URL_ENV = "SPIEGEL_PUBLIC_URL"
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def _netloc(host: str, port: int) -> str:
    """``host:port``, an IPv6 address in brackets."""
    try:
        bracket = ipaddress.ip_address(host).version == 6
    except ValueError:
        bracket = False
    return f"[{host}]:{port}" if bracket else f"{host}:{port}"


def public_url_for(host: str, port: int) -> str:
    """Where respondents and staff reach the server: ``SPIEGEL_PUBLIC_URL`` when set,
    otherwise the address it is started on (on every interface: this machine's name)."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    name = socket.getfqdn() if host in WILDCARDS else host
    return f"http://{_netloc(name, port)}"


def _staff_users(database_url: str) -> int:
    """How many active staff users the database has."""
    engine = store.make_engine(database_url)
    try:
        with engine.connect() as connection:
            query = sqlalchemy.select(sqlalchemy.func.count(models.StaffUser.id)).where(
                models.StaffUser.active.is_(True)
            )
            return int(connection.scalar(query) or 0)
    finally:
        engine.dispose()


def _safe(url: str) -> str:
    """The database URL without a password."""
    return sqlalchemy.make_url(url).render_as_string(hide_password=True)
