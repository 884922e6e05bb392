"""Shared fixtures: a migrated database on SQLite and, where reachable, PostgreSQL.

PostgreSQL comes from ``SPIEGEL_TEST_POSTGRES_URL`` (default: the local server at
127.0.0.1:5432, database ``test``). Each test session gets a database of its own, created
and dropped here. Outside CI a missing server skips the PostgreSQL half; under ``CI=true``
it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from spiegel.store.db import make_engine, upgrade
from spiegel.store.models import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _admin_url() -> str:
    return os.environ.get("SPIEGEL_TEST_POSTGRES_URL", DEFAULT_PG)


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


def pytest_report_header(config: pytest.Config) -> list[str]:
    problem = _postgres_reachable()
    if problem is None:
        return [f"spiegel: database backends sqlite and postgresql ({_admin_url()})"]
    return [f"spiegel: database backend sqlite only; PostgreSQL unreachable ({problem})"]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database for this test session."""
    problem = _postgres_reachable()
    if problem is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {_admin_url()}: {problem}")
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"spiegel_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database: a temporary SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "spiegel.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        return url
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
