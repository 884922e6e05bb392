"""Fixtures for the import tests: the example files and an organisation to import into."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from spiegel.services.importing import import_employees, import_units
from spiegel.store.db import transaction
from spiegel.store.models import Base

FILES = Path(__file__).parent / "files"
INSTRUMENTS = FILES / "instruments"


@pytest.fixture
def files() -> Path:
    return FILES


@pytest.fixture
def org_engine(engine: Engine) -> Engine:
    """A database (SQLite, then PostgreSQL) holding the example organisation's units."""
    import_units(engine, FILES / "units.csv")
    return engine


@pytest.fixture
def staffed_engine(org_engine: Engine) -> Engine:
    """The example organisation with its units and employees."""
    import_employees(org_engine, FILES / "employees_cp1252.csv")
    return org_engine


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: to show that a refused import left the database as it was."""
    with transaction(engine) as session:
        return {
            table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }
