"""Open comments as pages show them: customers' beside employees' per unit, equal texts
once with how often they were given, and the themes in them.

Only stored, protected comment lists are read (groups of at least the comment minimum).
An organisation viewer sees the organisation's themes as analysed; anyone else sees the
same themes counted over the comments of their own units only, with examples from those.
"""

from __future__ import annotations

from spiegel.results import CommentList, CommentThemes
from spiegel.services.dashboards.data import DashboardData, Scope
from spiegel.services.dashboards.views import Page, UnitRef, View, header, unit_ref

AUDIENCES = ("customer", "employee")
#: comments listed per group before "show all"
SHOWN = 25
EXAMPLES = 3
#: a unit's own theme counts from this many comments (``spiegel.analysis.themes.MIN_TEXTS``)
MIN_TEXTS = 10


class CommentItem(View):
    text: str
    count: int


class ThemeView(View):
    label: str
    count: int
    #: share of the comments the themes were found in
    share: float
    examples: list[str] = []


class CommentGroup(View):
    """One audience's comments at one unit."""

    audience: str
    #: comments, equal ones counted as often as they were given
    n: int
    items: list[CommentItem]
    themes: list[ThemeView] = []


class CommentUnit(View):
    """A unit's comments: customers' beside employees'."""

    unit: UnitRef
    groups: list[CommentGroup]


class AudienceThemes(View):
    audience: str
    #: "organisation" (the analysed themes) or "scope" (counted over the viewer's units)
    over: str
    n: int
    other: int
    themes: list[ThemeView]


class CommentsPage(Page):
    min_comments: int
    themes: list[AudienceThemes] = []
    units: list[CommentUnit] = []


def _lists(data: DashboardData) -> dict[tuple[str, int], CommentList]:
    return {(c.audience, c.unit): c for c in data.results.comments}


def _organisation_themes(data: DashboardData, audience: str) -> CommentThemes | None:
    return next((t for t in data.results.comment_themes if t.audience == audience), None)


def _themes(found: CommentThemes | None, lists: list[CommentList]) -> list[ThemeView]:
    """The organisation's themes counted over ``lists``, with examples from them."""
    if found is None:
        return []
    k = len(found.themes)
    counts = [0] * k
    texts: list[list[tuple[int, str]]] = [[] for _ in range(k)]
    for c in lists:
        for j, n in enumerate(c.theme_counts(k)):
            counts[j] += n
        for i, j in enumerate(c.theme_of):
            if 0 <= j < k:
                texts[j].append((c.count(i), c.texts[i]))
    total = sum(c.n for c in lists)
    views = []
    for j, theme in enumerate(found.themes):
        if counts[j]:
            examples = [t for _, t in sorted(texts[j], key=lambda x: (-x[0], x[1]))]
            views.append(
                ThemeView(
                    label=theme.label,
                    count=counts[j],
                    share=counts[j] / total,
                    examples=list(dict.fromkeys(examples))[:EXAMPLES],
                )
            )
    views.sort(key=lambda v: (-v.count, v.label))
    return views


def _group(c: CommentList, found: CommentThemes | None, limit: int | None) -> CommentGroup:
    order = sorted(range(len(c.texts)), key=lambda i: -c.count(i))  # stable: keeps the shuffle
    items = [CommentItem(text=c.texts[i], count=c.count(i)) for i in order]
    return CommentGroup(
        audience=c.audience,
        n=c.n,
        items=items if limit is None else items[:limit],
        # a unit's own themes only where there are enough comments to speak of themes
        themes=_themes(found, [c]) if c.n >= MIN_TEXTS else [],
    )


def comment_units(
    data: DashboardData, units: list[int], seen: frozenset[int], limit: int | None = SHOWN
) -> list[CommentUnit]:
    """The comments of ``units`` (in that order) that have any, customers' first."""
    lists = _lists(data)
    found = {a: _organisation_themes(data, a) for a in AUDIENCES}
    out = []
    for u in units:
        groups = [_group(lists[(a, u)], found[a], limit) for a in AUDIENCES if (a, u) in lists]
        if groups:
            out.append(CommentUnit(unit=unit_ref(data, u, seen), groups=groups))
    return out


def comments(data: DashboardData, scope: Scope, lang: str) -> CommentsPage:
    """Themes in the open comments and the comments per unit in scope."""
    return data.page(("comments", lang, scope), lambda: _comments(data, scope))


def _comments(data: DashboardData, scope: Scope) -> CommentsPage:
    seen = data.visible_units(scope)
    lists = _lists(data)
    themes = []
    for audience in AUDIENCES:
        found = _organisation_themes(data, audience)
        if found is None:
            continue
        if scope.organisation:
            views = [
                ThemeView(
                    label=t.label,
                    count=t.count,
                    share=t.count / found.comments,
                    examples=t.examples[:EXAMPLES],
                )
                for t in found.themes
            ]
            themes.append(
                AudienceThemes(
                    audience=audience,
                    over="organisation",
                    n=found.comments,
                    other=found.other,
                    themes=views,
                )
            )
            continue
        mine = [c for (a, u), c in lists.items() if a == audience and u in seen]
        views = _themes(found, mine)
        if views:
            n = sum(c.n for c in mine)
            themes.append(
                AudienceThemes(
                    audience=audience,
                    over="scope",
                    n=n,
                    other=n - sum(v.count for v in views),
                    themes=views,
                )
            )
    units = [u for root in data.roots for u in data.subtree(root) if u in seen]
    return CommentsPage(
        **header(data, scope, "comments"),
        min_comments=data.results.privacy.min_comments,
        themes=themes,
        units=comment_units(data, units, seen, limit=None),
    )
