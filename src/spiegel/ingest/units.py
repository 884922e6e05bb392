"""The organisation tree from a file: code, name, kind, parent (code), unit type.

Validation checks the tree as a whole (unknown parents, cycles, duplicate codes, one
root); :func:`write_units` creates or updates the units in the store.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from spiegel.ingest.columns import ColumnPlan, plan_columns, require
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.table import RawTable, as_text
from spiegel.store.models import Organisation, Unit, UnitKind
from spiegel.store.organisation import refresh_paths, units_by_code

FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("unit_code", "unit"),
    "name": ("unit_name", "naam"),
    "kind": ("soort",),
    "parent": ("parent_code", "bovenliggend"),
    "unit_type": ("type", "unit type"),
    # written by `spiegel export units`; read back without effect
    "path": (),
    "active": (),
}
KINDS = {
    "organisation": "organisation",
    "organization": "organisation",
    "organisatie": "organisation",
    "region": "region",
    "regio": "region",
    "location": "location",
    "locatie": "location",
    "vestiging": "location",
    "team": "team",
    "afdeling": "team",
}


@dataclass(frozen=True)
class ExistingUnit:
    code: str
    parent: str | None


@dataclass
class UnitRows:
    """Validated units in file order."""

    frame: pd.DataFrame  # code, name, kind, parent, unit_type, row
    plan: ColumnPlan

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def root(self) -> pd.Series | None:
        roots = self.frame[self.frame["parent"].isna()]
        return roots.iloc[0] if len(roots) else None


def validate_units(
    table: RawTable, mapping: Mapping, existing: dict[str, ExistingUnit]
) -> UnitRows:
    """Check a units file against itself and the organisation's existing units.

    ``existing`` is empty for a new organisation: the file must then have exactly one
    root (a unit without parent), which becomes the organisation.
    """
    problems = Problems(list(table.problems))
    plan = plan_columns(table.columns, mapping, FIELDS, problems, what="unit field")
    require(plan, ("code", "name", "kind"), problems)
    frame, rows = table.frame, table.rows

    def text(name: str) -> pd.Series:
        column = plan.fields.get(name)
        if column is None:
            return pd.Series([None] * len(frame), dtype="str")
        return as_text(frame[column]).reset_index(drop=True)

    code, name, parent, unit_type = text("code"), text("name"), text("parent"), text("unit_type")
    kind_raw = text("kind")
    out = pd.DataFrame(
        {"code": code, "name": name, "parent": parent, "unit_type": unit_type, "row": rows}
    )
    col = plan.fields.get
    if "code" in plan.fields:
        problems.add_rows(code.isna().to_numpy(), rows, col("code"), None, "empty unit code")
        problems.add_rows(
            (code.str.len() > 64).fillna(False).to_numpy(),
            rows,
            col("code"),
            code,
            "unit code longer than 64 characters",
        )
        dup = code.duplicated(keep="first").to_numpy() & code.notna().to_numpy()
        if dup.any():
            first_row = dict(
                zip(
                    code[~code.duplicated()].tolist(),
                    rows[~code.duplicated().to_numpy()].tolist(),
                    strict=True,
                )
            )
            problems.add_rows(
                dup,
                rows,
                col("code"),
                code,
                [f"duplicate unit code (first in row {first_row[c]})" for c in code[dup]],
            )
    if "name" in plan.fields:
        problems.add_rows(name.isna().to_numpy(), rows, col("name"), None, "empty unit name")
        problems.add_rows(
            (name.str.len() > 200).fillna(False).to_numpy(),
            rows,
            col("name"),
            name,
            "unit name longer than 200 characters",
        )
    if "kind" in plan.fields:
        codes = mapping.codes_for("kind", col("kind"))
        kinds = [_kind(k, codes) for k in kind_raw.tolist()]
        out["kind"] = kinds
        bad = np.array([k is None for k in kinds]) & kind_raw.notna().to_numpy()
        problems.add_rows(
            bad,
            rows,
            col("kind"),
            kind_raw,
            "not a unit kind; use organisation, region, location or team",
        )
        problems.add_rows(
            kind_raw.isna().to_numpy(),
            rows,
            col("kind"),
            None,
            "empty unit kind; use organisation, region, location or team",
        )
    if "unit_type" in plan.fields:
        problems.add_rows(
            (unit_type.str.len() > 64).fillna(False).to_numpy(),
            rows,
            col("unit_type"),
            unit_type,
            "unit type longer than 64 characters",
        )
    if "code" in plan.fields:
        _check_tree(out, existing, col("parent"), problems)
    problems.raise_if_any(table.filename)
    return UnitRows(out, plan)


def _kind(value: object, codes: MappingType[str, object]) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    key = str(value).strip().lower()
    target = codes.get(key, key)
    return KINDS.get(str(target).strip().lower()) if target is not None else None


def _check_tree(
    out: pd.DataFrame,
    existing: dict[str, ExistingUnit],
    parent_column: str | None,
    problems: Problems,
) -> None:
    """Unknown parents, self-parents, cycles and the number of roots."""
    file_units = out[out["code"].notna()].drop_duplicates("code")
    parents: dict[str, str | None] = {c: u.parent for c, u in existing.items()}
    parents.update(
        dict(
            zip(
                file_units["code"],
                file_units["parent"].where(file_units["parent"].notna(), None),
                strict=True,
            )
        )
    )
    row_of = dict(zip(file_units["code"], file_units["row"], strict=True))
    where = parent_column or "parent"
    reported_cycles: set[frozenset[str]] = set()
    for code, parent, row in zip(
        file_units["code"], file_units["parent"], file_units["row"], strict=True
    ):
        if not isinstance(parent, str):
            continue
        if parent == code:
            problems.add("a unit cannot be its own parent", int(row), where, parent)
            continue
        if parent not in parents:
            problems.add(
                "unknown parent: no unit with this code in the file or the organisation",
                int(row),
                where,
                parent,
            )
            continue
        path = [code]
        current: str | None = parent
        while current is not None and current in parents:
            if current in path:
                cycle = path[path.index(current) :]
                key = frozenset(cycle)
                if key not in reported_cycles:
                    reported_cycles.add(key)
                    shown = " → ".join([*cycle, current])
                    problems.add(
                        f"the parents form a cycle: {shown}",
                        int(row_of.get(current, row)),
                        where,
                        parent,
                    )
                break
            path.append(current)
            current = parents[current]
    roots = file_units[file_units["parent"].isna()]
    existing_roots = [c for c, u in existing.items() if u.parent is None]
    if not existing:
        if roots.empty and len(file_units):
            problems.add(
                "no root unit: exactly one unit (the organisation itself) must have "
                "an empty parent",
                column=where,
            )
        for _, extra in roots.iloc[1:].iterrows():
            problems.add(
                f"a second unit without parent (the first is {roots.iloc[0]['code']!r} in row "
                f"{roots.iloc[0]['row']}); only the organisation itself has no parent",
                int(extra["row"]),
                where,
                extra["code"],
            )
    else:
        for _, root in roots.iterrows():
            if root["code"] not in existing_roots:
                problems.add(
                    f"the organisation already has its root unit "
                    f"{', '.join(map(repr, existing_roots))}; give this unit a parent",
                    int(root["row"]),
                    where,
                    root["code"],
                )


def write_units(session: Session, organisation: Organisation, units: UnitRows) -> dict[str, int]:
    """Create new units and update names, kinds, types and parents of existing ones, then
    recompute every path. Units not in the file are left as they are.

    Returns counts ``created``, ``updated`` (anything changed, the parent included) and
    ``unchanged``.
    """
    known = units_by_code(session, organisation.id)
    frame = units.frame
    new: set[str] = set()
    changed: set[str] = set()
    for code, name, kind, unit_type in zip(
        frame["code"], frame["name"], frame["kind"], frame["unit_type"], strict=True
    ):
        unit_type = unit_type if isinstance(unit_type, str) else None
        unit = known.get(code)
        if unit is None:
            unit = Unit(
                organisation_id=organisation.id,
                code=code,
                name=name,
                kind=UnitKind(kind),
                unit_type=unit_type,
                path="",
            )
            session.add(unit)
            known[code] = unit
            new.add(code)
        elif (unit.name, unit.kind.value, unit.unit_type) != (name, kind, unit_type):
            unit.name, unit.kind, unit.unit_type = name, UnitKind(kind), unit_type
            changed.add(code)
    session.flush()
    for code, parent in zip(frame["code"], frame["parent"], strict=True):
        unit = known[code]
        parent_id = known[parent].id if isinstance(parent, str) else None
        if unit.parent_id != parent_id:
            unit.parent_id = parent_id
            if code not in new:
                changed.add(code)
    session.flush()
    refresh_paths(session, organisation.id)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(frame) - len(new) - len(changed),
    }
