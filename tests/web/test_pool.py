"""More requests at once than the database pool has connections: all are served.

A request holds its session's connection across several thread-pool hops. Without the
database slots of :func:`spiegel.web.deps.db_slot`, threads would wait for connections
that only other threads give back, until the pool times out.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from spiegel.config import Settings
from spiegel.web.app import create_app
from tests.web.conftest import World


def test_a_crowd_larger_than_the_pool_is_served(
    settings: Settings, engine: Engine, world: World
) -> None:
    small = create_engine(engine.url, pool_size=2, max_overflow=0, pool_timeout=5)
    try:
        app = create_app(settings, engine=small)
        base = f"/s/{world.location_tokens['N1']}"
        with TestClient(app) as client, ThreadPoolExecutor(24) as crowd:
            statuses = list(
                crowd.map(
                    lambda i: client.get(f"{base}/{1 + i % 4}").status_code,
                    range(96),
                )
            )
        assert statuses == [200] * 96
        assert app.state.db_slots is not None
    finally:
        small.dispose()
