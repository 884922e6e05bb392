"""A unit against its region and the whole organisation: the means side by side and,
where the results hold them, the differences with their 95% intervals.

The region and the organisation are large groups whose cells passed the privacy gate like
every other; a scoped viewer sees their figures but not their names or links (they lie
outside the scope). The differences and their intervals are computed by the analysis
(``Results.differences``: the unit against its region and against the organisation, a
Welch interval); results stored before they existed show the means alone and say so.
"""

from __future__ import annotations

from typing import Literal, Protocol

from spiegel.results import Cell
from spiegel.services.dashboards.data import DashboardData
from spiegel.services.dashboards.listing import region_of
from spiegel.services.dashboards.views import View

Verdict = Literal["higher", "lower", "unclear", "hidden", "none"]
CUSTOMER_FIGURES = ("overall_grade", "nps")
CUSTOMER_TITLES = {
    "overall_grade": {"nl": "Klantcijfer (1-10)", "en": "Customer grade (1-10)"},
    "nps": {"nl": "Net Promoter Score", "en": "Net Promoter Score"},
}


class Difference(View):
    """The unit's mean minus the wider group's, with its interval and what it says:
    ``higher``/``lower`` when the interval excludes 0, ``unclear`` when it spans 0,
    ``hidden`` when the privacy gate withheld it, ``none`` when the results hold no
    interval (the difference of the means is then shown without one)."""

    difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    verdict: Verdict = "none"
    reason_code: str | None = None


class CompareRow(View):
    figure: str
    title: str
    audience: Literal["employee", "customer"]
    high_is_bad: bool
    mean: float | None
    mean_region: float | None
    mean_organisation: float | None
    vs_region: Difference | None
    vs_organisation: Difference | None


class Comparison(View):
    """A unit against its region (when it lies in one) and the organisation.

    ``region_name`` is given only when the viewer may see the region; ``intervals`` says
    whether the results hold the differences' intervals."""

    unit_name: str
    region_name: str | None
    has_region: bool
    intervals: bool
    rows: list[CompareRow]


class _StoredDifference(Protocol):
    """What the pages read of a stored difference (``spiegel.results.UnitDifference``)."""

    difference: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def visible(self) -> bool: ...

    @property
    def hidden(self) -> object: ...


def _stored(data: DashboardData, unit: int, figure: str, against: str, audience: str) -> object:
    found = getattr(data.results, "differences", None)
    if found is None:
        return None
    return found.get(unit, figure, against, audience)


def _difference(
    data: DashboardData,
    unit: int,
    figure: str,
    against: str,
    audience: str,
    mine: float | None,
    theirs: float | None,
) -> Difference:
    stored = _stored(data, unit, figure, against, audience)
    if stored is not None:
        d: _StoredDifference = stored  # type: ignore[assignment]
        if not d.visible:
            code = getattr(d.hidden, "code", None)
            return Difference(verdict="hidden", reason_code=str(code) if code else None)
        return Difference(
            difference=d.difference,
            ci_low=d.ci_low,
            ci_high=d.ci_high,
            verdict=verdict(d.ci_low, d.ci_high),
        )
    if mine is None or theirs is None:
        return Difference()
    return Difference(difference=mine - theirs)


def verdict(low: float | None, high: float | None) -> Verdict:
    """What an interval says about a difference: clearly higher, clearly lower, or not
    clear (it spans 0)."""
    if low is None or high is None:
        return "none"
    if low > 0:
        return "higher"
    if high < 0:
        return "lower"
    return "unclear"


def _value(cell: Cell | None, figure: str) -> float | None:
    return cell.value(figure) if cell is not None and cell.visible else None


def comparison(
    data: DashboardData, lang: str, unit: int, seen: frozenset[int]
) -> Comparison | None:
    """``unit`` against its region and the organisation, latest wave (``None`` for the
    organisation itself)."""
    root = unit
    while data.units[root].parent_id in data.units:
        parent = data.units[root].parent_id
        assert parent is not None
        root = parent
    if root == unit:
        return None
    region = region_of(data, unit)
    if region == unit:
        region = None
    wave = data.wave
    strain = set(data.results.scale_groups.strain) | {"workload"}
    rows: list[CompareRow] = []
    figures = [(s, "employee") for s in data.scales] + [(f, "customer") for f in CUSTOMER_FIGURES]
    for figure, audience in figures:
        cell_of = data.score_cell if audience == "employee" else data.customer_cell
        mine = _value(cell_of(wave, unit), figure)
        theirs_region = _value(cell_of(wave, region), figure) if region is not None else None
        theirs_org = _value(cell_of(wave, root), figure)
        if mine is None and theirs_org is None:
            continue
        title = (
            data.scale_title(figure, lang)
            if audience == "employee"
            else CUSTOMER_TITLES[figure].get(lang, CUSTOMER_TITLES[figure]["en"])
        )
        rows.append(
            CompareRow(
                figure=figure,
                title=title,
                audience="employee" if audience == "employee" else "customer",
                high_is_bad=figure in strain,
                mean=mine,
                mean_region=theirs_region,
                mean_organisation=theirs_org,
                vs_region=_difference(data, unit, figure, "region", audience, mine, theirs_region)
                if region is not None
                else None,
                vs_organisation=_difference(
                    data, unit, figure, "organisation", audience, mine, theirs_org
                ),
            )
        )
    return Comparison(
        unit_name=data.units[unit].name,
        region_name=data.units[region].name if region is not None and region in seen else None,
        has_region=region is not None,
        intervals=getattr(data.results, "differences", None) is not None,
        rows=rows,
    )
