"""A unit against its region and the organisation, ready for a page: both means, the
difference with its interval, a verdict and a sentence that follow the interval, or the
reason a difference is hidden.

Rows come from the stored :class:`~spiegel.results.UnitDifferences` (computed by the
analysis, hidden where the privacy gate says so); nothing is re-derived here. Viewers
with a unit scope see "your region", never the name of a unit outside their scope, and
hidden reasons without the place they name (pages show a reason with ``m.hidden``).
"""

from __future__ import annotations

from spiegel.results import Against, Audience, Hidden, UnitDifference
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.views import View
from spiegel.wording import Estimate, as_lang, difference, difference_label

GRADE = "overall_grade"

AGAINST_WORDS: dict[str, dict[str, str]] = {
    "en": {"organisation": "the organisation", "your_region": "your region"},
    "nl": {"organisation": "de organisatie", "your_region": "uw regio"},
}
GRADE_TITLE = {"en": "Customer grade", "nl": "Klantcijfer"}


class ComparisonRow(View):
    """One figure of a unit against its region or the organisation."""

    figure: str
    title: str
    audience: Audience
    against: Against
    #: "the organisation", the region's name (organisation viewers) or "your region"
    against_name: str
    mean: float | None = None
    mean_against: float | None = None
    difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    #: higher / lower / no clear difference, in the page's language
    label: str | None = None
    sentence: str | None = None
    #: the location's teams together, when they stand for it (its own figure is hidden)
    employee_units: list[int] = []
    #: why the difference is not shown (no numbers then; the template's ``m.hidden``
    #: says it in words); the place it names only for organisation viewers
    hidden: Hidden | None = None


def _against_name(data: DashboardData, scope: Scope, diff: UnitDifference, lang: str) -> str:
    words = AGAINST_WORDS[as_lang(lang)]
    if diff.against == "organisation":
        return words["organisation"]
    region = data.units.get(diff.against_unit)
    if scope.organisation and region is not None:
        return region.name
    return words["your_region"]


def unit_comparison(
    data: DashboardData, scope: Scope, unit_id: int, lang: str
) -> list[ComparisonRow]:
    """Every figure of ``unit_id`` against its region and the organisation (employee
    scales in page order, then the customer grade), organisation first. The caller has
    checked that the viewer may see ``unit_id``."""
    found = data.results.differences
    if found is None:
        return []
    wanted: list[tuple[Audience, str, str]] = [
        ("employee", s, data.scale_title(s, lang)) for s in data.scales
    ]
    wanted.append(("customer", GRADE, GRADE_TITLE[as_lang(lang)]))
    rows: list[ComparisonRow] = []
    for against in ("organisation", "region"):
        for audience, figure, title in wanted:
            diff = found.get(unit_id, figure, against, audience)
            if diff is None:
                continue
            name = _against_name(data, scope, diff, lang)
            base = dict(
                figure=figure, title=title, audience=audience, against=against, against_name=name
            )
            if diff.hidden is not None:
                why = diff.hidden
                if not scope.organisation:
                    why = Hidden(code=why.code, minimum=why.minimum, kind=why.kind)
                rows.append(ComparisonRow(**base, hidden=why))  # type: ignore[arg-type]
                continue
            cells = data.scores if audience == "employee" else data.customer
            mine = cells.get(found.wave, {}).get(unit_id)
            theirs = cells.get(found.wave, {}).get(diff.against_unit)
            est = Estimate(diff.difference, diff.ci_low, diff.ci_high, found.level)
            against_mean = theirs.value(figure) if theirs is not None else None
            if diff.employee_units:  # its teams together stand for the unit
                own = None if against_mean is None else against_mean + (diff.difference or 0.0)
            else:
                own = mine.value(figure) if mine is not None else None
            rows.append(
                ComparisonRow(
                    **base,  # type: ignore[arg-type]
                    mean=own,
                    mean_against=against_mean,
                    employee_units=diff.employee_units,
                    difference=diff.difference,
                    ci_low=diff.ci_low,
                    ci_high=diff.ci_high,
                    label=difference_label(est, lang),
                    sentence=difference(title, est, name, lang).text,
                )
            )
    return rows
