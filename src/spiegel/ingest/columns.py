"""Which file column holds what: the mapping file first, then names that speak for
themselves (``unit``, an item id, ...), case-insensitively."""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field

from spiegel.ingest.export_formats import TOOLS
from spiegel.ingest.mapping import Mapping
from spiegel.ingest.problems import Problems
from spiegel.ingest.table import RawTable

IGNORE = "ignore"


@dataclass
class ColumnPlan:
    """The outcome of matching a file's columns.

    ``fields`` maps a field (``unit``, ``respondent``, ...) to its file column; ``items``
    maps an item id (or, for outcomes, a metric) to its file column.
    """

    fields: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def column_of(self, name: str) -> str | None:
        return self.fields.get(name)


def plan_columns(
    columns: list[str],
    mapping: Mapping,
    fields: MappingType[str, tuple[str, ...]],
    problems: Problems,
    item_ids: Collection[str] = (),
    other: str = "unknown",
    what: str = "item",
) -> ColumnPlan:
    """Match ``columns`` to ``fields`` (name -> accepted column names) and ``item_ids``.

    ``other`` says what happens to a column that matches nothing: ``"unknown"`` reports it
    (or ignores it when the mapping says ``unknown_columns: ignore``); ``"items"`` takes it
    as an item of that name (metrics in a wide outcomes file).
    """
    plan = ColumnPlan()
    by_field_alias = {
        alias.lower(): name for name, aliases in fields.items() for alias in (name, *aliases)
    }
    items_lower = {i.lower(): i for i in item_ids}
    present = {c.strip().lower() for c in columns}

    for mapped_column, target in mapping.columns.items():
        if target.strip().lower() == IGNORE:
            continue  # one mapping file may serve exports with and without the column
        if mapped_column.strip().lower() not in present:
            problems.add(
                f"the mapping file names column {mapped_column!r} (as {target}), but the file "
                f"has no such column; its columns are: {', '.join(columns)}",
                column=mapped_column,
            )

    for column in columns:
        mapped = mapping.target_of(column)
        if mapped is not None:
            target = mapped
            key = target.strip().lower()
            if key == IGNORE:
                plan.ignored.append(column)
            elif key in fields:
                _claim(plan.fields, key, column, problems)
            elif key in items_lower:
                _claim(plan.items, items_lower[key], column, problems)
            elif other == "items":
                _claim(plan.items, target.strip(), column, problems)
            else:
                valid = ", ".join([*fields, IGNORE])
                problems.add(
                    f"the mapping file maps this column to {target!r}, which is neither "
                    f"{'an' if what[0] in 'aeiou' else 'a'} {what} of the instrument nor "
                    f"one of: {valid}",
                    column=column,
                )
            continue
        key = column.strip().lower()
        if key in by_field_alias:
            _claim(plan.fields, by_field_alias[key], column, problems)
        elif key in items_lower:
            _claim(plan.items, items_lower[key], column, problems)
        elif other == "items":
            _claim(plan.items, column.strip(), column, problems)
        elif mapping.unknown_columns == IGNORE:
            plan.ignored.append(column)
        else:
            problems.add(
                f"unknown column: not {'an' if what[0] in 'aeiou' else 'a'} {what} of the "
                f"instrument and not mapped; map it in the mapping file "
                f"(columns: {{{column}: ITEM_ID}} or {{{column}: ignore}}), or set "
                "'unknown_columns: ignore'",
                column=column,
            )
    return plan


def with_detected(
    mapping: Mapping, table: RawTable, fields: MappingType[str, tuple[str, ...]]
) -> tuple[Mapping, list[str]]:
    """The mapping, completed with what the file's tool says about its own columns.

    Columns the mapping does not name and that the tool writes for itself (start time,
    IP address, ...) are ignored; the tool's respondent id column holds the respondent
    when this kind of file has one and neither the mapping nor a column name claims it.
    Returns the mapping and a note for each kind of column added.
    """
    if not table.roles:
        return mapping, []
    aliases = {a.lower() for a in ("respondent", *fields.get("respondent", ()))}
    claimed = any(t.strip().lower() == "respondent" for t in mapping.columns.values()) or any(
        c.strip().lower() in aliases and c not in table.roles for c in table.columns
    )
    extra: dict[str, str] = {}
    for column, role in table.roles.items():
        if mapping.target_of(column) is not None:
            continue
        if role == "respondent" and "respondent" in fields and not claimed:
            extra[column] = "respondent"
        else:
            extra[column] = IGNORE
    notes: list[str] = []
    respondent = [c for c, t in extra.items() if t == "respondent"]
    if respondent:
        notes.append(f"respondent ids from column {respondent[0]!r}")
    ignored = [c for c, t in extra.items() if t == IGNORE]
    if ignored:
        tool = next((t.title for t in TOOLS if t.key == table.tool), "the tool")
        notes.append(f"{len(ignored)} columns {tool} adds were ignored: {', '.join(ignored)}")
    return mapping.with_columns(extra), notes


def _claim(slots: dict[str, str], target: str, column: str, problems: Problems) -> None:
    if target in slots:
        problems.add(
            f"columns {slots[target]!r} and {column!r} both hold {target!r}; map one of them "
            "to 'ignore'",
            column=column,
        )
        return
    slots[target] = column


def require(plan: ColumnPlan, names: Collection[str], problems: Problems, hint: str = "") -> bool:
    """Report each missing required field; True when all are there."""
    ok = True
    for name in names:
        if name not in plan.fields:
            problems.add(
                f"required column {name!r} is missing{hint}; name a column '{name}' or map "
                f"one to it in the mapping file (columns: {{YOUR_COLUMN: {name}}})",
                column=name,
            )
            ok = False
    return ok
