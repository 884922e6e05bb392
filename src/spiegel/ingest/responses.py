"""Survey responses from a file: wide (a row per respondent, an item per column) or long
(a row per answer: respondent, item, value; :mod:`spiegel.ingest.responses_long`).
Validation only; writing is in :mod:`spiegel.services.response_import`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.ingest.columns import ColumnPlan, plan_columns
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.response_rows import (
    FIELDS,
    ResponseRows,
    common_checks,
    no_texts,
    respondent_ids,
)
from spiegel.ingest.responses_long import long_rows
from spiegel.ingest.rules import ItemRule
from spiegel.ingest.table import RawTable
from spiegel.ingest.values import ItemContext, UnitLookup, check_item, check_text

__all__ = ["FIELDS", "ResponseRows", "validate_responses"]


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
        result = long_rows(table, mapping, rules, item_order, units, audience, plan, problems)
    problems.raise_if_any(table.filename)
    return result


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
    unit_ids, roles = common_checks(table, mapping, units, audience, plan, problems, ())
    external_ids, generated = respondent_ids(table, plan, problems, unique=True)
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
    texts = pd.concat(text_parts, ignore_index=True) if text_parts else no_texts()
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
