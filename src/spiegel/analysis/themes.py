"""Themes in open comments: TF-IDF and non-negative matrix factorisation (NMF).

Works offline in Dutch and English: the stop-word lists ship with the package
(``analysis/stopwords/{nl,en}.txt``), nothing is downloaded. The same comments give the
same themes on every run (a deterministic start, no random restarts).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

#: How a word is found: letters only (no digits or underscores), at least three of them.
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
#: Themes are looked for only in at least this many comments (duplicates counted).
MIN_TEXTS = 10
MAX_THEMES = 8
#: More themes are tried (up to ``MAX_THEMES``) while more than this share is in none.
OTHER_SHARE = 0.2

__all__ = ["MAX_THEMES", "MIN_TEXTS", "Theme", "Themes", "find_themes", "stop_words"]


@cache
def stop_words() -> frozenset[str]:
    """The Dutch and English stop words shipped with Spiegel (lower case)."""
    words: set[str] = set()
    for lang in ("nl", "en"):
        text = resources.files("spiegel.analysis").joinpath(f"stopwords/{lang}.txt")
        for line in text.read_text(encoding="utf-8").splitlines():
            word = line.strip().lower()
            if word and not word.startswith("#"):
                words.add(word)
    return frozenset(words)


@dataclass(frozen=True)
class Theme:
    """One theme: its top terms, how many comments fall in it and the clearest examples."""

    terms: tuple[str, ...]
    count: int
    examples: tuple[str, ...]

    @property
    def label(self) -> str:
        """The theme's name for a reader: its top terms."""
        return ", ".join(self.terms)


@dataclass(frozen=True)
class Themes:
    """The themes of a set of comments, largest first, and which theme each text is in."""

    themes: tuple[Theme, ...]
    #: distinct text -> index into ``themes`` (texts with no content word are absent)
    assignment: dict[str, int]
    #: comments (duplicates counted) in no theme: only stop words, digits or short words
    other: int
    n: int


def _n_themes(n_docs: int, n_terms: int, max_themes: int) -> int:
    """About the square root of the number of distinct texts: 3 for 10, 6 for 33."""
    k = max(2, round(math.sqrt(n_docs)))
    return max(1, min(k, max_themes, n_docs, n_terms))


def find_themes(
    texts: Sequence[str],
    counts: Sequence[int] | None = None,
    *,
    max_themes: int = MAX_THEMES,
    min_texts: int = MIN_TEXTS,
    n_terms: int = 3,
    n_examples: int = 3,
) -> Themes | None:
    """Group comments into themes with TF-IDF and NMF.

    Each distinct text is one row of a TF-IDF matrix :math:`X` (Dutch and English stop
    words removed, sublinear term frequency, rows of unit length) weighted by
    :math:`\\sqrt{c_i}` for a text given :math:`c_i` times, so the squared error of the
    factorisation :math:`X \\approx WH` (:math:`W, H \\ge 0`) counts every comment once.
    The number of themes is :math:`k = \\mathrm{round}(\\sqrt{d})` for :math:`d`
    distinct texts, between 2 and ``max_themes``, one more while over ``OTHER_SHARE``
    of the comments fall in no theme. A text belongs to the theme of its
    largest loading in :math:`W` (a text NMF gave no loading: the theme whose terms it
    shares most, :math:`\\arg\\max_j x_i^\\top h_j`); a theme is named by the
    ``n_terms`` largest terms of its row of :math:`H` and shown with the ``n_examples``
    texts that load on it most.

    Parameters
    ----------
    texts
        The comments (already masked and shown: this function hides nothing).
    counts
        How often each text was given; ``None``: count equal texts in ``texts``.
    max_themes, min_texts, n_terms, n_examples
        At most ``max_themes`` themes; none below ``min_texts`` comments.

    Returns
    -------
    Themes | None
        ``None`` when there are fewer than ``min_texts`` comments or no content words.

    References
    ----------
    Lee & Seung (1999), Learning the parts of objects by non-negative matrix
    factorization, *Nature* 401. Boutsidis & Gallopoulos (2008), SVD based initialization
    (NNDSVD), *Pattern Recognition* 41. Salton & Buckley (1988), Term-weighting
    approaches in automatic text retrieval.

    Examples
    --------
    >>> t = find_themes(["fijne leidsters"] * 6 + ["te hoge kosten"] * 5)
    >>> [(x.label, x.count) for x in t.themes]
    [('fijne, leidsters', 6), ('hoge, kosten', 5)]
    # R: no single equivalent (tm::weightTfIdf with NMF::nmf(method = "lee") is close)
    """
    if isinstance(texts, str):
        raise ValueError("find_themes(): texts must be a collection, not one string")
    if counts is None:
        tally: dict[str, int] = {}
        for t in texts:
            tally[t] = tally.get(t, 0) + 1
    else:
        if len(counts) != len(texts):
            raise ValueError("find_themes(): texts and counts differ in length")
        if any(int(c) < 1 for c in counts):
            raise ValueError("find_themes(): every count must be at least 1")
        tally = {}
        for t, c in zip(texts, counts, strict=True):
            tally[t] = tally.get(t, 0) + int(c)
    total = sum(tally.values())
    if total < min_texts:
        return None
    distinct = sorted(tally)  # the input order does not matter
    words = stop_words()
    token = re.compile(TOKEN_PATTERN)
    has_words = [any(w.lower() not in words for w in token.findall(t.lower())) for t in distinct]
    docs = [t for t, ok in zip(distinct, has_words, strict=True) if ok]
    if not docs:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(words),
        sublinear_tf=True,
        dtype=np.float64,
    )
    x = vectorizer.fit_transform(docs)
    vocabulary = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    weight = np.sqrt(np.array([tally[t] for t in docs], dtype=np.float64))
    xw = x.multiply(weight[:, None]).tocsr()
    k = _n_themes(len(docs), len(vocabulary), max_themes)
    limit = min(max_themes, len(docs), len(vocabulary))
    while True:
        found = _factorise(x, xw, docs, tally, vocabulary, k, n_terms, n_examples)
        if found.other <= OTHER_SHARE * total or k >= limit:
            return found
        k += 1


