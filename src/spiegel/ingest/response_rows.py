"""What survey-response checks share: the columns a responses file may have, the checked
rows, and the checks of unit, role group and respondent id common to wide and long files."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.ingest.columns import ColumnPlan, require
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.table import RawTable, as_text
from spiegel.ingest.values import UnitLookup, check_role_groups, check_units

FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_code", "eenheid", "locatie", "location", "vestiging"),
    "respondent": ("respondent_id", "external_id"),
    "role_group": ("rolegroup", "functiegroep"),
    "item": ("item_id",),
    "value": ("answer", "antwoord"),
}
MAX_EXTERNAL_ID = 128


@dataclass
class ResponseRows:
    """Validated responses, one entry per respondent, ready to store."""

    rows: np.ndarray  # spreadsheet row (first row of the respondent in long form)
    unit_ids: np.ndarray
    role_groups: pd.Series | None
    external_ids: pd.Series
    matrix: np.ndarray  # respondents x item_order, NaN = no answer
    texts: pd.DataFrame  # columns: position (respondent index), item_id, text
    layout: str
    plan: ColumnPlan
    n_empty: int = 0  # respondents without a single answer, left out
    generated_ids: bool = False
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def common_checks(
    table: RawTable,
    mapping: Mapping,
    units: UnitLookup,
    audience: str,
    plan: ColumnPlan,
    problems: Problems,
    required: tuple[str, ...],
) -> tuple[np.ndarray, pd.Series | None]:
    """Unit ids and role groups per row (unit -1 where unknown)."""
    frame, rows = table.frame, table.rows
    needed = [*required, "unit"] + (["role_group"] if audience == "employee" else [])
    require(plan, needed, problems)
    unit_ids = np.full(len(frame), -1, dtype=np.int64)
    if "unit" in plan.fields:
        column = plan.fields["unit"]
        cells = frame[column]
        empty = cells.isna().to_numpy()
        problems.add_rows(empty, rows, column, None, "empty unit; every row needs a unit code")
        checked = check_units(cells, units, mapping.unit_code, table.value_labels.get(column, {}))
        problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
        unit_ids = checked.values
    roles: pd.Series | None = None
    if "role_group" in plan.fields:
        column = plan.fields["role_group"]
        cells = frame[column]
        if audience != "employee":
            problems.add(
                f"a {audience} survey has no role groups; map this column to 'ignore'",
                column=column,
            )
        else:
            empty = cells.isna().to_numpy()
            problems.add_rows(
                empty, rows, column, None, "empty role group; employee responses need one"
            )
            checked = check_role_groups(
                cells,
                mapping.codes_for("role_group", column),
                table.value_labels.get(column, {}),
                column,
            )
            problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
            roles = pd.Series(checked.values, dtype="str")
    return unit_ids, roles


def respondent_ids(
    table: RawTable, plan: ColumnPlan, problems: Problems, unique: bool
) -> tuple[pd.Series, bool]:
    frame, rows = table.frame, table.rows
    if "respondent" not in plan.fields:
        # Derived from the file's hash and the row: the same file gives the same ids.
        ids = pd.Series(rows.astype(str), dtype="str")
        return (table.sha256[:16] + "-" + ids).astype("str"), True
    column = plan.fields["respondent"]
    ids = as_text(frame[column]).reset_index(drop=True)
    empty = ids.isna().to_numpy()
    problems.add_rows(empty, rows, column, None, "empty respondent id")
    long = (ids.str.len().fillna(0) > MAX_EXTERNAL_ID).to_numpy()
    problems.add_rows(
        long, rows, column, ids, f"respondent id longer than {MAX_EXTERNAL_ID} characters"
    )
    if unique:
        codes, _ = pd.factorize(ids, use_na_sentinel=True)
        valid = codes >= 0
        first = np.full(codes.max() + 1 if valid.any() else 0, -1, dtype=np.int64)
        positions = np.flatnonzero(valid)
        # first occurrence of each id: write positions in reverse so the smallest wins
        first[codes[positions[::-1]]] = positions[::-1]
        dup = valid.copy()
        dup[valid] = first[codes[valid]] != positions
        if dup.any():
            firsts = rows[first[codes[dup]]]
            problems.add_rows(
                dup,
                rows,
                column,
                ids,
                [f"duplicate respondent id (first in row {r})" for r in firsts],
            )
    return ids, False


def no_texts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "position": pd.Series(dtype=np.int64),
            "item_id": pd.Series(dtype="str"),
            "text": pd.Series(dtype="str"),
        }
    )
