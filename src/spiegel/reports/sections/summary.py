"""The summary: the main figures in a few sentences."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, fmt
from spiegel.reports.text import t


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
    if r.linkage is not None:
        link = r.linkage.unit
        s.paragraphs.append(
            f"Op locaties waar medewerkers bevlogener zijn, geven klanten hogere cijfers: r = {fmt(link.pearson_r)} "
            f"(95%-BI {fmt(link.pearson_ci_low)} tot {fmt(link.pearson_ci_high)}) over {link.n_units} locaties. "
            f"Eén punt meer bevlogenheid gaat samen met {fmt(link.slope)} punt hoger klantcijfer."
            if nl
            else f"Where employees are more engaged, customers give higher grades: r = {fmt(link.pearson_r)} "
            f"(95% CI {fmt(link.pearson_ci_low)} to {fmt(link.pearson_ci_high)}) across {link.n_units} locations. "
            f"One point more engagement goes with a {fmt(link.slope)} point higher customer grade."
        )
    if r.lagged is not None:
        e = next((c for c in r.lagged.coefficients if c.term == "engagement"), None)
        if e is not None:
            s.paragraphs.append(
                f"Over de tijd: bevlogenheid in de ene meting voorspelt het klantcijfer in de volgende "
                f"(b = {fmt(e.estimate)}, 95%-BI {fmt(e.ci_low)} tot {fmt(e.ci_high)}), ook als het "
                "eerdere klantcijfer is meegenomen."
                if nl
                else f"Over time: engagement in one wave predicts the customer grade in the next "
                f"(b = {fmt(e.estimate)}, 95% CI {fmt(e.ci_low)} to {fmt(e.ci_high)}), "
                "controlling for the earlier grade."
            )
    if r.drivers is not None and r.drivers.engagement:
        top = sorted(r.drivers.engagement, key=lambda d: -(d.general_dominance or 0))[:3]
        names = ", ".join(b.scale_title(d.predictor) for d in top)
        s.paragraphs.append(
            f"De sterkste drijfveren van bevlogenheid: {names}."
            if nl
            else f"The strongest drivers of engagement: {names}."
        )
    if r.risk is not None and r.risk.units:
        high = [u for u in r.risk.units if u.risk_level == "high"]
        s.paragraphs.append(
            f"{len(high)} locatie(s) tonen een risicopatroon van hoge belasting en weinig herstel."
            if nl
            else f"{len(high)} location(s) show a risk pattern of high strain and little recovery."
        )
    return s
