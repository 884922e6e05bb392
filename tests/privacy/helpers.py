"""Small tables written out by hand for the privacy tests."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from spiegel.privacy import GroupTable, PrivacySettings, ProtectedTable, UnitTree
from spiegel.privacy.settings import TableKind
from tests.privacy.attacker import Attacker, Cell


def build(
    parents: dict[str, str | None],
    micro: Sequence[tuple[object, ...]],
    cells: Sequence[tuple[object, ...]],
    attrs: tuple[str, ...] = (),
    kind: TableKind = "scores",
) -> GroupTable:
    """``micro`` rows are (unit, wave, *attrs, n, mean); ``cells`` are (unit, wave, *attrs).

    Each cell gets its true ``n`` and ``mean`` from the microdata.
    """
    micro_frame = pd.DataFrame(micro, columns=["unit", "wave", *attrs, "n", "mean"])
    fig = pd.DataFrame(cells, columns=["unit", "wave", *attrs]).astype(object)
    fig = fig.where(fig.notna(), None)
    below = {u: {v for v in parents if u in _ancestors(parents, v)} for u in parents}
    ns, means = [], []
    for row in fig.itertuples(index=False):
        sel = micro_frame["unit"].isin(below[row.unit])
        if row.wave is not None:
            sel &= micro_frame["wave"] == row.wave
        for a in attrs:
            value = getattr(row, a)
            if value is not None:
                sel &= micro_frame[a] == value
        part = micro_frame[sel]
        n = int(part["n"].sum())
        ns.append(n)
        means.append(float((part["n"] * part["mean"]).sum() / n) if n else float("nan"))
    fig["n"] = ns
    fig["mean"] = means
    return GroupTable(UnitTree(parents), micro_frame.drop(columns="mean"), fig, attrs, kind)


def _ancestors(parents: dict[str, str | None], unit: str) -> list[str]:
    out = []
    cur: str | None = unit
    while cur is not None:
        out.append(cur)
        cur = parents[cur]
    return out


def attacker(
    table: GroupTable, settings: PrivacySettings, micro: Sequence[tuple[object, ...]]
) -> Attacker:
    """An attacker for a table built with :func:`build`."""
    frame = pd.DataFrame(micro, columns=["unit", "wave", *table.split_attributes, "n", "mean"])
    exempt = None
    if table.kind == "rater360":
        exempt = (settings.rater_attribute, settings.exempt_rater_groups)
    return Attacker(
        dict(table.tree.parents),
        frame,
        table.split_attributes,
        settings.minimum(table.kind),
        exempt=exempt,
        value_col="mean",
    )


def shown(protected: ProtectedTable) -> list[Cell]:
    """What a viewer sees: every visible cell with its count and mean."""
    out = []
    for c in protected.visible():
        mean = c.figures.get("mean")
        out.append(
            Cell(
                c.key.unit,
                c.key.wave,
                c.key.split,
                c.n,
                float(mean) if isinstance(mean, int | float) else None,
            )
        )
    return out


def shown_primary_only(table: GroupTable, minimum: int) -> list[Cell]:
    """What a viewer would see with primary suppression alone (the naive approach)."""
    fig = table.figures
    out = []
    for key, n, mean in zip(table.keys, fig["n"].tolist(), fig["mean"].tolist(), strict=True):
        if n >= minimum:
            out.append(Cell(key.unit, key.wave, key.split, int(n), float(mean)))
    return out
