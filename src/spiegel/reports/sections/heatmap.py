"""Scores by unit: the heatmap of organisation, regions and locations (or a unit's
subtree), with the reasons for hidden cells."""

from __future__ import annotations

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.builder import ReportBuilder, Section, chart
from spiegel.reports.text import t

HEATMAP_CELL = 30  # px per scale column in print
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
    infos = {x.name: x for x in r.scales if x.max <= 5}
    scales = list(infos)
    org = next((c for c in cells if kinds.get(c.unit) == "organisation"), None)
    rows = []
    for c in cells:
        if c.hidden is not None:
            continue  # named below the chart, not drawn as a row of empty cells
        for scale in scales:
            mean = c.value(scale)
            reference = org.value(scale) if org is not None else None
            rows.append(
                {
                    "unit": c.unit,
                    "unit_name": b.name(c.unit),
                    "scale_title": b.scale_title(scale),
                    "label": None if mean is None else f"{mean:.1f}",
                    # Colour: better (green) or worse (red) than the organisation, by the
                    # scale's direction: a high workload is worse, never green.
                    "colour": charts.relative(mean, reference, infos[scale].higher_is_better),
                }
            )
    long = pd.DataFrame(rows, columns=["unit", "unit_name", "scale_title", "label", "colour"])
    order = list(dict.fromkeys(long["unit"]))
    legend = (
        "Verschil met de organisatie (schaalpunten; groen = beter, rood = slechter)"
        if b.lang == "nl"
        else "Difference from the organisation (scale points; green = better, red = worse)"
    )
    for start in range(0, len(order), HEATMAP_ROWS):
        chunk = long[long["unit"].isin(order[start : start + HEATMAP_ROWS])]
        spec = charts.heatmap(
            chunk,
            "unit_name",
            "scale_title",
            "colour",
            "label",
            (-0.5, 0.5),
            t("unit", b.lang),
            t("scale", b.lang),
            "–",
            legend,
        )
        spec["width"] = HEATMAP_CELL * len(scales)  # fixed: printed at a legible size
        s.charts.append(chart(spec))
    s.paragraphs.append(
        "Elke cel toont het gemiddelde (1–5). De kleur vergelijkt met de organisatie en houdt "
        "rekening met de richting van de schaal: bij werkdruk, uitputting en emotionele "
        "dissonantie is hoger slechter en dus rood. Een streepje: te weinig antwoorden."
        if b.lang == "nl"
        else "Each cell shows the mean (1–5). The colour compares with the organisation and "
        "follows the scale's direction: for workload, exhaustion and emotional dissonance "
        "higher is worse, so red. A dash: too few answers."
    )
    hidden = [c for c in cells if c.hidden is not None]
    if hidden:
        s.paragraphs.append(
            (
                "Niet getoond om de anonimiteit te beschermen (te weinig respondenten, of "
                "anders uit andere cijfers af te leiden): "
                if b.lang == "nl"
                else "Not shown to protect anonymity (too few respondents, or otherwise "
                "derivable from other figures): "
            )
            + ", ".join(b.name(c.unit) for c in hidden)
            + "."
        )
    return s
