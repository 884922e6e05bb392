"""The closing sections: open comments, and what anonymity hid."""

from __future__ import annotations

from spiegel.reports.builder import ReportBuilder, Section, table
from spiegel.reports.text import t


def comments(b: ReportBuilder) -> Section:
    s = Section("comments", t("comments", b.lang))
    shown: dict[str, int] = {}
    for c in b.r.comments:
        if not b.in_scope(c.unit):
            continue
        shown[c.audience] = shown.get(c.audience, 0) + 1
        if shown[c.audience] > (50 if b.unit is not None else 3):
            continue
        s.tables.append(
            table(
                [f"{b.name(c.unit)} ({t('audience_' + c.audience, b.lang)})"],
                [[x] for x in c.texts[:8]],
            )
        )
    return s


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
