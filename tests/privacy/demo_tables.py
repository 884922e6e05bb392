"""The demo organisation's employee table, as ``spiegel analyze`` hands it to the gate.

Used by the privacy tests and ``bench/privacy_gate.py`` to compare the gate's choice of
complementary suppressions with the exact optimum (``optimum.py``) on real demo trees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spiegel.demo import generate
from spiegel.privacy import (
    HIDE_FIRST,
    CellKey,
    GroupTable,
    PrivacySettings,
    ProtectedTable,
    ReasonCode,
    protect,
)
from spiegel.services.demo_frames import organisation_frames
from spiegel.services.unit_tables import group_table, micro_cells
from tests.privacy.optimum import optimum

#: Weight of hiding a cell, by the kind of its unit: what a team discusses is lost
#: entirely when its cell is hidden; a location's figure is close to its teams' when they
#: are shown, and a region's or the organisation's still more so.
KIND_WEIGHTS = {"team": 4.0, "location": 2.0, "region": 1.0, "organisation": 1.0}
KINDS = tuple(KIND_WEIGHTS)


@dataclass(frozen=True)
class DemoTable:
    """The employee table of one generated demo and the kind of each of its units."""

    table: GroupTable
    kind: dict[str, str]

    def weight(self, key: CellKey) -> float:
        """:data:`KIND_WEIGHTS` of the cell's unit."""
        return KIND_WEIGHTS[self.kind[key.unit]]


def demo_table(seed: int = 1, employees: int = 1200, locations: int = 80) -> DemoTable:
    """Scores per unit subtree and wave, split by role group at the organisation only.

    The row table the analysis protects (``protect_by_figure`` in
    ``spiegel.services.analyze.tables``; ``spiegel demo`` uses seed 1, 1,200 employees,
    80 locations). Only the respondent counts matter to the gate, so the table carries no
    score columns.
    """
    data = generate(seed=seed, employees=employees, locations=locations)
    frames = organisation_frames(data)
    units = frames.units
    top = set(units.loc[units["kind"] == "organisation", "id"])
    respondents = frames.employee[["wave", "unit_id", "role_group"]]
    micro = micro_cells(respondents, [], split="role_group")
    table = group_table(micro, units, {}, split="role_group", split_units=top)
    kind = {str(int(u)): str(k) for u, k in zip(units["id"], units["kind"], strict=True)}
    return DemoTable(table, kind)


def shown_by_kind(
    demo: DemoTable, protected: ProtectedTable, hidden: frozenset[CellKey] | None = None
) -> dict[str, Counter[str]]:
    """Per unit kind: cells ``shown``, hidden as ``too_few``, hidden as ``complementary``.

    With ``hidden``, the complementary suppressions are those instead of the gate's (the
    optimum's, say); primary suppression is the gate's either way.
    """
    out: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for cell in protected.cells:
        kind = demo.kind[cell.key.unit]
        if not cell.visible and cell.reason_code is not ReasonCode.COMPLEMENTARY:
            out[kind][cell.reason_code.value] += 1
        elif hidden is None:
            out[kind]["shown" if cell.visible else "complementary"] += 1
        else:
            out[kind]["complementary" if cell.key in hidden else "shown"] += 1
    return out


@dataclass(frozen=True)
class Comparison:
    """The gate (per ``hide_first``) against the optimum on one demo.

    ``cells[who]``: per unit kind, cells shown, too few, complementary, where ``who`` is a
    ``hide_first`` value or ``"optimum"``; ``loss[who]``: total weight of the
    complementary suppressions; ``seconds[who]``: time to protect or to optimise.
    """

    label: str
    cells: dict[str, dict[str, Counter[str]]]
    loss: dict[str, float]
    seconds: dict[str, float]


def compare(seed: int = 1, employees: int = 1200, locations: int = 80) -> Comparison:
    """Protect one demo's employee table and compute the optimum under :data:`KIND_WEIGHTS`."""
    demo = demo_table(seed, employees, locations)
    settings = PrivacySettings()
    best = optimum(demo.table, settings, demo.weight)
    cells, loss, seconds = {}, {}, {}
    for hide_first in HIDE_FIRST:
        protected = protect(demo.table, settings, hide_first=hide_first)
        cells[hide_first] = shown_by_kind(demo, protected)
        loss[hide_first] = sum(
            demo.weight(c.key)
            for c in protected.hidden()
            if c.reason_code is ReasonCode.COMPLEMENTARY
        )
        seconds[hide_first] = protected.summary.seconds
    cells["optimum"] = shown_by_kind(demo, protected, best.hidden)
    loss["optimum"], seconds["optimum"] = best.loss, best.seconds
    label = f"seed {seed}, {employees:,} employees, {locations} locations"
    return Comparison(label, cells, loss, seconds)


def report(demos: list[tuple[int, int, int]]) -> None:
    """Print, per demo and unit kind, cells shown by the gate and by the optimum."""
    weights = ", ".join(f"{k} {v:g}" for k, v in KIND_WEIGHTS.items())
    print(f"\ncomplementary suppression against the optimum (weights {weights})")
    who = [*HIDE_FIRST, "optimum"]
    head = "".join(f"{w if w == 'optimum' else w + ' first':>15}" for w in who)
    for seed, employees, locations in demos:
        c = compare(seed, employees, locations)
        print(f"demo {c.label}\n  {'cells shown':<26}{head}")
        for kind in KINDS:
            best = c.cells["optimum"][kind]["shown"]
            total = sum(c.cells["optimum"][kind].values())
            parts = []
            for w in who:
                shown = c.cells[w][kind]["shown"]
                parts.append(f"{shown:>6} ({shown / best:>6.1%})" if best else f"{shown:>15}")
            too_few = c.cells["optimum"][kind]["too_few"]
            print(f"  {kind:<12}{total:>5} {too_few:>4} few" + "".join(parts))
        print(f"  {'weighted loss':<26}" + "".join(f"{c.loss[w]:>15g}" for w in who))
        print(f"  {'seconds':<26}" + "".join(f"{c.seconds[w]:>15.2f}" for w in who))
