"""The organisation report (and a unit's report) from the typed, protected results.

The renderer receives the results of ``spiegel analyze``: unit figures are the privacy
gate's visible cells and figures only. Each report section is a function of its own in
:mod:`spiegel.reports.sections`; this module holds what they share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from spiegel.reports import charts
from spiegel.reports.text import t
from spiegel.results import Results
from spiegel.results.chart_labels import titled
from spiegel.results.labels import Labels

#: The titles of the report being written: its charts name their fields in its language.
CHART_LABELS: ContextVar[Labels | None] = ContextVar("chart_labels", default=None)


@dataclass
class Chart:
    """A chart as Vega-Lite spec (for the web) and as SVG (for HTML and PDF)."""

    spec: dict[str, object]
    svg: str


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[dict[str, object]] = field(default_factory=list)
    missing: str | None = None


def fmt(value: object, digits: int = 2) -> str:
    """A number for a person: fixed digits, ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def chart(spec: dict[str, object]) -> Chart:
    """A chart of the report being written, its fields titled in its language."""
    labels = CHART_LABELS.get()
    if labels is not None:
        spec = titled(spec, labels)
    return Chart(spec=spec, svg=charts.to_svg(spec))


def table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], caption: str = ""
) -> dict[str, object]:
    return {
        "columns": list(columns),
        "rows": [[fmt(v) for v in r] for r in rows],
        "caption": caption,
    }


class ReportBuilder:
    """Builds the report sections in one language, for the organisation or one unit."""

    def __init__(self, results: Results, lang: str = "nl", unit: int | None = None) -> None:
        if lang not in ("nl", "en"):
            raise ValueError(f"language must be nl or en, not {lang!r}")
        self.r = results
        self.lang = lang
        self.unit = unit
        self.labels = Labels(results, lang)
        self.children: dict[int, list[int]] = {}
        for u in results.units:
            if u.parent_id is not None:
                self.children.setdefault(u.parent_id, []).append(u.id)

    def name(self, unit_id: int) -> str:
        u = self.r.unit(unit_id)
        return u.name if u is not None else str(unit_id)

    def item(self, item_id: str) -> str:
        """The title of an item (moment of truth, aspect, grade)."""
        return self.labels.item(item_id)

    def scale_title(self, name: str) -> str:
        return self.labels.scale(name)

    def subtree(self, unit: int) -> set[int]:
        out, stack = set(), [unit]
        while stack:
            u = stack.pop()
            out.add(u)
            stack.extend(self.children.get(u, []))
        return out

    def in_scope(self, unit: int) -> bool:
        """True when the report covers ``unit`` (a unit report covers its subtree)."""
        return self.unit is None or unit in self.subtree(self.unit)

    def missing(self, *steps: str) -> str | None:
        """ "Not available: reason" when one of ``steps`` did not run to the end."""
        for name in steps:
            step = self.r.step(name)
            if step is not None and step.status != "ok":
                reason = step.reason.get(self.lang) if step.reason else ""
                return f"{t('not_available', self.lang)}: {reason}"
        return None


SectionBuilder = Callable[[ReportBuilder], Section]
