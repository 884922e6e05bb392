"""Outcomes (absenteeism, turnover, complaints, ...) per unit and period.

Long form: ``unit, metric, period, value``. Wide form: ``unit, period`` and one column per
metric (its header is the metric's name, or what the mapping maps it to).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from spiegel.ingest.columns import ColumnPlan, plan_columns, require
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.table import RawTable
from spiegel.ingest.values import (
    UnitLookup,
    by_uniques,
    check_units,
    labelled_text,
    parse_number,
)
from spiegel.store.bulk import insert_rows
from spiegel.store.models import ImportBatch, Outcome, Unit

FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_code", "eenheid", "locatie", "location", "vestiging"),
    "period": ("periode",),
    "metric": ("indicator", "kpi"),
    "value": ("waarde",),
}


@dataclass
class OutcomeRows:
    frame: pd.DataFrame  # unit_id, metric, period, value, row
    plan: ColumnPlan
    layout: str

    def __len__(self) -> int:
        return len(self.frame)


def validate_outcomes(
    table: RawTable, mapping: Mapping, units: UnitLookup, layout: str | None = None
) -> OutcomeRows:
    """Check an outcomes file, long or wide; raise :class:`ImportErrors` with every problem."""
    problems = Problems(list(table.problems))
    named = {c.strip().lower() for c in table.columns}
    named |= {t.strip().lower() for t in mapping.columns.values()}
    chosen = layout or mapping.layout
    if chosen is None:
        long = all(any(a in named for a in (f, *FIELDS[f])) for f in ("metric", "value"))
        chosen = "long" if long else "wide"
    fields = FIELDS if chosen == "long" else {k: FIELDS[k] for k in ("unit", "period")}
    plan = plan_columns(
        table.columns,
        mapping,
        fields,
        problems,
        other="unknown" if chosen == "long" else "items",
        what="outcome field",
    )
    require(plan, ("unit", "period", *(("metric", "value") if chosen == "long" else ())), problems)
    frame, rows = table.frame, table.rows
    n = len(frame)
    col = plan.fields.get
    unit_ids = np.full(n, -1, dtype=np.int64)
    if "unit" in plan.fields:
        cells = frame[col("unit")]
        problems.add_rows(cells.isna().to_numpy(), rows, col("unit"), None, "empty unit")
        checked = check_units(
            cells, units, mapping.unit_code, table.value_labels.get(col("unit") or "", {})
        )
        problems.add_rows(checked.bad, rows, col("unit"), cells, checked.reasons_of_bad())
        unit_ids = checked.values
    period = pd.Series([None] * n, dtype="str")
    if "period" in plan.fields:
        column = col("period") or ""
        period = labelled_text(
            frame[column],
            table.value_labels.get(column, {}),
            mapping.codes_for("period", column),
        ).reset_index(drop=True)
        problems.add_rows(period.isna().to_numpy(), rows, col("period"), None, "empty period")
        problems.add_rows(
            (period.str.len() > 32).fillna(False).to_numpy(),
            rows,
            col("period"),
            period,
            "period longer than 32 characters",
        )

    parts: list[pd.DataFrame] = []
    if chosen == "long":
        if {"metric", "value"} <= set(plan.fields):
            column = col("metric") or ""
            metric = labelled_text(
                frame[column],
                table.value_labels.get(column, {}),
                mapping.codes_for("metric", column),
            ).reset_index(drop=True)
            problems.add_rows(
                metric.isna().to_numpy(), rows, col("metric"), None, "empty metric name"
            )
            problems.add_rows(
                (metric.str.len() > 64).fillna(False).to_numpy(),
                rows,
                col("metric"),
                metric,
                "metric name longer than 64 characters",
            )
            cells = frame[col("value")].reset_index(drop=True)
            values = _numbers(cells, rows, col("value") or "", problems)
            problems.add_rows(cells.isna().to_numpy(), rows, col("value"), None, "empty value")
            parts.append(
                pd.DataFrame(
                    {
                        "unit_id": unit_ids,
                        "metric": metric,
                        "period": period,
                        "value": values,
                        "row": rows,
                    }
                )
            )
    else:
        if not plan.items:
            problems.add(
                "no metric columns: a wide outcomes file has unit, period and one column per metric"
            )
        for metric_name, column in plan.items.items():
            if len(metric_name) > 64:
                problems.add("metric name longer than 64 characters", column=column)
            cells = frame[column].reset_index(drop=True)
            values = _numbers(cells, rows, column, problems)
            given = cells.notna().to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "unit_id": unit_ids[given],
                        "metric": metric_name,
                        "period": period[given],
                        "value": values[given],
                        "row": rows[given],
                    }
                )
            )
    out = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["unit_id", "metric", "period", "value", "row"])
    )
    if len(out):
        valid = (out["unit_id"] >= 0) & out["metric"].notna() & out["period"].notna()
        keys = ["unit_id", "metric", "period"]
        dup = out.duplicated(keys, keep="first") & valid
        if dup.any():
            first = out[valid].drop_duplicates(keys).set_index(keys)["row"]
            firsts = [first.loc[tuple(k)] for k in out.loc[dup, keys].itertuples(index=False)]
            problems.add_rows(
                dup.to_numpy(),
                out["row"].to_numpy(),
                None,
                out["metric"] + " " + out["period"],
                [
                    f"this unit already has a figure for this metric and period (row {r})"
                    for r in firsts
                ],
            )
    problems.raise_if_any(table.filename)
    return OutcomeRows(out, plan, chosen)


def _numbers(cells: pd.Series, rows: np.ndarray, column: str, problems: Problems) -> np.ndarray:
    if cells.dtype.kind == "f":
        return cells.to_numpy(dtype=float)

    def resolve(cell: object) -> tuple[float, str | None]:
        number = parse_number(cell, percent=True)
        if number is None:
            return np.nan, "not a number"
        return number, None

    checked = by_uniques(cells, resolve, np.nan, float)
    problems.add_rows(checked.bad, rows, column, cells, checked.reasons_of_bad())
    return checked.values


def write_outcomes(
    session: Session, organisation_id: int, outcomes: OutcomeRows, batch: ImportBatch
) -> dict[str, int]:
    """Insert new figures and write the batch's value over existing ones (same unit,
    metric and period).

    Every figure the file holds becomes the batch's; the old value and batch of each one
    that existed are kept in ``batch.replaced``, so that undoing the batch gives them
    back. Returns counts ``created``, ``updated`` and ``unchanged``.
    """
    frame = outcomes.frame
    current = {
        (u, m, p): o
        for o, u, m, p in session.execute(
            select(Outcome, Outcome.unit_id, Outcome.metric, Outcome.period)
            .join(Unit, Unit.id == Outcome.unit_id)
            .where(Unit.organisation_id == organisation_id)
        )
    }
    keys = list(zip(frame["unit_id"].astype(int), frame["metric"], frame["period"], strict=True))
    is_new = np.array([k not in current for k in keys], dtype=bool)
    updated = unchanged = 0
    replaced: list[list[object]] = []
    for key, value in zip(keys, frame["value"], strict=True):
        outcome = current.get(key)
        if outcome is None:
            continue
        replaced.append([int(key[0]), key[1], key[2], outcome.value, outcome.batch_id])
        if outcome.value != float(value):
            outcome.value = float(value)
            updated += 1
        else:
            unchanged += 1
        outcome.batch_id = batch.id
    batch.replaced = replaced or None
    session.flush()
    new = frame[is_new]
    insert_rows(
        session,
        Outcome.__table__,  # type: ignore[arg-type]
        {
            "unit_id": new["unit_id"].to_numpy(dtype=np.int64),
            "metric": new["metric"].reset_index(drop=True),
            "period": new["period"].reset_index(drop=True),
            "value": new["value"].to_numpy(dtype=float),
            "batch_id": batch.id,
        },
        len(new),
    )
    return {"created": int(is_new.sum()), "updated": updated, "unchanged": unchanged}
