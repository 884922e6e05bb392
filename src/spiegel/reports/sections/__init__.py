"""The report's sections, in reading order; each a function of the builder."""

from __future__ import annotations

import logging

from spiegel.reports.builder import CHART_LABELS, ReportBuilder, Section, SectionBuilder
from spiegel.reports.sections.action import ambition, risk
from spiegel.reports.sections.closing import comments, privacy
from spiegel.reports.sections.customers import mirror, moments
from spiegel.reports.sections.drivers import drivers
from spiegel.reports.sections.heatmap import heatmap
from spiegel.reports.sections.linkage import linkage
from spiegel.reports.sections.quality import response
from spiegel.reports.sections.summary import summary
from spiegel.reports.text import t

log = logging.getLogger("spiegel.reports")

SECTIONS: list[tuple[str, SectionBuilder]] = [
    ("summary", summary),
    ("response", response),
    ("heatmap", heatmap),
    ("linkage", linkage),
    ("drivers", drivers),
    ("mirror", mirror),
    ("mot", moments),
    ("risk", risk),
    ("ambition", ambition),
    ("comments", comments),
    ("privacy", privacy),
]


def write_sections(builder: ReportBuilder) -> list[Section]:
    """Every section; one that cannot be written says so instead of stopping the report."""
    out = []
    token = CHART_LABELS.set(builder.labels)
    try:
        for key, build in SECTIONS:
            try:
                out.append(build(builder))
            except (KeyError, TypeError, ValueError, IndexError):
                log.exception("report section %s could not be written", key)
                missing = t("not_available", builder.lang)
                out.append(Section(key, t(key, builder.lang), missing=missing))
    finally:
        CHART_LABELS.reset(token)
    return out
