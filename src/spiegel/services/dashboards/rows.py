"""Rows the unit page shares with the mirror, risk and ambition pages."""

from __future__ import annotations

from collections.abc import Iterable

from spiegel.services.dashboards.data import DashboardData
from spiegel.services.dashboards.views import UnitRef, View, unit_ref
from spiegel.wording import verdict_of


class MirrorRow(View):
    unit: UnitRef
    aspect: str
    title: str
    mean_customer: float | None
    mean_employee: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    label: str


class RiskRow(View):
    unit: UnitRef
    emotional_dissonance: float | None
    exhaustion: float | None
    recovery: float | None
    dissonance_high: bool | None
    exhaustion_high: bool | None
    recovery_low: bool | None
    risk_level: str
    absenteeism: float | None
    turnover: float | None


class AmbitionRow(View):
    # The stored free-text reason names the region (a unit the viewer may not see): left out.
    unit: UnitRef
    engagement: float | None
    engagement_target: float | None
    current: float | None
    model_prediction: float | None
    peer_benchmark: float | None
    reachable: float | None
    target: float | None
    shortfall: float | None
    flag: str


def mirror_rows(
    data: DashboardData, units: Iterable[int], lang: str, seen: frozenset[int]
) -> list[MirrorRow]:
    return [
        MirrorRow(
            unit=unit_ref(data, u, seen),
            aspect=g.aspect,
            title=data.item_title(g.aspect, lang),
            mean_customer=g.mean_customer,
            mean_employee=g.mean_employee,
            gap=g.gap,
            ci_low=g.ci_low,
            ci_high=g.ci_high,
            label=verdict_of(g),
        )
        for u in units
        for g in data.mirror_units.get(u, [])
    ]


def risk_rows(data: DashboardData, units: Iterable[int], seen: frozenset[int]) -> list[RiskRow]:
    out = []
    for u in units:
        r = data.risk_units.get(u)
        if r is not None:
            out.append(
                RiskRow(
                    unit=unit_ref(data, u, seen),
                    emotional_dissonance=r.emotional_dissonance,
                    exhaustion=r.exhaustion,
                    recovery=r.recovery,
                    dissonance_high=r.dissonance_high,
                    exhaustion_high=r.exhaustion_high,
                    recovery_low=r.recovery_low,
                    risk_level=r.risk_level,
                    absenteeism=r.absenteeism,
                    turnover=r.turnover,
                )
            )
    return out


def ambition_rows(
    data: DashboardData, units: Iterable[int], seen: frozenset[int]
) -> list[AmbitionRow]:
    out = []
    for u in units:
        a = data.ambition.get(u)
        if a is not None:
            out.append(
                AmbitionRow(
                    unit=unit_ref(data, u, seen),
                    engagement=a.engagement,
                    engagement_target=a.engagement_target,
                    current=a.current,
                    model_prediction=a.model_prediction,
                    peer_benchmark=a.peer_benchmark,
                    reachable=a.reachable,
                    target=a.target,
                    shortfall=a.shortfall,
                    flag=a.flag,
                )
            )
    return out
