"""The units a viewer may see, and what the API says about the results."""

from __future__ import annotations

from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.views import RunRef, UnitRef, View, unit_ref


class UnitListRow(UnitRef):
    parent_id: int | None


class UnitList(View):
    units: list[UnitListRow]


class ResultsInfo(View):
    """The run the figures come from, its waves and the caller's scope."""

    run: RunRef
    wave: str
    waves: list[str]
    organisation_view: bool
    min_scores: int
    scales: list[str]


def unit_list(data: DashboardData, scope: Scope) -> UnitList:
    """The units the viewer may see, in tree order (``parent_id`` is ``None`` at the top of
    the viewer's scope)."""
    seen = data.visible_units(scope)
    rows = []
    for root in data.roots:
        for u in data.subtree(root):
            if u in seen:
                parent = data.units[u].parent_id
                ref = unit_ref(data, u, seen)
                rows.append(
                    UnitListRow(**ref.model_dump(), parent_id=parent if parent in seen else None)
                )
    return UnitList(units=rows)


def results_info(data: DashboardData, scope: Scope) -> ResultsInfo:
    return ResultsInfo(
        run=RunRef(id=data.run_id, generated_at=data.results.generated_at),
        wave=data.wave,
        waves=data.results.waves,
        organisation_view=scope.organisation,
        min_scores=data.results.privacy.min_scores,
        scales=data.scales,
    )
