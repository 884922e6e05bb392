"""Each unit against its region and the organisation: the difference of the means with its
interval, for every employee scale and the customers' grade, latest wave.

The privacy gate has already decided which figures of which units may be shown. A
difference is shown only when both figures it compares are (the unit's and the wider
group's), and only when the rest of the wider group (everyone in it but the unit) holds
at least the minimum number of people: the interval rests on the rest's spread too.
Otherwise the difference is hidden with the reason of the figure that was hidden (or,
for a small rest, as complementary). Everything a shown difference uses is a function of
the counts, sums and sums of squares of cells the gate let through, so it tells nobody
anything about a group the gate protects.
"""

from __future__ import annotations

import pandas as pd

from spiegel.analysis.unit_difference import unit_differences_from_moments
from spiegel.results import (
    Against,
    Audience,
    Difference,
    Hidden,
    UnitComparison,
    UnitDifferences,
    UnitTable,
)
from spiegel.services.analyze.job import GRADE_ITEM, Job, NotAvailable
from spiegel.services.dataset import ancestors
from spiegel.services.unit_tables import expand_to_ancestors

LEVEL = 0.95


def _moments(frame: pd.DataFrame, units: pd.DataFrame, figure: str) -> pd.DataFrame:
    """n, mean and variance of ``figure`` over every unit's subtree."""
    rows = frame.loc[frame[figure].notna(), ["unit_id", figure]]
    expanded = expand_to_ancestors(rows, units)
    grouped = expanded.groupby("group_unit")[figure]
    return pd.DataFrame({"n": grouped.count(), "mean": grouped.mean(), "var": grouped.var(ddof=1)})


def _comparisons(job: Job) -> list[tuple[int, Against, int]]:
    """(unit, organisation or region, the wider group's unit) for every unit but the top."""
    units = job.data.units
    kinds = dict(zip(units["id"].astype(int), units["kind"], strict=True))
    out: list[tuple[int, Against, int]] = []
    for unit, chain in ancestors(units).items():
        if job.root is None or unit == job.root:
            continue
        out.append((unit, "organisation", job.root))
        regions = [u for u in chain[:-1] if kinds.get(u) == "region"]
        if regions and kinds.get(unit) != "region":
            out.append((unit, "region", regions[-1]))
    return out


def _why_hidden(table: UnitTable, unit: int, wave: str, figure: str) -> Hidden | None:
    cell = table.cell(unit, wave)
    if cell is None:
        return Hidden(code="too_few", minimum=0)
    hidden = cell.why_hidden() or cell.why_hidden(figure)
    if hidden is None and figure not in cell.values:
        return Hidden(code="too_few", minimum=0)
    return hidden


def _combined(moments: pd.DataFrame, units: tuple[int, ...]) -> pd.Series:
    """n, mean and variance of several units' subtrees together (pooled moments)."""
    part = moments.reindex(list(units))
    n = float(part["n"].sum())
    mean = float((part["n"] * part["mean"]).sum() / n) if n else float("nan")
    ss = ((part["n"] - 1) * part["var"].fillna(0.0) + part["n"] * (part["mean"] - mean) ** 2).sum()
    var = float(ss / (n - 1)) if n >= 2 else float("nan")
    return pd.Series({"n": n, "mean": mean, "var": var})


def _audience_rows(
    job: Job,
    audience: Audience,
    frame: pd.DataFrame,
    table: UnitTable,
    figures: list[str],
    comparisons: list[tuple[int, Against, int]],
    stand_in: dict[int, tuple[int, ...]],
) -> list[UnitComparison]:
    """The comparisons of one audience. A location in ``stand_in`` (its own cell hidden,
    its teams shown: :meth:`Job.employee_units`) is measured over its teams together, as
    on every other page; each team's figure must then be shown."""
    wave = job.latest
    minimum = job.settings.min_scores
    latest = frame[frame["wave"] == wave]
    shown: dict[tuple[int, Against, int], dict[str, Difference]] = {}
    hidden: dict[tuple[int, Against, int], dict[str, Hidden]] = {}
    for figure in figures:
        moments = _moments(latest, job.data.units, figure)
        pairs = [c for c in comparisons if c[2] in moments.index and c[0] in moments.index]
        if not pairs:
            continue
        mu = pd.DataFrame(
            [
                _combined(moments, stand_in[u]) if u in stand_in else moments.loc[u]
                for u, _a, _g in pairs
            ]
        )
        mg = moments.loc[[g for _u, _a, g in pairs]]
        res = unit_differences_from_moments(
            mu["n"].to_numpy(), mu["mean"].to_numpy(), mu["var"].to_numpy(),
            mg["n"].to_numpy(), mg["mean"].to_numpy(), mg["var"].to_numpy(), LEVEL,
        )  # fmt: skip
        for i, pair in enumerate(pairs):
            unit, _against, group = pair
            if res.n_rest[i] <= 0:
                continue  # the unit is the whole group: nothing to compare with
            measured = stand_in.get(unit, (unit,))
            whys = [_why_hidden(table, u, wave, figure) for u in (*measured, group)]
            why = next((w for w in whys if w is not None), None)
            if why is None and res.n_rest[i] < minimum:
                why = Hidden(code="complementary", minimum=minimum)
            if why is not None:
                hidden.setdefault(pair, {})[figure] = _held_to(why, minimum)
                continue
            shown.setdefault(pair, {})[figure] = Difference(
                difference=float(res.difference[i]),
                ci_low=float(res.ci_low[i]),
                ci_high=float(res.ci_high[i]),
                p=float(res.p[i]),
                d=float(res.d[i]),
            )
    return [
        UnitComparison(
            unit=unit,
            audience=audience,
            against=against,
            against_unit=group,
            figures=shown.get((unit, against, group), {}),
            hidden_figures=hidden.get((unit, against, group), {}),
            employee_units=list(stand_in.get(unit, ())),
        )
        for unit, against, group in comparisons
        if (unit, against, group) in shown or (unit, against, group) in hidden
    ]


def _held_to(hidden: Hidden, minimum: int) -> Hidden:
    """A hidden reason with the minimum it was held to (cells absent from a table: none)."""
    if hidden.minimum:
        return hidden
    return Hidden(code=hidden.code, minimum=minimum, kind=hidden.kind, place=hidden.place)


def differences(job: Job) -> None:
    """Every unit against its region and the organisation (latest wave)."""
    employee = job.out.get("employee")
    if not isinstance(employee, UnitTable) or job.staff.empty:
        raise NotAvailable(
            "no employee survey responses yet", "nog geen antwoorden op een medewerkersenquête"
        )
    comparisons = _comparisons(job)
    stand_in = {
        loc: units for loc, units in job.employee_units(job.latest).items() if units != (loc,)
    }
    rows = _audience_rows(job, "employee", job.staff, employee, job.scales, comparisons, stand_in)
    customer = job.out.get("customer")
    if isinstance(customer, UnitTable) and GRADE_ITEM in job.cust:
        rows += _audience_rows(job, "customer", job.cust, customer, [GRADE_ITEM], comparisons, {})
    rows.sort(key=lambda r: (r.unit, r.audience, r.against != "organisation"))
    job.out["differences"] = UnitDifferences(wave=job.latest, level=LEVEL, comparisons=rows)
