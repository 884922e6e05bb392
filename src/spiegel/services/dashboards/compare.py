"""A unit against its region and the whole organisation: the means side by side and,
where the results hold them, the differences with their 95% intervals.

The region and the organisation are large groups whose cells passed the privacy gate like
every other; a scoped viewer sees their figures but not their names or links (they lie
outside the scope). The differences and their intervals are computed by the analysis
(``Results.differences``: the unit against its region and against the organisation, a
Welch interval); results stored before they existed show the means alone and say so.
"""

from __future__ import annotations

from typing import Literal

from spiegel.results import Cell
from spiegel.services.dashboards.data import DashboardData
from spiegel.services.dashboards.listing import region_of
from spiegel.services.dashboards.views import View
from spiegel.wording import Estimate, difference

Verdict = Literal["higher", "lower", "unclear", "hidden", "none"]
CUSTOMER_FIGURES = ("overall_grade", "nps")
CUSTOMER_TITLES = {
    "overall_grade": {"nl": "Klantcijfer (1-10)", "en": "Customer grade (1-10)"},
    "nps": {"nl": "Net Promoter Score", "en": "Net Promoter Score"},
}
ORGANISATION = {"nl": "de organisatie", "en": "the organisation"}
YOUR_REGION = {"nl": "uw regio", "en": "your region"}


class Difference(View):
    """The unit's mean minus the wider group's, with its interval and what it says:
    ``higher``/``lower`` when the interval excludes 0, ``unclear`` when it spans 0,
    ``hidden`` when the privacy gate withheld it, ``none`` when the results hold no
    interval (the difference of the means is then shown without one). ``sentence`` says
    the same in words (:func:`spiegel.wording.difference`)."""

    difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    verdict: Verdict = "none"
    reason_code: str | None = None
    sentence: str | None = None


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
    #: the location's teams together, when they stand for it (its own figure is hidden
    #: to protect the few people attached to it directly); ``mean`` is then theirs
    employee_units: list[int] = []


class Comparison(View):
    """A unit against its region (when it lies in one) and the organisation.

    ``region_name`` is given only when the viewer may see the region; ``intervals`` says
    whether the results hold the differences' intervals."""

    unit_name: str
    region_name: str | None
    has_region: bool
    intervals: bool
    rows: list[CompareRow]


def _difference(
    data: DashboardData,
    unit: int,
    figure: str,
    against: Literal["region", "organisation"],
    audience: Literal["employee", "customer"],
    mine: float | None,
    theirs: float | None,
    words: tuple[str, str, str],
) -> tuple[Difference, list[int]]:
    """The stored difference (or, for results without them, the difference of the
    means), and the teams that stand for the unit in it."""
    found = data.results.differences
    stored = found.get(unit, figure, against, audience) if found is not None else None
    if stored is not None:
        if stored.hidden is not None:
            return Difference(verdict="hidden", reason_code=str(stored.hidden.code)), []
        title, against_name, lang = words
        est = Estimate(stored.difference, stored.ci_low, stored.ci_high, found.level)  # type: ignore[union-attr]
        said = difference(title, est, against_name, lang).text
        return (
            Difference(
                difference=stored.difference,
                ci_low=stored.ci_low,
                ci_high=stored.ci_high,
                verdict=verdict(stored.ci_low, stored.ci_high),
                sentence=said or None,
            ),
            list(stored.employee_units),
        )
    if found is not None or mine is None or theirs is None:
        # Results with intervals but none for this figure (the NPS): no difference
        # without its interval.
        return Difference(), []
    return Difference(difference=mine - theirs), []


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
    meta = data.scale_meta
    lg = "nl" if lang == "nl" else "en"
    region_words = (
        data.units[region].name if region is not None and region in seen else YOUR_REGION[lg]
    )
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
        kind: Literal["employee", "customer"] = "employee" if audience == "employee" else "customer"
        vs_region, teams = (
            _difference(
                data, unit, figure, "region", kind, mine, theirs_region,
                (title, region_words, lg),
            )
            if region is not None
            else (None, [])
        )  # fmt: skip
        vs_org, teams_org = _difference(
            data, unit, figure, "organisation", kind, mine, theirs_org,
            (title, ORGANISATION[lg], lg),
        )  # fmt: skip
        teams = teams or teams_org
        if mine is None and teams and theirs_org is not None and vs_org.difference is not None:
            mine = theirs_org + vs_org.difference  # its teams together, as the analysis measured
        rows.append(
            CompareRow(
                figure=figure,
                title=title,
                audience=kind,
                high_is_bad=audience == "employee"
                and figure in meta
                and not meta[figure].higher_is_better,
                mean=mine,
                mean_region=theirs_region,
                mean_organisation=theirs_org,
                vs_region=vs_region,
                vs_organisation=vs_org,
                employee_units=teams,
            )
        )
    return Comparison(
        unit_name=data.units[unit].name,
        region_name=data.units[region].name if region is not None and region in seen else None,
        has_region=region is not None,
        intervals=data.results.differences is not None,
        rows=rows,
    )