def _factorise(
    x: Any,
    xw: Any,
    docs: list[str],
    tally: dict[str, int],
    vocabulary: np.ndarray,
    k: int,
    n_terms: int,
    n_examples: int,
) -> Themes:
    """NMF with ``k`` components of the weighted TF-IDF rows ``xw``; the themes."""
    from sklearn.decomposition import NMF

    weight = np.sqrt(np.array([tally[t] for t in docs], dtype=np.float64))
    model = NMF(n_components=k, init="nndsvd", max_iter=500, tol=1e-4, random_state=0)
    with warnings.catch_warnings():
        # not converged after 500 steps: the themes are settled long before
        warnings.simplefilter("ignore")
        fitted = model.fit_transform(xw)
    w = np.asarray(fitted, dtype=np.float64) / weight[:, None]
    h = np.asarray(model.components_, dtype=np.float64)
    best = np.argmax(w, axis=1)
    loaded = w[np.arange(len(docs)), best] > 0
    if not loaded.all():
        shared = np.asarray((x @ h.T), dtype=np.float64)
        nearest = np.argmax(shared, axis=1)
        fallback = ~loaded & (shared[np.arange(len(docs)), nearest] > 0)
        best = np.where(fallback, nearest, best)
        loaded |= fallback
    found: list[tuple[tuple[str, ...], int, tuple[str, ...], int]] = []
    for j in range(k):
        members = [int(i) for i in np.flatnonzero((best == j) & loaded)]
        if not members:
            continue
        # top terms by weight; ties by the word itself
        order = sorted(range(len(vocabulary)), key=lambda v: (-h[j, v], str(vocabulary[v])))
        terms = tuple(str(vocabulary[v]) for v in order[:n_terms] if h[j, v] > 0)
        members.sort(key=lambda i: (-w[i, j], -tally[docs[i]], docs[i]))
        examples = tuple(docs[i] for i in members[:n_examples])
        found.append((terms, sum(tally[docs[i]] for i in members), examples, j))
    found.sort(key=lambda f: (-f[1], f[0]))
    position = {j: p for p, (_, _, _, j) in enumerate(found)}
    assignment = {docs[i]: position[int(best[i])] for i in range(len(docs)) if bool(loaded[i])}
    themes = tuple(Theme(terms, n, ex) for terms, n, ex, _ in found)
    total = sum(tally.values())
    in_theme = sum(t.count for t in themes)
    return Themes(themes=themes, assignment=assignment, other=total - in_theme, n=total)
