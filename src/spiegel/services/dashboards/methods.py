"""The methods page: the jargon of the results pages in plain words (NL and EN)."""

from __future__ import annotations

from spiegel.results.glossary import GLOSSARY
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.views import Page, View, header


class TermView(View):
    key: str
    name: str
    plain: str


class MethodsPage(Page):
    terms: list[TermView] = []


def methods(data: DashboardData, scope: Scope, lang: str) -> MethodsPage:
    """Every term of :data:`spiegel.results.glossary.GLOSSARY` in ``lang``."""
    return MethodsPage(
        **header(data, scope, "methods"),
        terms=[TermView(key=t.key, name=t.name_in(lang), plain=t.plain_in(lang)) for t in GLOSSARY],
    )
