"""Scores by unit: the heatmap of organisation, regions and locations (or a unit's
subtree), with the reasons for hidden cells."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.builder import ReportBuilder, Section, chart
from spiegel.reports.text import t

HEATMAP_ROWS = 40  # units per heatmap, so each fits a printed page
SHOWN_KINDS = ("organisation", "region", "location")


def heatmap(b: ReportBuilder) -> Section:
    s = Section("heatmap", t("heatmap", b.lang))
    r = b.r
    if r.employee is None or r.wave is None:
        s.missing = b.missing("scores", "unit_tables")
        return s
    kinds = {u.id: u.kind for u in r.units}
    cells = [
        c
        for c in r.employee.of_wave(r.wave).values()
        if kinds.get(c.unit) in SHOWN_KINDS and b.in_scope(c.unit)
    ]
    scales = [x.name for x in r.scales if x.max <= 5]
    strain = set(r.scale_groups.strain)
    rows = []
    for c in cells:
        for scale in scales:
            mean = c.value(scale)
            rows.append(
                {
                    "unit": c.unit,
                    "unit_name": b.name(c.unit),
                    "scale_title": b.scale_title(scale),
                    "label": None if mean is None else f"{mean:.1f}",
                    # Colour says good (green) or worrying (red): a high strain is worrying.
                    "colour": None if mean is None else (6 - mean if scale in strain else mean),
                }
            )
    long = pd.DataFrame(rows, columns=["unit", "unit_name", "scale_title", "label", "colour"])
    order = list(dict.fromkeys(long["unit"]))
    for start in range(0, len(order), HEATMAP_ROWS):
        chunk = long[long["unit"].isin(order[start : start + HEATMAP_ROWS])]
        spec = charts.heatmap(
            chunk,
            "unit_name",
            "scale_title",
            "colour",
            "label",
            (1, 5),
            t("unit", b.lang),
            t("scale", b.lang),
            t("too_few", b.lang),
        )
        s.charts.append(chart(spec))
    hidden = [c for c in cells if c.hidden is not None]
    if hidden:
        s.paragraphs.append(
            (
                "Grijze cellen zijn verborgen om de anonimiteit te beschermen: "
                if b.lang == "nl"
                else "Grey cells are hidden to protect anonymity: "
            )
            + "; ".join(
                f"{b.name(c.unit)} ({c.hidden.text(b.lang, with_place=True)})"
                for c in hidden
                if c.hidden is not None
            )
        )
    return s
