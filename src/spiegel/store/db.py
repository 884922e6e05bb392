"""Engines, sessions and migrations. Nothing is created at import time."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from spiegel._lazy import lazy_module

if TYPE_CHECKING:
    from alembic import command, config
    from sqlalchemy import orm
    from sqlalchemy.orm import Session
else:  # alembic only to migrate, the ORM only for sessions (see upgrade_if_behind)
    command = lazy_module("alembic.command")
    config = lazy_module("alembic.config")
    orm = lazy_module("sqlalchemy.orm")

MIGRATIONS = Path(__file__).parent / "migrations"


def is_sqlite(url_or_engine: str | Engine) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else make_url(url_or_engine)
    return url.get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


POOL_SIZE = 20
"""Connections a PostgreSQL engine keeps open (the web application lets no more requests
than this hold one at a time)."""
POOL_OVERFLOW = 5
"""Connections opened beyond :data:`POOL_SIZE` when needed (imports, link look-ups)."""


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping: it costs a round trip on every checkout, about a fifth of a survey
    # submission's work. After a database restart each worker's first request on a dead
    # connection fails once and the pool drops its old connections; pool_recycle keeps
    # connections younger than common server and firewall idle limits.
    return create_engine(
        url, echo=echo, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_recycle=1800
    )


def session_factory(engine: Engine) -> orm.sessionmaker[Session]:
    return orm.sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back entirely on error."""
    with session_factory(engine)() as session, session.begin():
        yield session


def alembic_config(url: str) -> config.Config:
    cfg = config.Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(url), revision)


def upgrade_if_behind(url: str) -> bool:
    """Apply the migrations unless the database is at the newest one already; whether it
    migrated. The check is one query and a look at the migration files: a restart of an
    up-to-date server does not wait for alembic to load."""
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    if head is not None and current == head:
        return False
    upgrade(url)
    return True


def head_revision() -> str | None:
    """The newest migration, read from the migration files (``revision`` and
    ``down_revision``) without running them; ``None`` unless exactly one is newest."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = _assigned(path, ("revision", "down_revision"))
        revision, down = found.get("revision"), found.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):  # a merge
            parents.update(str(d) for d in down)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _assigned(path: Path, names: tuple[str, ...]) -> dict[str, object]:
    """The literal values given to ``names`` at the top level of a Python file (others are
    left out)."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in names:
                    with suppress(ValueError):
                        values[target.id] = ast.literal_eval(node.value)
    return values


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or ``None`` for an empty database."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None
