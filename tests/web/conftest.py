"""Fixtures for the web tests: an organisation with two locations and five employees,
the built-in customer and employee questionnaires fielded as open surveys, and an
in-process HTTP client on the same database (SQLite, then PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.instruments import get_instrument
from spiegel.services.invitations import (
    create_personal_invitations,
    ensure_location_links,
)
from spiegel.services.surveys import open_survey, store_instrument
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import (
    Audience,
    Contact,
    Employee,
    RoleGroup,
    Survey,
    SurveyStatus,
    UnitKind,
)
from spiegel.store.organisation import add_unit, ensure_organisation, ensure_wave
from spiegel.store.surveys import ensure_survey
from spiegel.web.app import create_app

SECRET = "test-secret-key-for-the-web-tests-0123456789"
PUBLIC_URL = "https://enquete.example.org"


@dataclass(frozen=True)
class World:
    """What the fixtures set up: ids, slugs and the issued link tokens."""

    organisation_id: int
    units: dict[str, int]
    customer_survey_id: int
    employee_survey_id: int
    location_tokens: dict[str, str]  # unit code -> token
    personal_tokens: dict[str, str]  # employee key -> token


def build_world(engine: Engine) -> World:
    with transaction(engine) as s:
        org = ensure_organisation(s, "spiegel-kinderopvang", "Kinderopvang De Spiegel")
        root = add_unit(s, org, "ORG", "De Spiegel", UnitKind.ORGANISATION)
        region = add_unit(s, org, "N", "Noord", UnitKind.REGION, parent=root)
        loc1 = add_unit(s, org, "N1", "Locatie Zoë", UnitKind.LOCATION, parent=region)
        loc2 = add_unit(s, org, "N2", "Locatie Abel", UnitKind.LOCATION, parent=region)
        team = add_unit(s, org, "N1A", "Team Peuters", UnitKind.TEAM, parent=loc1)
        units = {u.code: u.id for u in (root, region, loc1, loc2, team)}
        for i, (unit, role) in enumerate(
            [
                (team, RoleGroup.FRONT_LINE),
                (team, RoleGroup.FRONT_LINE),
                (team, RoleGroup.MANAGER),
                (loc2, RoleGroup.FRONT_LINE),
                (root, RoleGroup.BACK_OFFICE),
            ]
        ):
            employee = Employee(
                organisation_id=org.id, key=f"E{i + 1}", unit_id=unit.id, role_group=role
            )
            s.add(employee)
            s.flush()
            s.add(Contact(employee_id=employee.id, email=f"e{i + 1}@example.org", name=f"P{i}"))
        wave = ensure_wave(s, org.id, "2026-H2")
        cust = store_instrument(s, get_instrument("customer"))
        emp = store_instrument(s, get_instrument("employee"))
        customer = ensure_survey(
            s, org.id, wave, cust, "klanten-2026-h2", Audience.CUSTOMER, SurveyStatus.DRAFT
        )
        employee_survey = ensure_survey(
            s, org.id, wave, emp, "medewerkers-2026-h2", Audience.EMPLOYEE, SurveyStatus.DRAFT
        )
        org_id, customer_id, employee_id = org.id, customer.id, employee_survey.id
    with session_factory(engine)() as s:
        for survey_id in (customer_id, employee_id):
            survey = s.get(Survey, survey_id)
            assert survey is not None
            open_survey(s, survey)
        customer = s.get(Survey, customer_id)
        employee_survey = s.get(Survey, employee_id)
        assert customer is not None and employee_survey is not None
        locations = ensure_location_links(s, customer, SECRET)
        personal, _ = create_personal_invitations(s, employee_survey)
    return World(
        organisation_id=org_id,
        units=units,
        customer_survey_id=customer_id,
        employee_survey_id=employee_id,
        location_tokens={link.unit_code: link.token for link in locations},
        personal_tokens={link.employee_key: link.token for link in personal},
    )


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url, environment="test", secret_key=SECRET, public_url=PUBLIC_URL
    )


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url="http://testserver") as c:
        yield c


# --- staff access: users of every role (fast password hashing in tests) -----------------------

STAFF = {
    "admin": ("admin@example.org", None),
    "analyst": ("analyst@example.org", None),
    "manager": ("manager@example.org", "N1"),  # Locatie Zoë and Team Peuters
    "member": ("member@example.org", "N1A"),  # Team Peuters
    "manager2": ("manager2@example.org", "N2"),  # Locatie Abel
}


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters, so that logging in costs milliseconds in tests."""
    from argon2 import PasswordHasher

    from spiegel.services import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def staff(engine: Engine, world: World, fast_passwords: None) -> dict[str, str]:
    """A staff user per role (see :data:`STAFF`), password ``helpers.STAFF_PASSWORD``;
    returns ``{role key: e-mail address}``."""
    from spiegel.services.users import add_user
    from spiegel.store.models import Organisation, StaffRole
    from tests.web.helpers import STAFF_PASSWORD

    with session_factory(engine)() as s:
        org = s.get(Organisation, world.organisation_id)
        assert org is not None
        for key, (email, unit) in STAFF.items():
            role = StaffRole(key.rstrip("2"))
            add_user(s, org, email, STAFF_PASSWORD, role, unit)
    return {key: email for key, (email, _) in STAFF.items()}
