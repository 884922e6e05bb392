"""Render the report to self-contained HTML (offline) and to PDF (WeasyPrint)."""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from weasyprint import HTML

from spiegel.reports.builder import ReportBuilder
from spiegel.reports.sections import write_sections
from spiegel.reports.text import t
from spiegel.results import Results


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("spiegel.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(results: Results, lang: str = "nl", unit: int | None = None) -> str:
    """The report as one HTML document: charts inlined as SVG, no external resources."""
    builder = ReportBuilder(results, lang=lang, unit=unit)
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            title=t("unit_title" if unit is not None else "title", lang),
            organisation=results.organisation.name,
            unit_name=builder.name(unit) if unit is not None else None,
            wave=results.wave,
            wave_label=t("wave", lang),
            generated=results.generated_at[:10],
            generated_label=t("generated", lang),
            sections=write_sections(builder),
        )
    )


def render_pdf(html: str, path: Path) -> Path:
    """Write the PDF of an HTML report to ``path``."""
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    HTML(string=html, base_url=None).write_pdf(path)
    return path
