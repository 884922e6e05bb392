"""The overview page: a heatmap of units × scales for a wave, with counts and customers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from spiegel._lazy import lazy_module
from spiegel.results import ProtectionSummary, ResponseWave
from spiegel.services.dashboards.compare import Comparison, comparison
from spiegel.services.dashboards.data import (
    DashboardData,
    OutOfScope,
    Scope,
    UnitNotFound,
)
from spiegel.services.dashboards.listing import BadQuery, Listing, ListQuery, SortKey, listing
from spiegel.services.dashboards.views import (
    CellView,
    Page,
    ScaleRef,
    UnitRef,
    View,
    cell_view,
    chart,
    header,
    unit_ref,
)

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")

CUSTOMER_COLUMNS = ("overall_grade", "nps", "recommend")
#: The overview table shows one group of scales at a time, so that it fits a laptop screen.
COLUMN_GROUPS = ("engagement", "drivers", "strain")
HEATMAP_ROW_HEIGHT, HEATMAP_PADDING = 20, 20  # as in spiegel.reports.charts.heatmap


class OverviewRow(View):
    unit: UnitRef
    employees: CellView
    customers: CellView


class OverviewPage(Page):
    """Units × scales for one wave: ``parent`` and its children (default: the top of the
    viewer's scope); organisation viewers also get response and privacy summaries."""

    parent: UnitRef | None = None
    breadcrumbs: list[UnitRef] = []
    scales: list[ScaleRef] = []
    rows: list[OverviewRow] = []
    response: list[ResponseWave] | None = None
    privacy_summary: dict[str, ProtectionSummary] | None = None
    # What the page shows of ``rows`` (filtered, sorted, paged) and the scales of the
    # chosen column group; pages only, not the API.
    shown: list[OverviewRow] = Field([], exclude=True)
    listing: Listing | None = Field(None, exclude=True)
    columns: str = Field("engagement", exclude=True)
    column_scales: list[ScaleRef] = Field([], exclude=True)
    comparison: Comparison | None = Field(None, exclude=True)


def overview(
    data: DashboardData,
    scope: Scope,
    lang: str,
    wave: str | None = None,
    parent: int | None = None,
    query: ListQuery | None = None,
    columns: str | None = None,
) -> OverviewPage:
    """Heatmap of units × scales for ``wave``: ``parent`` and its children (default: the
    top of the viewer's scope), with respondent counts and the customer grade.

    With a ``query`` (the pages; the API gives none) the rows are also filtered, sorted
    and paged; a filter lists every unit in scope that passes it, at any depth."""
    wave = wave or data.wave
    if wave not in data.results.waves:
        raise ValueError(f"no wave {wave!r} in the results")
    if columns is not None and columns not in COLUMN_GROUPS:
        raise BadQuery("columns", "one of " + ", ".join(COLUMN_GROUPS))
    seen = data.visible_units(scope)
    if parent is not None:
        if parent not in data.units:
            raise UnitNotFound(parent)
        if parent not in seen:
            raise OutOfScope(parent)
    key = ("overview", wave, parent, lang, scope, query, columns)
    return data.page(
        key,
        lambda: _overview(data, scope, lang, wave, parent, seen, query, columns or "engagement"),
    )


def _tops(data: DashboardData, seen: frozenset[int]) -> list[int]:
    return [u for u in data.units if u in seen and data.units[u].parent_id not in seen]


def _row(data: DashboardData, wave: str, uid: int, seen: frozenset[int]) -> OverviewRow:
    cell = data.score_cell(wave, uid)
    employees = cell_view(cell, data.scales)
    if employees.visible:  # hidden cells carry nothing, not even an empty rate
        heads = data.results.headcount.get(uid)
        rate = employees.n / heads if heads and employees.n is not None else None
        employees = employees.model_copy(update={"response_rate": rate})
    customers = cell_view(data.customer_cell(wave, uid), CUSTOMER_COLUMNS)
    return OverviewRow(unit=unit_ref(data, uid, seen), employees=employees, customers=customers)


def _sorts(scales: list[str]) -> dict[str, SortKey[OverviewRow]]:
    def scale(name: str) -> SortKey[OverviewRow]:
        return lambda r: r.employees.values.get(name)

    return {
        "name": lambda r: r.unit.name,
        "employees": lambda r: r.employees.n,
        "response_rate": lambda r: r.employees.response_rate,
        **{s: scale(s) for s in scales},
        "customers": lambda r: r.customers.n,
        "grade": lambda r: r.customers.values.get("overall_grade"),
        "nps": lambda r: r.customers.values.get("nps"),
    }


def column_scales(data: DashboardData, group: str) -> list[str]:
    """The scales of one column group of the overview table."""
    groups = data.results.scale_groups
    wanted = {
        "engagement": ["engagement", *groups.engagement],
        "drivers": list(groups.drivers),
        "strain": list(groups.strain),
    }[group]
    return [s for s in wanted if s in data.scales]


def _overview(
    data: DashboardData,
    scope: Scope,
    lang: str,
    wave: str,
    parent: int | None,
    seen: frozenset[int],
    query: ListQuery | None,
    columns: str,
) -> OverviewPage:
    tops = _tops(data, seen)
    if parent is None:
        if len(tops) == 1:
            parent = tops[0]
            rows_ids = [parent, *[c for c in data.children.get(parent, []) if c in seen]]
        else:
            rows_ids = tops
    else:
        rows_ids = [parent, *[c for c in data.children.get(parent, []) if c in seen]]
    crumbs: list[UnitRef] = []
    if parent is not None:
        node = data.units[parent].parent_id
        while node is not None and node in seen:
            crumbs.insert(0, unit_ref(data, node, seen))
            node = data.units[node].parent_id
    rows = [_row(data, wave, uid, seen) for uid in rows_ids]
    shown, state = rows, None
    if query is not None:
        keep = {"wave": wave} if wave != data.wave else {}
        if columns != "engagement":
            keep["columns"] = columns
        if query.filtered:  # every unit in scope that passes, at any depth
            ordered = [u for root in data.roots for u in data.subtree(root) if u in seen]
            candidates = [_row(data, wave, uid, seen) for uid in ordered]
            pinned: list[OverviewRow] = []
        else:
            if parent is not None:
                keep["parent"] = str(parent)
            pinned = [r for r in rows if r.unit.id == parent]
            candidates = [r for r in rows if r.unit.id != parent]
        page_rows, state = listing(
            data,
            candidates,
            lambda r: r.unit.id,
            query,
            path="/dash",
            seen=seen,
            sorts=_sorts(data.scales),
            default=("name", False),
            keep=keep,
            options=[u for root in data.roots for u in data.subtree(root) if u in seen],
        )
        shown = pinned + page_rows
    means = [
        (r.unit.name, s, r.employees.values.get(s) if r.employees.visible else None)
        for r in shown
        for s in data.scales
    ]
    response = summary = None
    if scope.organisation:
        r = data.results
        response = r.response
        summary = {
            k: table.summary
            for k, table in (("employee", r.employee), ("customer", r.customer))
            if table
        }
    compared = None
    if query is not None and not scope.organisation and len(tops) == 1 and parent == tops[0]:
        compared = comparison(data, lang, tops[0], seen)
    specs = (
        [chart("heatmap", _heatmap(data, lang, means, wave), "rows")]
        if shown and data.scales
        else []
    )
    return OverviewPage(
        **header(data, scope, "overview", wave),
        parent=unit_ref(data, parent, seen) if parent is not None else None,
        breadcrumbs=crumbs,
        scales=[ScaleRef(name=s, title=data.scale_title(s, lang)) for s in data.scales],
        rows=rows,
        charts=specs,
        response=response,
        privacy_summary=summary,
        shown=shown,
        listing=state,
        columns=columns,
        column_scales=[
            ScaleRef(name=s, title=data.scale_title(s, lang)) for s in column_scales(data, columns)
        ],
        comparison=compared,
    )


LEGEND = {
    "nl": "Verschil met de organisatie (groen = beter, rood = slechter)",
    "en": "Difference from the organisation (green = better, red = worse)",
}


def _heatmap(
    data: DashboardData, lang: str, means: list[tuple[str, str, float | None]], wave: str
) -> dict[str, object]:
    """The heatmap spec of ``charts.heatmap`` for these cells.

    Altair takes ~0.25 s to build and validate a spec whatever its size, so the spec is
    built once per language and later pages get a copy with their own rows in its one
    inline dataset (the same records ``charts.heatmap`` writes: value, label, text).
    """
    hidden = "–"  # a dash fits a cell; the page's table and note say why (too few)
    records: list[dict[str, object]] = []
    names: list[str] = []
    # Colour: better (green) or worse (red) than the organisation, by each scale's
    # direction from the instrument (high workload is worse, never green).
    top = data.score_cell(wave, data.roots[0]) if data.roots else None
    meta = data.scale_meta
    for name, scale, mean in means:
        label = None if mean is None else f"{mean:.1f}"
        title = data.scale_title(scale, lang)
        reference = top.value(scale) if top is not None else None
        colour = charts.relative(mean, reference, meta[scale].higher_is_better)
        records.append(
            {
                "unit_name": name,
                "scale_title": title,
                "mean": colour,
                "label": label,
                "text": label if label is not None else hidden,
            }
        )
        if name not in names:
            names.append(name)
    template = data.template(("heatmap", lang))
    if template is not None:
        spec = dict(template)
        dataset = next(iter(template["datasets"]))  # type: ignore[call-overload]
        spec["datasets"] = {dataset: records}
        spec["height"] = HEATMAP_ROW_HEIGHT * len(names) + HEATMAP_PADDING
        return spec
    frame = pd.DataFrame(records, columns=["unit_name", "scale_title", "mean", "label"])
    frame["mean"] = pd.to_numeric(frame["mean"], errors="coerce")
    spec = charts.heatmap(
        frame,
        "unit_name",
        "scale_title",
        "mean",
        "label",
        (-0.5, 0.5),
        text.t("unit", lang),
        text.t("scale", lang),
        hidden,
        LEGEND[lang],
    )
    datasets = spec.get("datasets")
    if isinstance(datasets, dict) and len(datasets) == 1:
        data.set_template(("heatmap", lang), spec)
    return spec


def _range(data: DashboardData, scales: list[str]) -> tuple[float, float]:
    metas = [data.scale_meta[s] for s in scales]
    low = min((m.min for m in metas), default=1.0)
    high = max((m.max for m in metas), default=5.0)
    return low, high
