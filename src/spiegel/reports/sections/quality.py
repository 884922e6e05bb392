"""Response and measurement quality: response rates, reliability, the factor model and
whether aggregation to locations is justified."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, fmt, table
from spiegel.reports.text import t
from spiegel.results.quality import Aggregation


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
    nl = b.lang == "nl"
    s.tables.append(
        table(
            [
                t("scale", b.lang),
                "ICC(1)",
                "ICC(2)",
                t("median_rwg", b.lang),
                t("justified", b.lang),
                "Waarom niet" if nl else "Why not",
            ],
            [
                [
                    b.scale_title(a.scale),
                    a.icc1,
                    a.icc2,
                    a.median_rwg,
                    t("yes", b.lang) if a.justified else t("no", b.lang),
                    "" if a.justified else _why_not(a, nl),
                ]
                for a in r.aggregation
            ],
            caption=(
                "Aggregatie naar locaties is verantwoord bij ICC(1) > .05, ICC(2) > .70 en mediane r(wg) > .70 (LeBreton & Senter, 2008). "
                "‘Nee’ zegt niet dat de schaal slecht meet: de gemiddelden van locaties liggen dan zo dicht bij elkaar, "
                "of rusten op zo weinig mensen, dat een verschil tussen twee locaties toeval kan zijn. "
                "Vergelijk locaties op zo'n schaal alleen met hun betrouwbaarheidsinterval."
                if nl
                else "Aggregating to locations is justified with ICC(1) > .05, ICC(2) > .70 and median r(wg) > .70 (LeBreton & Senter, 2008). "
                "‘No’ does not mean the scale measures badly: the locations' means are so close, or rest on so few people, "
                "that a difference between two locations may be chance. "
                "Compare locations on such a scale only with their confidence interval."
            ),
        )
    )
    return s


def _why_not(a: Aggregation, nl: bool) -> str:
    """Which aggregation criteria a scale misses (its own thresholds), in plain words."""
    reasons = []
    if a.icc1 is not None and a.icc1 <= a.icc1_min:
        reasons.append(
            "locaties verschillen weinig (ICC(1))" if nl else "locations differ little (ICC(1))"
        )
    if a.icc2 is not None and a.icc2 <= a.icc2_min:
        reasons.append(
            "gemiddelden per locatie onzeker (ICC(2))"
            if nl
            else "location means are uncertain (ICC(2))"
        )
    if a.median_rwg is not None and a.median_rwg <= a.rwg_min:
        reasons.append("collega's oneens (r(wg))" if nl else "colleagues disagree (r(wg))")
    return "; ".join(reasons) or ("onvoldoende gegevens" if nl else "not enough data")
