"""Open comments: which groups may show them, and how they are shown.

Comments are texts, not sums: a viewer who sees the comments of two overlapping groups
can tell which texts appear in both, so set *intersections* are available as well as
differences. The check for comment groups is therefore stronger than the linear one for
scores: every *atom* of the published groups (micro-cells that lie in exactly the same
published groups) must be empty or hold at least the comment minimum. Any set a viewer
can form with unions, intersections and differences of published groups is a union of
atoms, so none is small.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from spiegel.privacy.masking import count_equal, mask_personal
from spiegel.privacy.settings import PrivacySettings
from spiegel.privacy.structure import Compiled
from spiegel.privacy.tables import GroupTable


@dataclass(frozen=True)
class ProtectedComments:
    """The comments of one group as they may be shown: texts only, in a fixed order."""

    visible: bool
    texts: tuple[str, ...]
    minimum: int
    #: how often each of ``texts`` was given (equal comments are shown once)
    counts: tuple[int, ...] = ()

    def reason(self, lang: Literal["en", "nl"] = "en") -> str | None:
        """Why the comments are not shown (``None`` when they are)."""
        if self.visible:
            return None
        if lang == "nl":
            return f"opmerkingen worden pas getoond vanaf {self.minimum} respondenten"
        return f"comments are shown only for groups of at least {self.minimum} respondents"


def _text_of(item: object, where: int) -> str:
    if isinstance(item, str):
        return item
    text = item.get("text") if isinstance(item, Mapping) else getattr(item, "text", None)
    if not isinstance(text, str):
        raise ValueError(f"comment {where}: expected a string or an object with a 'text' string")
    return text


def protect_comments(
    comments: Iterable[object],
    group_n: int,
    settings: PrivacySettings,
    seed: str | int,
) -> ProtectedComments:
    """The open comments of one group, ready to show, or nothing when the group is small.

    Only the text of each comment is kept (no respondent, time stamp, unit or any other
    metadata), surrounding white space is removed and empty comments are dropped.
    Personal details (e-mail and web addresses, phone numbers, names after a title) are
    masked (:func:`~spiegel.privacy.masking.mask_personal`), and equal comments are shown
    once with how often they were given (:func:`~spiegel.privacy.masking.count_equal`). The
    order follows neither submission time nor the input order: each text is ranked by a
    keyed hash,

    .. math::

        \\operatorname{rank}(t) = \\operatorname{BLAKE2b}(\\text{seed} \\,\\|\\, t),

    so the same group (same ``seed``, e.g. its cell key) shows the same order on every
    reload, and a newly added comment lands at a random place.

    Parameters
    ----------
    comments
        Strings, or mappings/objects with a ``text`` field.
    group_n
        Respondents in the group (the same count as for its scores).
    settings
        The organisation's privacy settings (``min_comments``).
    seed
        Stable per group, e.g. ``str(cell_key)``.

    Returns
    -------
    ProtectedComments
        ``visible=False`` and no texts when ``group_n < settings.min_comments``; else the
        distinct texts and, in ``counts``, how often each was given.

    References
    ----------
    Aumasson et al. (2013), BLAKE2. Hundepool et al. (2012), *Statistical Disclosure
    Control*, on free-text data.

    Examples
    --------
    >>> protect_comments(["a", "b"], 12, PrivacySettings(), "team-b").visible
    True
    # R: no equivalent (sample(texts) with set.seed() for the shuffling idea)
    """
    if isinstance(group_n, bool) or not isinstance(group_n, int | np.integer) or group_n < 0:
        raise ValueError(f"protect_comments(): group_n must be a whole number >= 0: {group_n!r}")
    if isinstance(comments, str):
        raise ValueError("protect_comments(): comments must be a collection, not one string")
    minimum = settings.min_comments
    if group_n < minimum:
        return ProtectedComments(False, (), minimum)
    texts = [mask_personal(_text_of(c, i).strip()) for i, c in enumerate(comments)]
    key = hashlib.blake2b(str(seed).encode(), digest_size=32).digest()

    def rank(text: str) -> bytes:
        return hashlib.blake2b(text.encode(), key=key, digest_size=16).digest()

    # equal texts merge in a fixed order, so the spelling kept does not follow the input
    merged = count_equal(sorted(t for t in texts if t))
    ordered = sorted(merged, key=lambda tc: (rank(tc[0]), tc[0]))
    return ProtectedComments(
        True, tuple(t for t, _ in ordered), minimum, tuple(c for _, c in ordered)
    )


def comment_suppressions(
    table: GroupTable, comp: Compiled, visible: list[int], minimum: int
) -> dict[int, str | None]:
    """Hide comment groups until every atom of the shown groups is empty or large enough.

    Returns ``{cell: place}`` for the cells hidden beyond the primary ones.
    """
    tree = table.tree
    boxes = {cid: set(map(int, comp.cell_box[cid])) for cid in visible}
    at_unit: dict[str, list[int]] = {}
    for cid in visible:
        at_unit.setdefault(table.keys[cid].unit, []).append(cid)
    micro: list[tuple[str, int]] = []
    count: list[int] = []
    sig: list[set[int]] = []
    members: dict[int, list[int]] = {cid: [] for cid in visible}
    for unit in tree.units:
        for combo in np.flatnonzero(comp.direct[unit]):
            idx = len(micro)
            micro.append((unit, int(combo)))
            count.append(int(comp.direct[unit][combo]))
            s = {
                cid
                for anc in tree.ancestors(unit)
                for cid in at_unit.get(anc, [])
                if int(combo) in boxes[cid]
            }
            sig.append(s)
            for cid in s:
                members[cid].append(idx)
    cost = {cid: (int(comp.cell_n[cid]), 0 if table.keys[cid].split else 1, cid) for cid in visible}
    hidden: dict[int, str | None] = {}
    while True:
        atoms: dict[frozenset[int], list[int]] = {}
        for i, s in enumerate(sig):
            if s:
                atoms.setdefault(frozenset(s), []).append(i)
        size = {a: sum(count[i] for i in idx) for a, idx in atoms.items()}
        small = [a for a, n in size.items() if 0 < n < minimum]
        if not small:
            return hidden
        atom = min(small, key=lambda a: (size[a], sorted(a)))
        options: list[tuple[tuple[int, int, int], int]] = []
        for cid in atom:
            rest = atom - {cid}
            merged = size[atom] + size.get(rest, 0)
            if not rest or merged >= minimum:
                options.append((cost[cid], cid))
        for other, n in size.items():
            if len(other) == len(atom) + 1 and atom < other and size[atom] + n >= minimum:
                (cid,) = other - atom
                options.append((cost[cid], cid))
        choice = min(options)[1] if options else min(atom, key=lambda c: cost[c])
        for i in members[choice]:
            sig[i].discard(choice)
        # Name where the overlapping groups meet, not the small atom itself.
        lca = tree.lowest_common_ancestor({table.keys[c].unit for c in atom})
        hidden[choice] = tree.name(lca) if lca is not None else None
