"""What customers say: the mirror (their view against employees' expectation) and the
moments of truth."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.builder import ReportBuilder, Section, chart, fmt, table
from spiegel.reports.text import t
from spiegel.wording import mirror_summary, verdict_of, verdict_text

FLAGGED = ("blind spot", "hidden strength")


def mirror(b: ReportBuilder) -> Section:
    s = Section("mirror", t("mirror", b.lang), missing=b.missing("mirror"))
    m = b.r.mirror
    if m is None:
        return s
    if m.overall:
        verdicts = [(b.item(g.aspect), verdict_of(g)) for g in m.overall]
        s.paragraphs.append(mirror_summary(verdicts, b.lang))
        overall = pd.DataFrame([g.model_dump() for g in m.overall])
        overall["label"] = overall["aspect"].map(b.item)
        s.charts.append(
            chart(
                charts.dumbbell(
                    overall,
                    "label",
                    "mean_customer",
                    "mean_employee",
                    t("customers", b.lang),
                    t("employees", b.lang),
                    t("score", b.lang),
                    domain=(1, 10),  # mirror pairs are grades (1–10)
                    gap_low="ci_low",
                    gap_high="ci_high",
                )
            )
        )
        s.paragraphs.append(
            "De streep om de oranje stip is het 95%-betrouwbaarheidsinterval van het verschil: "
            "raakt hij de blauwe stip, dan is er geen duidelijk verschil."
            if b.lang == "nl"
            else "The whisker around the orange dot is the 95% confidence interval of the gap: "
            "where it reaches the blue dot, there is no clear difference."
        )
        s.tables.append(
            table(
                [
                    t("aspect", b.lang),
                    t("col_customers", b.lang),
                    t("col_employees", b.lang),
                    t("gap", b.lang),
                    t("ci95", b.lang),
                    "d",
                    t("verdict", b.lang),
                ],
                [
                    [
                        b.item(g.aspect),
                        g.mean_customer,
                        g.mean_employee,
                        g.gap,
                        f"{fmt(g.ci_low)} – {fmt(g.ci_high)}",
                        g.d,
                        verdict_text(verdict_of(g), b.lang),
                    ]
                    for g in m.overall
                ],
            )
        )
    if m.units:
        if b.unit is not None:
            flagged = [g for g in m.units if g.unit is not None and b.in_scope(g.unit)]
        else:
            flagged = [g for g in m.units if verdict_of(g) in FLAGGED]
        s.tables.append(
            table(
                [
                    t("unit", b.lang),
                    t("aspect", b.lang),
                    t("col_customers", b.lang),
                    t("col_employees", b.lang),
                    t("gap", b.lang),
                    t("verdict", b.lang),
                ],
                [
                    [
                        b.name(g.unit) if g.unit is not None else "",
                        b.item(g.aspect),
                        g.mean_customer,
                        g.mean_employee,
                        g.gap,
                        verdict_text(verdict_of(g), b.lang),
                    ]
                    for g in flagged[:40]
                ],
                caption="Blinde vlekken en verborgen sterktes per locatie"
                if b.lang == "nl"
                else "Blind spots and hidden strengths by location",
            )
        )
    return s


def moments(b: ReportBuilder) -> Section:
    s = Section("mot", t("mot", b.lang), missing=b.missing("customer"))
    if b.r.moments_of_truth:
        mot = pd.DataFrame([m.model_dump() for m in b.r.moments_of_truth])
        mot["label"] = mot["aspect"].map(b.item)
        s.charts.append(
            chart(charts.bars(mot, "label", "mean", t("grade", b.lang), "ci_low", "ci_high"))
        )
    return s
