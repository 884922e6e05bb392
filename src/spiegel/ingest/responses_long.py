"""Survey responses in long form: a row per answer (respondent, item, value)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.ingest.columns import ColumnPlan
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.response_rows import ResponseRows, common_checks, no_texts, respondent_ids
from spiegel.ingest.rules import ItemRule
from spiegel.ingest.table import RawTable, as_text
from spiegel.ingest.values import ItemContext, UnitLookup, check_item, check_text


def long_rows(
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
    unit_ids, roles = common_checks(
        table, mapping, units, audience, plan, problems, ("respondent", "item", "value")
    )
    if not {"respondent", "item", "value"} <= set(plan.fields):
        return _empty_rows(plan)
    external_ids, _ = respondent_ids(table, plan, problems, unique=False)
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
    texts = pd.concat(text_parts, ignore_index=True) if text_parts else no_texts()
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


def _empty_rows(plan: ColumnPlan) -> ResponseRows:
    return ResponseRows(
        np.empty(0, np.int64),
        np.empty(0, np.int64),
        None,
        pd.Series([], dtype="str"),
        np.empty((0, 0)),
        no_texts(),
        "long",
        plan,
    )
