"""The 95% interval of every shown mean in a unit table, for trends and comparisons.

A cell's mean over ``n`` respondents gets the t interval ``mean ± t(n-1) · sd / √n``
(R: ``t.test(x)$conf.int``), computed by
:func:`spiegel.analysis.aggregation.aggregate_units`. Only shown figures of shown cells
get one: the interval is a function of the count, sum and sum of squares of that
figure's respondents, the totals the privacy gate already protects (see
:mod:`spiegel.services.figures`), so it tells nobody anything about a group the gate
hides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from spiegel.analysis.aggregation import aggregate_units
from spiegel.results import Cell, UnitTable
from spiegel.services.unit_tables import expand_to_ancestors

LEVEL = 0.95


def with_intervals(
    table: UnitTable,
    respondents: pd.DataFrame,
    units: pd.DataFrame,
    figures: Sequence[str],
    level: float = LEVEL,
) -> UnitTable:
    """``table`` with the interval of each shown mean of ``figures`` in its whole-unit
    cells (role-group cells are left as they are). ``respondents`` has ``unit_id``,
    ``wave`` and one column per figure (NaN where not answered)."""
    found: dict[tuple[int, str, str], tuple[float, float]] = {}
    for figure in figures:
        if figure not in respondents:
            continue
        rows = respondents.loc[respondents[figure].notna(), ["unit_id", "wave", figure]]
        if rows.empty:
            continue
        expanded = expand_to_ancestors(rows, units)
        for wave, part in expanded.groupby("wave", sort=False):
            found.update(
                ((int(unit), str(wave), figure), (float(low), float(high)))
                for unit, low, high in aggregate_units(part, "group_unit", figure, level)[
                    ["ci_low", "ci_high"]
                ].itertuples()
                if math.isfinite(low) and math.isfinite(high)
            )

    def cell(c: Cell) -> Cell:
        if c.role_group is not None or c.hidden is not None:
            return c
        own = {
            f: found[(c.unit, c.wave, f)]
            for f in figures
            if c.values.get(f) is not None and (c.unit, c.wave, f) in found
        }
        return c.model_copy(update={"intervals": own}) if own else c

    return UnitTable(
        figures=table.figures, cells=[cell(c) for c in table.cells], summary=table.summary
    )
