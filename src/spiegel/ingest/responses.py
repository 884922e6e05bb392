"""Survey responses from a file: wide (a row per respondent, an item per column) or long
(a row per answer: respondent, item, value). Validation only; writing is in
:mod:`spiegel.services.importing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.ingest.columns import ColumnPlan, plan_columns, require
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.rules import ItemRule
from spiegel.ingest.table import RawTable, as_text
from spiegel.ingest.values import (
    ItemContext,
    UnitLookup,
    check_item,
    check_role_groups,
    check_text,
    check_units,
)

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


def validate_responses(
    table: RawTable,
    mapping: Mapping,
    rules: dict[str, ItemRule],
    item_order: list[str],
    units: UnitLookup,
    audience: str,
    layout: str | None = None,
) -> ResponseRows:
    """Check every cell of a responses file; raise :class:`ImportErrors` listing all problems.

    Parameters
    ----------
    table
        The file as read.
    mapping
        Column and code mapping (may be empty).
    rules
        Every item of the instrument (numeric and text), by id.
    item_order
        The numeric items in stored order (the survey's instrument version).
    units
        The organisation's units.
    audience
        ``employee`` (a role group is required) or ``customer``.
    layout
        ``wide`` or ``long``; ``None`` detects it (long when there are item and value
        columns).
    """
    problems = Problems(list(table.problems))
    plan = plan_columns(table.columns, mapping, FIELDS, problems, item_ids=list(rules))
    chosen = layout or mapping.layout
    if chosen is None:
        chosen = "long" if "item" in plan.fields and "value" in plan.fields else "wide"
    if chosen == "wide":
        for name in ("item", "value"):
            if name in plan.fields:
                problems.add(
                    f"an {name!r} column belongs to a long-form file, but the file is "
                    "read as wide (one column per item)",
                    column=plan.fields[name],
                )
        result = _wide(table, mapping, rules, item_order, units, audience, plan, problems)
    else:
        for item_id, column in plan.items.items():
            problems.add(
                f"this column holds item {item_id!r}, but a long-form file has its "
                "items in the 'item' column",
                column=column,
            )
        result = _long(table, mapping, rules, item_order, units, audience, plan, problems)
    problems.raise_if_any(table.filename)
    return result


def _common_checks(
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


def _respondent_ids(
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


def _wide(
    table: RawTable,
    mapping: Mapping,
    rules: dict[str, ItemRule],
    item_order: list[str],
    units: UnitLookup,
    audience: str,
    plan: ColumnPlan,
    problems: Problems,
) -> ResponseRows:
    frame, rows = table.frame, table.rows
    unit_ids, roles = _common_checks(table, mapping, units, audience, plan, problems, ())
    external_ids, generated = _respondent_ids(table, plan, problems, unique=True)
    n = len(frame)
    position = {item_id: j for j, item_id in enumerate(item_order)}
    matrix = np.full((n, len(item_order)), np.nan)
    text_parts: list[pd.DataFrame] = []
    answered = np.zeros(n, dtype=bool)
    for item_id, column in plan.items.items():
        rule = rules[item_id]
        cells = frame[column]
        if rule.is_text:
            checked = check_text(cells, rule)
            problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
            given = cells.notna().to_numpy() & ~checked.bad
            text_parts.append(
                pd.DataFrame(
                    {
                        "position": np.flatnonzero(given),
                        "item_id": item_id,
                        "text": checked.values[given],
                    }
                )
            )
            answered |= given
            continue
        ctx = ItemContext(
            mapping.codes_for(item_id, column), table.value_labels.get(column, {}), column
        )
        checked = check_item(cells, rule, ctx)
        problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
        if item_id not in position:
            problems.add(
                f"item {item_id!r} is not stored by this survey's instrument version", column=column
            )
            continue
        matrix[:, position[item_id]] = checked.values
    if item_order:
        answered |= ~np.isnan(matrix).all(axis=1)
    if not plan.items:
        problems.add(
            "no column holds an item of the instrument; name columns after item ids "
            "or map them in the mapping file"
        )
    texts = pd.concat(text_parts, ignore_index=True) if text_parts else _no_texts()
    keep = answered
    n_empty = int((~keep).sum())
    if n_empty:
        index = np.cumsum(keep) - 1
        texts = texts.assign(position=index[texts["position"].to_numpy()])
        matrix, rows, unit_ids = matrix[keep], rows[keep], unit_ids[keep]
        external_ids = external_ids[keep].reset_index(drop=True)
        roles = roles[keep].reset_index(drop=True) if roles is not None else None
    return ResponseRows(
        rows,
        unit_ids,
        roles,
        external_ids,
        matrix,
        texts,
        "wide",
        plan,
        n_empty=n_empty,
        generated_ids=generated,
    )


def _long(
    table: RawTable,
    mapping: Mapping,
    rules: dict[str, ItemRule],
    item_order: list[str],
    units: UnitLookup,
    audience: str,
    plan: ColumnPlan,
    problems: Problems,
) -> ResponseRows:
    frame, rows = table.frame, table.rows
    unit_ids, roles = _common_checks(
        table, mapping, units, audience, plan, problems, ("respondent", "item", "value")
    )
    if not {"respondent", "item", "value"} <= set(plan.fields):
        return _empty_rows(plan)
    external_ids, _ = _respondent_ids(table, plan, problems, unique=False)
    item_col, value_col = plan.fields["item"], plan.fields["value"]
    items = as_text(frame[item_col]).reset_index(drop=True)
    values = frame[value_col].reset_index(drop=True)
    problems.add_rows(items.isna().to_numpy(), rows, item_col, None, "empty item id")

    # Which item each row answers: mapped label, or the item id (any case).
    item_codes = mapping.codes_for("item", item_col)
    by_lower = {i.lower(): i for i in rules}
    item_index, item_uniques = pd.factorize(items, use_na_sentinel=True)
    resolved: list[str | None] = []
    for raw in item_uniques.tolist():
        key = str(raw).strip().lower()
        target = item_codes.get(key, raw)
        resolved.append(by_lower.get(str(target).strip().lower()) if target is not None else None)
    unknown = np.array([r is None for r in resolved] + [False], dtype=bool)[item_index]
    problems.add_rows(
        unknown,
        rows,
        item_col,
        items,
        "unknown item: not an item of the instrument; map it under "
        "'values: item:' in the mapping file",
    )

    # Check the values item by item.
    n = len(frame)
    numeric = np.full(n, np.nan)
    text = np.full(n, None, dtype=object)
    for k, item_id in enumerate(resolved):
        if item_id is None:
            continue
        mask = item_index == k
        rule = rules[item_id]
        cells = values[mask]
        sub_rows = rows[mask]
        if rule.is_text:
            checked = check_text(cells, rule)
            text[mask] = np.where(checked.bad, np.array(None, dtype=object), checked.values)
        else:
            ctx = ItemContext(
                mapping.codes_for(item_id), table.value_labels.get(value_col, {}), value_col
            )
            checked = check_item(cells, rule, ctx)
            numeric[mask] = checked.values
        problems.add_rows(checked.bad, sub_rows, value_col, cells, checked.reasons_of_bad())

    # One respondent = one response; unit and role group must agree across its rows.
    resp_index, resp_uniques = pd.factorize(external_ids, use_na_sentinel=True)
    valid = resp_index >= 0
    n_resp = len(resp_uniques)
    first = np.full(n_resp, n, dtype=np.int64)
    np.minimum.at(first, resp_index[valid], np.flatnonzero(valid))
    _agree(
        unit_ids,
        resp_index,
        first,
        rows,
        plan.fields.get("unit"),
        "unit",
        frame.get(plan.fields.get("unit", ""), None),
        problems,
    )
    if roles is not None:
        _agree(
            np.asarray(roles.astype(object).where(roles.notna(), None)),
            resp_index,
            first,
            rows,
            plan.fields["role_group"],
            "role group",
            frame[plan.fields["role_group"]],
            problems,
        )

    known_item = np.array([r is not None for r in resolved] + [False], dtype=bool)[item_index]
    pair_ok = valid & known_item
    pair = resp_index.astype(np.int64) * (len(item_uniques) + 1) + item_index
    pair_series = pd.Series(np.where(pair_ok, pair, -1 - np.arange(n)))
    dup = pair_series.duplicated().to_numpy() & pair_ok
    problems.add_rows(
        dup, rows, item_col, items, "this respondent already answered this item in an earlier row"
    )

    position = {item_id: j for j, item_id in enumerate(item_order)}
    matrix = np.full((n_resp, len(item_order)), np.nan)
    text_parts = []
    for k, item_id in enumerate(resolved):
        if item_id is None:
            continue
        mask = (item_index == k) & valid
        if rules[item_id].is_text:
            given = mask & pd.notna(text)
            text_parts.append(
                pd.DataFrame(
                    {"position": resp_index[given], "item_id": item_id, "text": text[given]}
                )
            )
        elif item_id in position:
            matrix[resp_index[mask], position[item_id]] = numeric[mask]
        else:
            problems.add(
                f"item {item_id!r} is not stored by this survey's instrument version",
                column=item_col,
            )
    texts = pd.concat(text_parts, ignore_index=True) if text_parts else _no_texts()
    first_rows = first.clip(max=max(n - 1, 0))
    return ResponseRows(
        rows=rows[first_rows],
        unit_ids=unit_ids[first_rows],
        role_groups=roles.iloc[first_rows].reset_index(drop=True) if roles is not None else None,
        external_ids=pd.Series(resp_uniques, dtype="str"),
        matrix=matrix,
        texts=texts,
        layout="long",
        plan=plan,
    )


def _agree(
    values: np.ndarray,
    resp_index: np.ndarray,
    first: np.ndarray,
    rows: np.ndarray,
    column: str | None,
    what: str,
    cells: pd.Series | None,
    problems: Problems,
) -> None:
    if column is None:
        return
    valid = resp_index >= 0
    reference = np.empty(len(values), dtype=values.dtype)
    reference[valid] = values[first[resp_index[valid]]]
    differs = valid & (values != reference)
    if differs.any():
        first_rows = rows[first[resp_index[differs]]]
        problems.add_rows(
            differs,
            rows,
            column,
            cells,
            [f"the same respondent has another {what} in row {r}" for r in first_rows],
        )


def _no_texts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "position": pd.Series(dtype=np.int64),
            "item_id": pd.Series(dtype="str"),
            "text": pd.Series(dtype="str"),
        }
    )


def _empty_rows(plan: ColumnPlan) -> ResponseRows:
    return ResponseRows(
        np.empty(0, np.int64),
        np.empty(0, np.int64),
        None,
        pd.Series([], dtype="str"),
        np.empty((0, 0)),
        _no_texts(),
        "long",
        plan,
    )
