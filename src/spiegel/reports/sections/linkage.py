"""The link between employees and customers: across locations, by role group, over time
and with customers nested in locations."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.builder import ReportBuilder, Section, chart, fmt, table
from spiegel.reports.text import t
from spiegel.results.labels import p_value
from spiegel.wording import Estimate, correlation, multilevel, role_group, slope


def linkage(b: ReportBuilder) -> Section:
    s = Section("linkage", t("linkage", b.lang), missing=b.missing("linkage"))
    link = b.r.linkage
    if link is None:
        return s
    if link.points:
        points = pd.DataFrame([p.model_dump() for p in link.points])
        fit = pd.DataFrame([f.model_dump() for f in link.fit])
        spec = charts.scatter_with_fit(
            points,
            "engagement",
            "grade",
            "name",
            fit,
            t("engagement", b.lang),
            t("grade", b.lang),
            size="n_customers",
        )
        s.charts.append(chart(spec))
    u = link.unit
    said = [
        correlation(Estimate(u.pearson_r, u.pearson_ci_low, u.pearson_ci_high), u.n_units, b.lang),
        slope(Estimate(u.slope, u.boot_ci_low, u.boot_ci_high), b.lang),
    ]
    s.paragraphs.append(" ".join(x.text for x in said if x.text))
    s.paragraphs.append(f"Spearman ρ = {fmt(u.spearman_rho)}, n = {u.n_units}.")
    roles = [c for c in (link.role_groups.coefficients if link.role_groups else [])]
    roles = [c for c in roles if c.role.startswith("eng_")]
    if roles:
        frame = pd.DataFrame([c.model_dump() for c in roles])
        frame["label"] = [b.labels.role(r) for r in frame["role"]]
        s.charts.append(
            chart(
                charts.forest(
                    frame, "label", "estimate", "ci_low", "ci_high", t("coefficient", b.lang)
                )
            )
        )
        s.paragraphs.append(
            "Per rolgroep, samen in één regressie (klantcijfer in de volgende meting op "
            "bevlogenheid nu, gecorrigeerd voor het huidige cijfer):"
            if b.lang == "nl"
            else "By role group, together in one regression (the grade in the next wave on "
            "engagement now, controlling for the current grade):"
        )
        s.paragraphs.extend(
            role_group(
                b.labels.role(c.role), Estimate(c.estimate, c.ci_low, c.ci_high), b.lang
            ).text
            for c in roles
        )
    _corrected(b, s)
    _over_time(b, s)
    return s


def _over_time(b: ReportBuilder, s: Section) -> None:
    lagged = b.r.lagged
    if lagged is not None:
        rows = [c for c in [*lagged.coefficients, *lagged.unadjusted] if c.term != "intercept"]
        s.tables.append(
            table(
                ["t → t+1", t("model", b.lang), "b", "se", "p", t("ci95", b.lang)],
                [
                    [
                        b.labels(c.term),
                        lagged.estimands.get(c.estimand or "", c.estimand),
                        c.estimate,
                        c.se,
                        p_value(c.p, prefix=False),
                        f"{fmt(c.ci_low)} – {fmt(c.ci_high)}",
                    ]
                    for c in rows
                ],
                caption=f"Lagged regression, n = {lagged.n_pairs} ({lagged.se_type} SE)",
            )
        )
    clpm = b.r.cross_lagged
    if clpm is not None:
        est = [e for e in clpm.estimates if e.kind == "cross-lagged"]
        s.tables.append(
            table(
                [t("path", b.lang), t("waves", b.lang), "b", "se", t("ci95", b.lang), "p", "β"],
                [
                    [
                        f"{b.labels(e.rhs)} → {b.labels(e.lhs)}",
                        f"{e.wave_from} → {e.wave_to}",
                        e.estimate,
                        e.se,
                        f"{fmt(e.ci_low)} – {fmt(e.ci_high)}",
                        p_value(e.p, prefix=False),
                        e.std,
                    ]
                    for e in est
                ],
                caption=f"{clpm.model}: χ²({clpm.df}) = {fmt(clpm.chi2, 1)}, CFI = {fmt(clpm.cfi, 3)}, RMSEA = {fmt(clpm.rmsea, 3)}, n = {clpm.n_units}",
            )
        )
    ml = b.r.multilevel
    if ml is not None:
        fe = [f for f in ml.fixed_effects if f.term != "Intercept"]
        if fe:
            f0 = fe[0]
            fixed = Estimate(f0.estimate, f0.ci_low, f0.ci_high)
            said = multilevel(fixed, ml.n_customers, ml.n_units, b.lang).text
            s.paragraphs.append(f"{said} ICC = {fmt(ml.icc)}.")


def _corrected(b: ReportBuilder, s: Section) -> None:
    found = b.r.linkage.role_groups_corrected if b.r.linkage else None
    if found is None or not found.coefficients:
        return
    s.tables.append(
        table(
            [
                t("role_group", b.lang),
                t("reliability_short", b.lang),
                t("b_corrected", b.lang),
                t("ci95", b.lang),
                t("b_uncorrected", b.lang),
            ],
            [
                [
                    b.labels.role(c.term),
                    c.reliability,
                    c.estimate,
                    "–" if c.ci_low is None else f"{fmt(c.ci_low)} – {fmt(c.ci_high)}",
                    c.naive_estimate,
                ]
                for c in found.coefficients
            ],
            caption=(
                "Per rolgroep, gecorrigeerd voor de betrouwbaarheid van kleine groepen "
                "(regressiekalibratie); zonder interval als de bootstrap geen betrouwbare "
                "grenzen geeft."
                if b.lang == "nl"
                else "By role group, corrected for the reliability of small groups "
                "(regression calibration); no interval where the bootstrap gives no reliable "
                "bounds."
            ),
        )
    )
