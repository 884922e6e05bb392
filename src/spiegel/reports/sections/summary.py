"""The summary: the main figures in a few sentences."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, fmt
from spiegel.reports.text import t
from spiegel.wording import (
    Estimate,
    Ranked,
    correlation,
    difference,
    drivers,
    lagged,
    mirror_summary,
    risk_count,
    slope,
    verdict_of,
)

AGAINST = {
    "en": {"organisation": "the organisation", "region": "the region"},
    "nl": {"organisation": "de organisatie", "region": "de regio"},
}
GRADE = {"en": "Customer grade", "nl": "Klantcijfer"}


def _unit_against(b: ReportBuilder) -> list[str]:
    """A unit report: its engagement and customer grade against its region and the
    organisation, in sentences that follow their intervals (hidden: the reason)."""
    found = b.r.differences
    if b.unit is None or found is None:
        return []
    out = []
    for against in ("organisation", "region"):
        for audience, figure, title in (
            ("employee", "engagement", b.scale_title("engagement")),
            ("customer", "overall_grade", GRADE[b.lang]),
        ):
            diff = found.get(b.unit, figure, against, audience)  # type: ignore[arg-type]
            if diff is None:
                continue
            if diff.hidden is not None:
                out.append(f"{title}: {diff.hidden.text(b.lang)}.")
                continue
            est = Estimate(diff.difference, diff.ci_low, diff.ci_high, found.level)
            out.append(difference(title, est, AGAINST[b.lang][against], b.lang).text)
    return out


def summary(b: ReportBuilder) -> Section:
    nl = b.lang == "nl"
    s = Section("summary", t("summary", b.lang))
    r = b.r
    if r.response:
        last = r.response[-1]
        rate = last.response_rate
        employees = fmt(last.employees)
        customers = fmt(last.customers)
        s.paragraphs.append(
            (
                f"In meting {last.wave} vulden {employees} medewerkers de vragenlijst in"
                + (f" ({fmt(100 * rate, 0)}% respons)" if rate is not None else "")
                + f" en gaven {customers} klanten hun oordeel."
            )
            if nl
            else (
                f"In wave {last.wave}, {employees} employees answered the survey"
                + (f" ({fmt(100 * rate, 0)}% response)" if rate is not None else "")
                + f" and {customers} customers gave their view."
            )
        )
    if r.customer_overall:
        last_c = r.customer_overall[-1]
        grade, nps = last_c.grade, last_c.nps
        if grade is not None and nps is not None:
            s.paragraphs.append(
                f"Klanten geven gemiddeld een {fmt(grade.mean, 1)} (95%-BI {fmt(grade.ci_low, 1)}–{fmt(grade.ci_high, 1)}); "
                f"de Net Promoter Score is {fmt(nps.nps, 0)} ({fmt(nps.ci_low, 0)} tot {fmt(nps.ci_high, 0)})."
                if nl
                else f"Customers give an average grade of {fmt(grade.mean, 1)} (95% CI {fmt(grade.ci_low, 1)}–{fmt(grade.ci_high, 1)}); "
                f"the Net Promoter Score is {fmt(nps.nps, 0)} ({fmt(nps.ci_low, 0)} to {fmt(nps.ci_high, 0)})."
            )
    s.paragraphs.extend(_unit_against(b))
    if r.linkage is not None:
        link = r.linkage.unit
        said = [
            correlation(
                Estimate(link.pearson_r, link.pearson_ci_low, link.pearson_ci_high),
                link.n_units,
                b.lang,
            ),
            slope(Estimate(link.slope, link.boot_ci_low, link.boot_ci_high), b.lang),
        ]
        s.paragraphs.append(" ".join(x.text for x in said if x.text))
    if r.lagged is not None:
        e = next((c for c in r.lagged.coefficients if c.term == "engagement"), None)
        if e is not None:
            s.paragraphs.append(lagged(Estimate(e.estimate, e.ci_low, e.ci_high), b.lang).text)
    if r.drivers is not None and r.drivers.engagement:
        ranked = [
            Ranked(
                b.scale_title(d.predictor),
                Estimate(
                    d.general_dominance, d.general_dominance_ci_low, d.general_dominance_ci_high
                ),
            )
            for d in r.drivers.engagement
        ]
        s.paragraphs.append(drivers(ranked, "engagement", b.lang))
    if r.mirror is not None and r.mirror.overall:
        verdicts = [(b.item(g.aspect), verdict_of(g)) for g in r.mirror.overall]
        s.paragraphs.append(mirror_summary(verdicts, b.lang))
    if r.risk is not None and r.risk.units:
        high = [u for u in r.risk.units if u.risk_level == "high"]
        s.paragraphs.append(risk_count(len(high), b.lang))
    return s
