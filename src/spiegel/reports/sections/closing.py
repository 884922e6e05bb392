"""The closing sections: open comments, and what anonymity hid."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, table
from spiegel.reports.text import t
from spiegel.results import CommentList, CommentThemes


def comments(b: ReportBuilder) -> Section:
    s = Section("comments", t("comments", b.lang))
    lists = [c for c in b.r.comments if b.in_scope(c.unit)]
    if not lists and not b.r.comment_themes:
        return s
    s.paragraphs.append(t("themes_note", b.lang).format(min=b.r.privacy.min_comments))
    for found in b.r.comment_themes:
        mine = [c for c in lists if c.audience == found.audience]
        rows = _theme_rows(b, found, mine)
        if rows:
            columns = [t(k, b.lang) for k in ("theme", "n_comments", "share", "examples")]
            s.tables.append(table(columns, rows, t(f"themes_{found.audience}", b.lang)))
    shown: dict[str, int] = {}
    for c in sorted(lists, key=lambda c: (c.unit, c.audience)):
        shown[c.audience] = shown.get(c.audience, 0) + 1
        if shown[c.audience] > (50 if b.unit is not None else 3):
            continue
        order = sorted(range(len(c.texts)), key=lambda i: -c.count(i))[:8]
        texts = [[_times(c.texts[i], c.count(i))] for i in order]
        s.tables.append(table([f"{b.name(c.unit)} ({t(f'comments_{c.audience}', b.lang)})"], texts))
    return s


def _share(n: int, total: int) -> str:
    """A share in whole percents; a few comments among many are "<1%", not "0%"."""
    share = 100 * n / total
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


def _times(text: str, n: int) -> str:
    return f"{text} (×{n})" if n > 1 else text


def _theme_rows(
    b: ReportBuilder, found: CommentThemes, lists: list[CommentList]
) -> list[list[object]]:
    """The organisation's themes (organisation report) or the same themes counted over the
    unit's comments, with examples from them (a unit's report)."""
    k = len(found.themes)
    if b.unit is None:
        counts = [th.count for th in found.themes]
        examples = [th.examples for th in found.themes]
        total, other = found.comments, found.other
    else:
        counts = [0] * k
        pool: list[list[tuple[int, str]]] = [[] for _ in range(k)]
        for c in lists:
            for j, n in enumerate(c.theme_counts(k)):
                counts[j] += n
            for i, j in enumerate(c.theme_of):
                if 0 <= j < k:
                    pool[j].append((c.count(i), c.texts[i]))
        examples = [[x for _, x in sorted(p, key=lambda e: (-e[0], e[1]))] for p in pool]
        total = sum(c.n for c in lists)
        other = total - sum(counts)
    if not total:
        return []
    rows: list[list[object]] = [
        [th.label, counts[j], _share(counts[j], total), " · ".join(examples[j][:2])]
        for j, th in sorted(enumerate(found.themes), key=lambda x: -counts[x[0]])
        if counts[j]
    ]
    if other:
        rows.append([t("no_theme", b.lang), other, _share(other, total), ""])
    return rows


def privacy(b: ReportBuilder) -> Section:
    s = Section("privacy", t("privacy", b.lang))
    p = b.r.privacy
    tables = [(k, x) for k, x in (("employee", b.r.employee), ("customer", b.r.customer)) if x]
    s.paragraphs.append(
        f"Geen cijfer over een groep van minder dan {p.min_scores} respondenten; opmerkingen pas vanaf {p.min_comments}. "
        + " ".join(
            f"{t('audience_' + k, b.lang).capitalize()}: {x.summary.hidden_too_few} cellen te klein, {x.summary.hidden_complementary} extra verborgen tegen terugrekenen."
            for k, x in tables
        )
        if b.lang == "nl"
        else f"No figure about a group of fewer than {p.min_scores} respondents; comments only from {p.min_comments}. "
        + " ".join(
            f"{t('audience_' + k, b.lang).capitalize()}: {x.summary.hidden_too_few} cells too small, {x.summary.hidden_complementary} more hidden against subtraction."
            for k, x in tables
        )
    )
    return s
