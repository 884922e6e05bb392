"""Employees from an HR file: pseudonymous key, unit, role group, and optionally e-mail
and name, which go to the separate ``contact`` table (identifying data lives apart)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from spiegel.ingest.columns import ColumnPlan, plan_columns, require
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.table import RawTable, as_text
from spiegel.ingest.values import UnitLookup, check_role_groups, check_units
from spiegel.store.models import Contact, Employee, Organisation, RoleGroup

FIELDS: dict[str, tuple[str, ...]] = {
    "key": ("employee_key", "employee", "personeelsnummer"),
    "unit": ("unit_code", "eenheid", "locatie", "location", "vestiging"),
    "role_group": ("rolegroup", "functiegroep"),
    "email": ("e-mail", "e_mail", "emailadres", "e-mailadres"),
    "name": ("naam", "full_name"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class EmployeeRows:
    frame: pd.DataFrame  # key, unit_id, role_group, email, name, row
    plan: ColumnPlan

    def __len__(self) -> int:
        return len(self.frame)


def validate_employees(table: RawTable, mapping: Mapping, units: UnitLookup) -> EmployeeRows:
    """Check an employees file; raise :class:`ImportErrors` listing every problem."""
    problems = Problems(list(table.problems))
    plan = plan_columns(table.columns, mapping, FIELDS, problems, what="employee field")
    require(plan, ("key", "unit", "role_group"), problems)
    frame, rows = table.frame, table.rows
    col = plan.fields.get
    n = len(frame)

    def text(name: str) -> pd.Series:
        column = col(name)
        if column is None:
            return pd.Series([None] * n, dtype="str")
        return as_text(frame[column]).reset_index(drop=True)

    key, email, name = text("key"), text("email"), text("name")
    out = pd.DataFrame({"key": key, "email": email, "name": name, "row": rows})
    out["unit_id"] = np.full(n, -1, dtype=np.int64)
    out["role_group"] = pd.Series([None] * n, dtype="str")
    if "key" in plan.fields:
        problems.add_rows(key.isna().to_numpy(), rows, col("key"), None, "empty employee key")
        problems.add_rows(
            (key.str.len() > 128).fillna(False).to_numpy(),
            rows,
            col("key"),
            key,
            "employee key longer than 128 characters",
        )
        dup = key.duplicated().to_numpy() & key.notna().to_numpy()
        if dup.any():
            first = dict(
                zip(key[~key.duplicated()], rows[~key.duplicated().to_numpy()], strict=True)
            )
            problems.add_rows(
                dup,
                rows,
                col("key"),
                key,
                [f"duplicate employee key (first in row {first[k]})" for k in key[dup]],
            )
    if "unit" in plan.fields:
        cells = frame[col("unit")]
        problems.add_rows(cells.isna().to_numpy(), rows, col("unit"), None, "empty unit")
        checked = check_units(
            cells, units, mapping.unit_code, table.value_labels.get(col("unit") or "", {})
        )
        problems.add_rows(checked.bad, rows, col("unit"), cells, checked.reasons_of_bad())
        out["unit_id"] = checked.values
    if "role_group" in plan.fields:
        column = col("role_group") or ""
        cells = frame[column]
        problems.add_rows(cells.isna().to_numpy(), rows, column, None, "empty role group")
        checked = check_role_groups(
            cells,
            mapping.codes_for("role_group", column),
            table.value_labels.get(column, {}),
            column,
        )
        problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
        out["role_group"] = pd.Series(checked.values, dtype="str")
    if "email" in plan.fields:
        bad = email.notna() & ~email.fillna("").str.match(_EMAIL.pattern)
        problems.add_rows(
            bad.to_numpy() | (email.str.len() > 320).fillna(False).to_numpy(),
            rows,
            col("email"),
            email,
            "not an e-mail address",
        )
    if "name" in plan.fields:
        problems.add_rows(
            (name.str.len() > 200).fillna(False).to_numpy(),
            rows,
            col("name"),
            name,
            "name longer than 200 characters",
        )
    problems.raise_if_any(table.filename)
    return EmployeeRows(out, plan)


def write_employees(
    session: Session, organisation: Organisation, employees: EmployeeRows
) -> dict[str, int]:
    """Create or update employees (by key) and their contact data.

    Returns counts ``created``, ``updated``, ``unchanged`` and ``contacts`` (contact rows
    created or changed). Employees missing from the file are left as they are.
    """
    existing = {
        e.key: e
        for e in session.scalars(
            select(Employee).where(Employee.organisation_id == organisation.id)
        )
    }
    frame = employees.frame
    created: list[tuple[Employee, str | None, str | None]] = []
    updated = unchanged = 0
    with_contact: list[tuple[Employee, str | None, str | None]] = []
    for key, unit_id, role, email, name in zip(
        frame["key"],
        frame["unit_id"],
        frame["role_group"],
        frame["email"],
        frame["name"],
        strict=True,
    ):
        email = email if isinstance(email, str) else None
        name = name if isinstance(name, str) else None
        employee = existing.get(key)
        if employee is None:
            employee = Employee(
                organisation_id=organisation.id,
                key=key,
                unit_id=int(unit_id),
                role_group=RoleGroup(role),
                active=True,
            )
            session.add(employee)
            created.append((employee, email, name))
        else:
            if (employee.unit_id, employee.role_group.value) != (int(unit_id), role):
                employee.unit_id, employee.role_group = int(unit_id), RoleGroup(role)
                updated += 1
            else:
                unchanged += 1
            with_contact.append((employee, email, name))
    session.flush()
    contacts = 0
    current = {
        c.employee_id: c
        for c in session.scalars(
            select(Contact)
            .join(Employee, Employee.id == Contact.employee_id)
            .where(Employee.organisation_id == organisation.id)
        )
    }
    for employee, email, name in [*created, *with_contact]:
        if email is None:
            continue
        contact = current.get(employee.id)
        if contact is None:
            session.add(Contact(employee_id=employee.id, email=email, name=name))
            contacts += 1
        elif (contact.email, contact.name) != (email, name):
            contact.email, contact.name = email, name
            contacts += 1
    session.flush()
    return {
        "created": len(created),
        "updated": updated,
        "unchanged": unchanged,
        "contacts": contacts,
    }
