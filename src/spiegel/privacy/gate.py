"""The privacy gate: the single entry point between results and anything a person sees."""

from __future__ import annotations

import time
from collections.abc import Iterable

import numpy as np
import pandas as pd

from spiegel.privacy.comments import comment_suppressions
from spiegel.privacy.reasons import ReasonCode
from spiegel.privacy.settings import HIDE_FIRST, HideFirst, PrivacySettings
from spiegel.privacy.structure import Compiled, compile_table
from spiegel.privacy.suppression import complementary
from spiegel.privacy.tables import (
    _GATE_TOKEN,
    Cell,
    CellKey,
    GroupTable,
    HiddenCell,
    N,
    ProtectedTable,
    ProtectionSummary,
    VisibleCell,
)

#: Largest number of partial patterns one unit may hold during the search; beyond it the
#: block falls back to showing only its overall totals (safe, but hides much more).
PATTERN_BUDGET = 50_000


def protect(
    table: GroupTable,
    settings: PrivacySettings,
    *,
    also_hide: Iterable[CellKey] = (),
    hide_first: HideFirst = "smaller",
) -> ProtectedTable:
    """Apply primary and complementary suppression to every cell of ``table``.

    A cell is shown only when its group has at least the minimum number of respondents
    (primary suppression) and no combination of shown cells lets anyone work out a group
    below the minimum (complementary suppression). Protection is computed over all cells
    of the table together, so any viewer's subset, and what several viewers see together,
    is protected.

    .. math::

        \\text{shown} \\subseteq \\{c : n_c \\ge m\\}, \\qquad
        \\nexists\\, X : 0 < n(X) < m,\\ \\mathbf 1_X \\in
        \\operatorname{rowspace}\\{\\mathbf 1_c : c\\ \\text{shown}\\}

    where ``X`` ranges over sets of micro-cells (unit attached to × attribute values ×
    wave) and micro-cells that are empty or hold a known person count as known.

    Parameters
    ----------
    table
        Every figure any viewer could be shown, with the respondent counts.
    settings
        The organisation's minimums and permitted split attributes.
    also_hide
        Cells to hide in any case (e.g. those hidden in the overall table when this
        table holds one scale answered by fewer people); reason ``consistency``.
    hide_first
        Which cell to hide when several protect a group equally well: ``"smaller"``, the
        one with the fewest respondents (usually a team, keeping its location's figures),
        or ``"higher"``, the one higher in the tree (a location rather than its teams; the
        organisation's total only when nothing else will do). Protection is the same.

    Returns
    -------
    ProtectedTable
        Visible cells with count and figures; hidden cells with a reason and no numbers.

    References
    ----------
    Cox (1980), suppression methodology and statistical disclosure control;
    Hundepool et al. (2012), *Statistical Disclosure Control*, ch. 4 (tabular data).

    Examples
    --------
    >>> protected = protect(table, PrivacySettings())  # doctest: +SKIP
    # R: sdcTable::protectTable(problem, method = "SIMPLEHEURISTIC") is the closest tool
    """
    start = time.perf_counter()
    if not isinstance(settings, PrivacySettings):
        raise ValueError("protect(): settings must be a PrivacySettings")
    if not isinstance(table, GroupTable):
        raise ValueError("protect(): table must be a GroupTable")
    if hide_first not in HIDE_FIRST:
        raise ValueError(
            f"protect(): hide_first must be one of {', '.join(map(repr, HIDE_FIRST))}, "
            f"got {hide_first!r}"
        )
    comp = compile_table(table, settings)
    minimum = settings.minimum(table.kind)
    _check_counts(table, comp)

    status: dict[int, ReasonCode | None] = {}
    known_only: set[int] = set()
    for cid in range(len(table.keys)):
        counted, total = int(comp.cell_n_counted[cid]), int(comp.cell_n[cid])
        if counted == 0 and total > 0:
            status[cid] = None
            known_only.add(cid)
        elif counted < minimum:
            status[cid] = ReasonCode.TOO_FEW
        else:
            status[cid] = None
    index = {k: i for i, k in enumerate(table.keys)}
    for key in also_hide:
        wanted = index.get(key)
        if wanted is not None and status[wanted] is None:
            status[wanted] = ReasonCode.CONSISTENCY
            known_only.discard(wanted)

    visible = [cid for cid, s in status.items() if s is None]
    places: dict[int, str | None] = {}
    if table.kind == "comments":
        places = comment_suppressions(table, comp, visible, minimum)
    else:
        places = complementary(
            table, comp, visible, minimum, budget=PATTERN_BUDGET, hide_first=hide_first
        )
    for cid in places:
        status[cid] = ReasonCode.COMPLEMENTARY

    figure_cols = [str(c) for c in table.figure_columns if c != N]
    values = [table.figures[c].tolist() for c in figure_cols]
    cells: list[Cell] = []
    for cid, key in enumerate(table.keys):
        reason = status[cid]
        if reason is None:
            figures = {c: v[cid] for c, v in zip(figure_cols, values, strict=True)}
            cells.append(
                VisibleCell(
                    key, int(comp.cell_n[cid]), figures, known_persons_only=cid in known_only
                )
            )
        else:
            cells.append(HiddenCell(key, reason, minimum, table.kind, places.get(cid)))
    codes = list(status.values())
    summary = ProtectionSummary(
        kind=table.kind,
        minimum=minimum,
        n_cells=len(cells),
        n_visible=codes.count(None),
        n_primary=codes.count(ReasonCode.TOO_FEW),
        n_complementary=codes.count(ReasonCode.COMPLEMENTARY),
        n_consistency=codes.count(ReasonCode.CONSISTENCY),
        seconds=time.perf_counter() - start,
    )
    return ProtectedTable(cells, summary, table.tree, _token=_GATE_TOKEN)


def _check_counts(table: GroupTable, comp: Compiled) -> None:
    if N not in table.figures.columns:
        return
    given = pd.to_numeric(table.figures[N], errors="coerce").to_numpy(dtype=float)
    differs = np.flatnonzero(~np.isclose(given, comp.cell_n.astype(float)))
    if len(differs):
        i = int(differs[0])
        raise ValueError(
            f"GroupTable.figures: column 'n' of group {table.keys[i].label(table.tree)} is "
            f"{given[i]:g} but the microcells count {int(comp.cell_n[i])} respondents; the "
            "figures must be computed over the same respondents as the counts"
        )
