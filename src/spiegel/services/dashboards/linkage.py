"""The linkage page: engagement against the customer grade across locations; the models
behind the link for organisation viewers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module
from spiegel.results import (
    CorrectedRoleGroupLinkage,
    CrossLagged,
    Lagged,
    Multilevel,
    RoleCoefficient,
    UnitLinkage,
)
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.views import ChartRef, Page, UnitRef, View, chart, header, unit_ref
from spiegel.wording import Estimate, correlation, lagged, multilevel, slope

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts, text
else:  # loaded by the first page built, not when the server starts
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    text = lazy_module("spiegel.reports.text")


class LinkagePoint(View):
    unit: UnitRef
    name: str
    engagement: float
    grade: float
    n_customers: int


class LinkagePage(Page):
    points: list[LinkagePoint] = []
    model: UnitLinkage | None = None
    role_groups: list[RoleCoefficient] = []
    role_groups_model: str | None = None
    role_groups_corrected: CorrectedRoleGroupLinkage | None = None
    lagged: Lagged | None = None
    cross_lagged: CrossLagged | None = None
    multilevel: Multilevel | None = None
    #: what the models show, in sentences that follow their intervals
    sentences: list[str] = []


def linkage(data: DashboardData, scope: Scope, lang: str) -> LinkagePage:
    """Engagement against the customer grade across locations; the models behind the link
    (fit, role groups, lagged and cross-lagged) for organisation viewers only."""
    return data.page(("linkage", lang, scope), lambda: _linkage(data, scope, lang))


def _linkage(data: DashboardData, scope: Scope, lang: str) -> LinkagePage:
    seen = data.visible_units(scope)
    link = data.results.linkage
    points = [
        LinkagePoint(
            unit=unit_ref(data, p.location, seen),
            name=data.units[p.location].name,
            engagement=p.engagement,
            grade=p.grade,
            n_customers=p.n_customers,
        )
        for p in (link.points if link else [])
        if p.location in seen
    ]
    page = LinkagePage(**header(data, scope, "linkage"), points=points)
    if scope.organisation and link is not None:
        r = data.results
        roles = link.role_groups.coefficients if link.role_groups else []
        clpm = r.cross_lagged
        if clpm is not None:
            paths = [e for e in clpm.estimates if e.kind == "cross-lagged"]
            clpm = CrossLagged(**{**clpm.model_dump(), "estimates": paths})
        page = LinkagePage(
            **header(data, scope, "linkage"),
            points=points,
            model=link.unit,
            # Role-group predictors only (not the intercept or the lagged grade).
            role_groups=[c for c in roles if c.role.startswith("eng_")],
            role_groups_model=link.role_groups_model,
            role_groups_corrected=link.role_groups_corrected,
            lagged=r.lagged,
            cross_lagged=clpm,
            multilevel=r.multilevel,
        )
    return LinkagePage(
        **{**dict(page), "charts": _charts(data, scope, lang, page), "sentences": _said(page, lang)}
    )


def _said(page: LinkagePage, lang: str) -> list[str]:
    """The link in words: its direction and size only as far as the intervals show."""
    m = page.model
    if m is None:
        return []
    out = [
        correlation(Estimate(m.pearson_r, m.pearson_ci_low, m.pearson_ci_high), m.n_units, lang),
        slope(Estimate(m.slope, m.boot_ci_low, m.boot_ci_high), lang),
    ]
    if page.lagged is not None:
        e = next((c for c in page.lagged.coefficients if c.term == "engagement"), None)
        if e is not None:
            out.append(lagged(Estimate(e.estimate, e.ci_low, e.ci_high), lang))
    ml = page.multilevel
    if ml is not None:
        f = next((f for f in ml.fixed_effects if f.term != "Intercept"), None)
        if f is not None:
            est = Estimate(f.estimate, f.ci_low, f.ci_high)
            out.append(multilevel(est, ml.n_customers, ml.n_units, lang))
    return [s.text for s in out if s.text]


def _charts(data: DashboardData, scope: Scope, lang: str, page: LinkagePage) -> list[ChartRef]:
    specs = []
    link = data.results.linkage
    if page.points:
        frame = pd.DataFrame([p.model_dump(exclude={"unit"}) for p in page.points])
        fit = None
        if scope.organisation and link is not None:
            fit = pd.DataFrame([f.model_dump() for f in link.fit])
        spec = charts.scatter_with_fit(
            frame,
            "engagement",
            "grade",
            "name",
            fit,
            text.t("engagement", lang),
            text.t("grade", lang),
            size="n_customers",
        )
        specs.append(chart("scatter", spec, "points"))
    if page.role_groups:
        table = pd.DataFrame([r.model_dump() for r in page.role_groups])
        table["label"] = [data.labels(lang).role(str(r)) for r in table["role"]]
        spec = charts.forest(
            table, "label", "estimate", "ci_low", "ci_high", text.t("coefficient", lang)
        )
        specs.append(chart("role_groups", spec, "role_groups"))
    return specs
