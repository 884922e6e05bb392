"""Importing employees (with contacts apart) and outcomes (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from spiegel.ingest.problems import ImportErrors
from spiegel.services.importing import import_employees, import_outcomes
from spiegel.store.db import transaction
from spiegel.store.models import Contact, Employee, Outcome, RoleGroup, Unit

from .conftest import FILES, table_counts


def _employees(engine: Engine) -> dict[str, tuple[str, RoleGroup, str | None, str | None]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(Employee.key, Unit.code, Employee.role_group, Contact.email, Contact.name)
            .join(Unit, Unit.id == Employee.unit_id)
            .outerjoin(Contact, Contact.employee_id == Employee.id)
        ).all()
    return {k: (u, r, e, n) for k, u, r, e, n in rows}


def test_employees_from_cp1252_with_dutch_labels(org_engine: Engine) -> None:
    result = import_employees(org_engine, FILES / "employees_cp1252.csv")
    assert result.counts == {"created": 8, "updated": 0, "unchanged": 0, "contacts": 5}
    got = _employees(org_engine)
    assert got["E001"] == (
        "HQ",
        RoleGroup.SENIOR_MANAGEMENT,
        "zoe.devries@zonnestraal.example",
        "Zoë de Vries",
    )
    assert got["E002"][:2] == ("AMS-01", RoleGroup.MANAGER)  # unit by its name "Café De Brug"
    assert got["E003"][1] == RoleGroup.FRONT_LINE  # "Uitvoerend"
    assert got["E008"][1] == RoleGroup.BACK_OFFICE  # "Backoffice"
    assert got["E004"][2:] == (None, None)  # a name without e-mail stores no contact


def test_employees_reimport_updates(org_engine: Engine, tmp_path: Path) -> None:
    import_employees(org_engine, FILES / "employees_cp1252.csv")
    path = tmp_path / "moves.csv"
    path.write_text(
        "key;unit;role_group;email\nE003;AMS-02;manager;jeroen@new.example\nE009;HQ;back_office;\n",
        encoding="utf-8",
    )
    result = import_employees(org_engine, path)
    assert result.counts == {"created": 1, "updated": 1, "unchanged": 0, "contacts": 1}
    got = _employees(org_engine)
    # the file has no name column: the contact keeps its e-mail only
    assert got["E003"] == ("AMS-02", RoleGroup.MANAGER, "jeroen@new.example", None)
    assert len(got) == 9


def test_employee_problems(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "key;unit;role_group;email\n"
        "E1;HQ;manager;geen-adres\n"  # row 2: not an e-mail
        "E1;HQ;manager;\n"  # row 3: duplicate key
        ";HQ;manager;\n"  # row 4: empty key
        "E4;XX;stagiair;\n",  # row 5: unknown unit, bad role group
        encoding="utf-8",
    )
    before = table_counts(org_engine)
    with pytest.raises(ImportErrors) as info:
        import_employees(org_engine, path)
    got = {(p.row, p.column, p.reason.split(";")[0].split(" (")[0]) for p in info.value.problems}
    assert got == {
        (2, "email", "not an e-mail address"),
        (3, "key", "duplicate employee key"),
        (4, "key", "empty employee key"),
        (5, "unit", "unknown unit"),
        (5, "role_group", "not a role group"),
    }
    assert table_counts(org_engine) == before


def _outcomes(engine: Engine) -> dict[tuple[str, str, str], float]:
    with transaction(engine) as session:
        rows = session.execute(
            select(Unit.code, Outcome.metric, Outcome.period, Outcome.value).join(
                Unit, Unit.id == Outcome.unit_id
            )
        ).all()
    return {(u, m, p): v for u, m, p, v in rows}


def test_outcomes_wide_with_mapping_and_decimal_commas(org_engine: Engine) -> None:
    result = import_outcomes(
        org_engine, FILES / "outcomes_wide.txt", FILES / "mapping_outcomes.yaml"
    )
    assert result.counts == {"created": 11, "updated": 0, "unchanged": 0}
    got = _outcomes(org_engine)
    assert got[("AMS-01", "absenteeism", "2026-Q1")] == pytest.approx(4.2)
    assert got[("AMS-02", "turnover", "2026-Q1")] == pytest.approx(12.0)
    assert got[("EIN-01", "complaints", "2026-Q1")] == 0  # unit by name "Ééndracht"
    assert ("UTR-01", "turnover", "2026-Q1") not in got  # an empty cell is no figure


def test_outcomes_long_xlsx_and_update(org_engine: Engine, tmp_path: Path) -> None:
    import_outcomes(org_engine, FILES / "outcomes_long.xlsx")
    assert _outcomes(org_engine)[("AMS-01", "omzet", "2026-03")] == pytest.approx(125000.5)
    path = tmp_path / "fix.csv"
    path.write_text(
        "unit,metric,period,value\nAMS-01,wachtlijst,2026-03,12\nAMS-02,wachtlijst,2026-03,3\n",
        encoding="utf-8",
    )
    result = import_outcomes(org_engine, path)
    assert result.counts == {"created": 0, "updated": 1, "unchanged": 1}
    assert _outcomes(org_engine)[("AMS-01", "wachtlijst", "2026-03")] == 12


def test_outcome_problems(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "unit;metric;period;value\nAMS-01;verzuim;2026-Q1;veel\n"
        "AMS-01;verzuim;2026-Q1;4\nAMS-01;verzuim;2026-Q1;5\n;verzuim;;3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportErrors) as info:
        import_outcomes(org_engine, path)
    got = {(p.row, p.column, p.reason) for p in info.value.problems}
    assert got == {
        (2, "value", "not a number"),
        (3, None, "this unit already has a figure for this metric and period (row 2)"),
        (4, None, "this unit already has a figure for this metric and period (row 2)"),
        (5, "unit", "empty unit"),
        (5, "period", "empty period"),
    }
