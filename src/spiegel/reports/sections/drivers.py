"""Key drivers of engagement and of the customer grade, with the priority matrix."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.builder import ReportBuilder, Section, chart, fmt
from spiegel.reports.text import t


def drivers(b: ReportBuilder) -> Section:
    s = Section("drivers", t("drivers", b.lang), missing=b.missing("drivers"))
    d = b.r.drivers
    if d is None:
        return s
    for key, rows, r2 in (
        ("engagement", d.engagement, d.engagement_r2),
        ("grade", d.grade, d.grade_r2),
    ):
        if not rows:
            continue
        frame = pd.DataFrame([r.model_dump() for r in rows])
        frame["label"] = [
            b.scale_title(r.predictor)
            if r.predictor in {x.name for x in b.r.scales}
            else b.item(r.predictor)
            for r in rows
        ]
        frame["quadrant"] = [b.labels(q) if q else None for q in frame["quadrant"]]
        frame = frame.sort_values("general_dominance", ascending=False)
        s.paragraphs.append(f"{t(key, b.lang)}: R² = {fmt(r2, 3)}")
        low = (
            "general_dominance_ci_low" if frame["general_dominance_ci_low"].notna().any() else None
        )
        s.charts.append(
            chart(
                charts.bars(
                    frame,
                    "label",
                    "general_dominance",
                    t("importance", b.lang),
                    low,
                    "general_dominance_ci_high" if low else None,
                )
            )
        )
        if frame["performance"].notna().any() and frame["quadrant"].notna().any():
            s.charts.append(
                chart(
                    charts.quadrants(
                        frame,
                        "label",
                        "general_dominance",
                        "performance",
                        "quadrant",
                        float(frame["general_dominance"].median()),
                        float(frame["performance"].median()),
                        t("importance", b.lang),
                        t("score", b.lang),
                    )
                )
            )
    return s
