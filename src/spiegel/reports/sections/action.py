"""Where to act: locations at risk, and what customer grade is realistically reachable."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts, comparison_charts
from spiegel.reports.builder import ReportBuilder, Section, chart, table
from spiegel.reports.text import t
from spiegel.wording import NOT_SET, Estimate, ambition_notes, as_lang, risk_outcome


def risk(b: ReportBuilder) -> Section:
    s = Section("risk", t("risk", b.lang), missing=b.missing("risk"))
    found = b.r.risk
    if found is None:
        return s
    units = [u for u in found.units if u.risk_level in ("high", "watch") and b.in_scope(u.unit)]
    s.tables.append(
        table(
            [
                t("unit", b.lang),
                t("risk_level", b.lang),
                b.scale_title("emotional_dissonance"),
                b.scale_title("exhaustion"),
                b.scale_title("recovery"),
                t("absenteeism_pct", b.lang),
                t("turnover_pct", b.lang),
            ],
            [
                [
                    b.name(u.unit),
                    t(f"risk_{u.risk_level}", b.lang),
                    u.emotional_dissonance,
                    u.exhaustion,
                    u.recovery,
                    u.absenteeism,
                    u.turnover,
                ]
                for u in units
            ],
        )
    )
    link = found.absenteeism_link
    if link is not None:
        est = Estimate(link.difference, link.ci_low, link.ci_high)
        said = risk_outcome(est, link.mean_flagged, link.mean_other, b.lang)
        if said.text:
            s.paragraphs.append(said.text)
        spec = comparison_charts.absenteeism_comparison(link, b.lang)
        if spec is not None:
            s.charts.append(chart(spec))
    return s


def ambition(b: ReportBuilder) -> Section:
    s = Section("ambition", t("ambition", b.lang), missing=b.missing("ambition"))
    rows = [a for a in b.r.ambition if b.in_scope(a.location)]
    link = b.r.linkage.unit if b.r.linkage is not None else None
    est = Estimate(link.pearson_r, link.pearson_ci_low, link.pearson_ci_high) if link else None
    s.paragraphs.extend(ambition_notes(rows, est, b.lang, show_link=b.unit is None))
    if rows:
        frame = pd.DataFrame([a.model_dump() for a in rows])
        frame["label"] = frame["location"].map(b.name)
        top = frame.sort_values("reachable", ascending=False).head(25)
        s.charts.append(
            chart(
                charts.dumbbell(
                    top,
                    "label",
                    "current",
                    "reachable",
                    t("current", b.lang),
                    t("reachable", b.lang),
                    t("grade", b.lang),
                )
            )
        )
        s.tables.append(
            table(
                [
                    t("unit", b.lang),
                    t("current", b.lang),
                    t("reachable", b.lang),
                    t("target", b.lang),
                ],
                [
                    [
                        b.name(a.location),
                        a.current,
                        a.reachable,
                        NOT_SET[as_lang(b.lang)] if a.target is None else a.target,
                    ]
                    for a in rows
                ],
            )
        )
    return s
