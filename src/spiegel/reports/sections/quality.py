"""Response and measurement quality: response rates, reliability, the factor model and
whether aggregation to locations is justified."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, fmt, table
from spiegel.reports.text import t


def response(b: ReportBuilder) -> Section:
    s = Section("response", t("response", b.lang))
    r = b.r
    s.tables.append(
        table(
            [
                t("wave", b.lang),
                t("n_employees", b.lang),
                t("headcount", b.lang),
                t("response_pct", b.lang),
                t("n_customers", b.lang),
            ],
            [
                [
                    w.wave,
                    w.employees,
                    w.headcount,
                    100 * w.response_rate if w.response_rate is not None else None,
                    w.customers,
                ]
                for w in r.response
            ],
        )
    )
    s.tables.append(
        table(
            [t("scale", b.lang), t("items", b.lang), "n", "Cronbach α", "McDonald ω"],
            [[b.scale_title(x.scale), x.items, x.n, x.alpha, x.omega] for x in r.reliability],
        )
    )
    cfa = r.cfa
    if cfa is not None:
        s.paragraphs.append(
            f"CFA (vigor, dedication, absorption): χ²({cfa.df}) = {fmt(cfa.chi2, 1)}, CFI = {fmt(cfa.cfi, 3)}, "
            f"TLI = {fmt(cfa.tli, 3)}, RMSEA = {fmt(cfa.rmsea, 3)} [{fmt(cfa.rmsea_ci_low, 3)}, {fmt(cfa.rmsea_ci_high, 3)}], "
            f"SRMR = {fmt(cfa.srmr, 3)}, n = {cfa.n_used}."
        )
    s.tables.append(
        table(
            [
                t("scale", b.lang),
                "ICC(1)",
                "ICC(2)",
                t("median_rwg", b.lang),
                t("justified", b.lang),
            ],
            [
                [
                    b.scale_title(a.scale),
                    a.icc1,
                    a.icc2,
                    a.median_rwg,
                    t("yes", b.lang) if a.justified else t("no", b.lang),
                ]
                for a in r.aggregation
            ],
            caption=(
                "Aggregatie naar locaties is verantwoord bij ICC(1) > .05, ICC(2) > .70 en mediane r(wg) > .70 (LeBreton & Senter, 2008)."
                if b.lang == "nl"
                else "Aggregating to locations is justified with ICC(1) > .05, ICC(2) > .70 and median r(wg) > .70 (LeBreton & Senter, 2008)."
            ),
        )
    )
    return s
