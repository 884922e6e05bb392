"""The comments step: open answers per audience and location, and their themes.

Comments are shown per location for groups of at least the comment minimum (customers'
and employees' alike), masked and with equal texts counted once
(:func:`spiegel.privacy.protect_comments`). Themes (:func:`spiegel.analysis.themes`) are
found over the organisation, per audience, in the comments of the shown locations, and
in the others' too when those others together are at least the comment minimum: then
what the organisation's themes add to the locations' is about a group that large, never
about one small location. Each shown location's texts get their theme.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from spiegel.analysis.themes import find_themes
from spiegel.privacy import protect_comments
from spiegel.privacy.masking import count_equal, mask_personal
from spiegel.results import CommentList, CommentTheme, CommentThemes
from spiegel.services.analyze.job import Job

AUDIENCES = ("customer", "employee")


def comments(job: Job) -> None:
    """Open comments per audience and location, from groups above the comment minimum,
    and the themes in them."""
    texts = job.data.texts
    latest = texts[texts["wave"] == job.latest].copy()
    latest["location"] = latest["unit_id"].map(job.location)
    lists: list[CommentList] = []
    themes: list[CommentThemes] = []
    for audience, frame in (("customer", job.cust), ("employee", job.emp)):
        if frame.empty:
            continue
        answered = frame[frame["wave"] == job.latest]
        n_by_loc = answered.groupby("location").size()
        group = latest[latest["audience"] == audience]
        by_loc = {loc: list(t) for loc, t in group.groupby("location")["text"]}
        shown: list[CommentList] = []
        shown_n = 0
        for loc, n in zip(n_by_loc.index.tolist(), n_by_loc.tolist(), strict=True):
            found = by_loc.get(loc, [])
            seed = f"{audience}:{loc}:{job.latest}"
            protected = protect_comments(found, int(n), job.settings, seed=seed)
            if protected.visible and protected.texts:
                shown_n += int(n)
                shown.append(
                    CommentList(
                        audience=audience,
                        unit=int(loc),
                        texts=list(protected.texts),
                        counts=list(protected.counts),
                    )
                )
        rest_n = len(answered) - shown_n
        rest = group[~group["location"].isin([c.unit for c in shown])]["text"]
        organisation = _themes(job, audience, shown, rest, rest_n, len(answered))
        if organisation is not None:
            themes.append(organisation[0])
            shown = [c.model_copy(update={"theme_of": organisation[1](c)}) for c in shown]
        lists.extend(shown)
    job.out["comments"] = lists
    job.out["comment_themes"] = themes


def _themes(
    job: Job,
    audience: str,
    shown: list[CommentList],
    rest: pd.Series,
    rest_n: int,
    total_n: int,
) -> tuple[CommentThemes, Callable[[CommentList], list[int]]] | None:
    """The organisation's themes of one audience, and a function giving a shown list's
    theme per text; ``None`` when there are too few comments or no root."""
    minimum = job.settings.min_comments
    if job.root is None or total_n < minimum:
        return None
    texts = [t for c in shown for t in c.texts]
    counts = [c.count(i) for c in shown for i in range(len(c.texts))]
    if rest_n >= minimum:
        clean = (mask_personal(str(t).strip()) for t in rest.tolist() if isinstance(t, str))
        for text, k in count_equal(sorted(t for t in clean if t)):
            texts.append(text)
            counts.append(k)
    found = find_themes(texts, counts)
    if found is None or not found.themes:
        return None
    result = CommentThemes(
        audience=audience,
        unit=job.root,
        comments=found.n,
        other=found.other,
        themes=[
            CommentTheme(
                label=t.label, terms=list(t.terms), count=t.count, examples=list(t.examples)
            )
            for t in found.themes
        ],
    )

    def per_list(c: CommentList) -> list[int]:
        return [found.assignment.get(t, -1) for t in c.texts]

    return result, per_list
