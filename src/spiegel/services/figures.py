"""Protection per figure: every figure about a group passes the gate with its own count.

A unit's row in a results table holds several figures (one mean per scale or item). Each
is computed over the respondents who answered *that* scale or item, which may be fewer
than the respondents the row counts (item non-response: a question skipped, a moment of
truth not experienced). The rule employees are promised is per figure: every mean, share
or gap shown for a group needs at least the minimum number of people behind *that*
figure, and no combination of shown figures may let anyone work out a smaller group.

:func:`protect_by_figure` therefore protects the row table once (everyone who answered),
then, for each distinct pattern of item non-response, protects the same cells again with
the counts of the people behind those figures (cells hidden in the row table stay
hidden: ``also_hide``). A figure is shown only when its cell passes both. Figures with the
same respondents share one protection; waves in which a figure's respondents are the
row's respondents reuse the row table's result, which is then exactly the same.

Why this is enough: the figures of one column are linear functions of the totals over
that column's respondents (count, sum, sum of squares, category counts), so the gate's
guarantee, applied to those respondents, rules out deriving any group of fewer than the
minimum *of that column*. Figures of other columns are sums over other people's answers
and do not enter that linear system.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.privacy import (
    CellKey,
    GroupTable,
    HideFirst,
    PrivacySettings,
    ProtectedTable,
    protect,
)
from spiegel.results import Cell, Hidden, ProtectionSummary, UnitTable
from spiegel.services.unit_tables import Figures, MicroCells, group_table, micro_cells

#: Columns of a protected frame that are not figures.
KEY_COLUMNS = ("unit", "wave", "visible", "n", "reason_code", "reason", "reason_nl")


@dataclass
class ProtectedFigures:
    """A protected unit table with visibility per figure.

    ``frame`` has one row per cell (unit subtree × wave [× split value]): ``visible`` and
    ``n`` describe the row (everyone who answered); a figure hidden on its own in a
    visible row is NaN there and listed in the row's ``hidden_figures`` as
    ``{figure: reason code}``. ``summary`` counts cells and hidden figures.
    """

    frame: pd.DataFrame
    summary: dict[str, int]
    figures: tuple[str, ...]
    split: str | None = None
    minimum: int = 5
    #: why each hidden row (by position) and each figure hidden on its own is hidden:
    #: (reason code, the unit whose figures would give the group away)
    why: dict[tuple[int, str | None], tuple[str, str | None]] = field(default_factory=dict)
    _index: dict[tuple[int, str, str | None], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        split = self.frame[self.split] if self.split else [None] * len(self.frame)
        self._index = {
            (int(u), str(w), None if s is None or s != s else str(s)): i
            for i, (u, w, s) in enumerate(
                zip(self.frame["unit"], self.frame["wave"], split, strict=True)
            )
        }

    def row(self, unit: int, wave: str, split_value: str | None = None) -> pd.Series | None:
        """The row of one cell, or ``None`` when the table has no such cell."""
        i = self._index.get((int(unit), str(wave), split_value))
        return None if i is None else self.frame.iloc[i]

    def value(
        self, unit: int, wave: str, figure: str, split_value: str | None = None
    ) -> float | None:
        """A figure of one cell, or ``None`` when it is hidden (or absent)."""
        row = self.row(unit, wave, split_value)
        if row is None or not bool(row["visible"]) or figure not in row.index:
            return None
        value = row[figure]
        return None if value is None or pd.isna(value) else float(value)

    def shown(self, unit: int, wave: str, figure: str, split_value: str | None = None) -> bool:
        """True when the figure of this cell may be shown."""
        return self.value(unit, wave, figure, split_value) is not None

    def to_table(self, figures: Sequence[str]) -> UnitTable:
        """The cells as the results model holds them, with ``figures`` only."""
        f = self.frame
        split = f[self.split].tolist() if self.split else [None] * len(f)
        columns = {name: f[name].tolist() for name in figures}
        cells = []
        for i, (unit, wave, visible, n, role) in enumerate(
            zip(f["unit"], f["wave"], f["visible"], f["n"], split, strict=True)
        ):
            role_group = None if role is None or role != role else str(role)
            if not visible:
                code, place = self.why[(i, None)]
                hidden = Hidden(code=code, minimum=self.minimum, place=place)  # type: ignore[arg-type]
                cells.append(
                    Cell(unit=int(unit), wave=str(wave), role_group=role_group, hidden=hidden)
                )
                continue
            values: dict[str, float | None] = {}
            hidden_figures: dict[str, Hidden] = {}
            for name in figures:
                why = self.why.get((i, name))
                if why is None:
                    values[name] = columns[name][i]
                else:
                    hidden_figures[name] = Hidden(code=why[0], minimum=self.minimum, place=why[1])  # type: ignore[arg-type]
            cells.append(
                Cell(
                    unit=int(unit),
                    wave=str(wave),
                    role_group=role_group,
                    n=int(n),
                    values=values,
                    hidden_figures=hidden_figures,
                )
            )
        s = self.summary
        summary = ProtectionSummary(
            cells=s["cells"],
            visible=s["visible"],
            hidden_too_few=s["hidden_too_few"],
            hidden_complementary=s["hidden_complementary"],
            hidden_consistency=s["hidden_consistency"],
            figures_hidden_in_visible_cells=sum(1 for (_i, name) in self.why if name in figures),
        )
        return UnitTable(figures=list(figures), cells=cells, summary=summary)

    def overall(self) -> pd.DataFrame:
        """The rows without a split (everyone in the unit)."""
        if self.split is None or self.split not in self.frame:
            return self.frame
        return self.frame[self.frame[self.split].isna()]

    def wide(self, wave: str, figures: Sequence[str], units: Iterable[int]) -> pd.DataFrame:
        """Shown figures of ``units`` in ``wave`` (NaN where hidden), indexed by unit."""
        rows = self.overall()
        rows = rows[(rows["wave"] == wave) & rows["unit"].isin(list(units))]
        out = rows.set_index("unit").reindex(columns=list(figures)).astype(float)
        out[~rows.set_index("unit")["visible"].astype(bool)] = np.nan
        return out


def protect_by_figure(
    respondents: pd.DataFrame,
    units: pd.DataFrame,
    value_columns: Sequence[str],
    settings: PrivacySettings,
    split: str | None = None,
    split_units: set[int] | None = None,
    extra: Figures | None = None,
    hide_first: HideFirst = "smaller",
) -> ProtectedFigures:
    """Protect the unit table of ``respondents`` row by row, then figure by figure.

    ``respondents`` has one row per respondent: wave, unit_id, [split] and the value
    columns (NaN where a respondent gave no answer). Each figure is the mean of its
    column; ``extra`` adds figures ``{name: column}`` (means of other columns, protected
    with the respondents of those columns). ``hide_first`` is passed to
    :func:`~spiegel.privacy.protect` (which of several cells that protect a group equally
    well to hide: the team or its location).
    """
    sources: Figures = {c: c for c in value_columns}
    sources.update(extra or {})
    micro = micro_cells(respondents, list(sources.values()), split)
    table = group_table(micro, units, sources, split, split_units)
    protected = protect(table, settings, hide_first=hide_first)
    frame = _frame(protected)
    for name in sources:  # a figure hidden in every cell still has its column
        if name not in frame:
            frame[name] = np.nan
    hidden = {c.key for c in protected.hidden()}
    position = {key: i for i, key in enumerate(table.keys)}
    masks: dict[str, np.ndarray] = {}
    codes: dict[int, dict[str, str]] = {}
    why: dict[tuple[int, str | None], tuple[str, str | None]] = {
        (position[c.key], None): (c.reason_code.value, c.place) for c in protected.hidden()
    }
    hidden_figures = 0
    for counts, names in _patterns(micro, sources):
        differs = counts.to_numpy() != micro.n.to_numpy()
        waves = set(micro.n.index.get_level_values("wave")[differs].astype(str))
        own = _protect_counts(table, counts, waves, settings, hidden, hide_first)
        for cell in own.hidden():
            if cell.key in hidden:
                continue
            i = position[cell.key]
            for name in names:
                masks.setdefault(name, np.zeros(len(frame), dtype=bool))[i] = True
                codes.setdefault(i, {})[name] = cell.reason_code.value
                why[(i, name)] = (cell.reason_code.value, cell.place)
                hidden_figures += 1
    for name, mask in masks.items():
        frame.loc[mask, name] = np.nan
    frame["hidden_figures"] = pd.Series([codes.get(i) for i in range(len(frame))], dtype=object)
    s = protected.summary
    summary = {
        "cells": s.n_cells,
        "visible": s.n_visible,
        "hidden_too_few": s.n_primary,
        "hidden_complementary": s.n_complementary,
        "hidden_consistency": s.n_consistency,
        "figures_hidden_in_visible_cells": hidden_figures,
    }
    minimum = settings.minimum(table.kind)
    return ProtectedFigures(frame, summary, tuple(sources), split, minimum, why)


def _frame(protected: ProtectedTable) -> pd.DataFrame:
    frame = protected.to_frame("en")
    frame["reason_nl"] = protected.to_frame("nl")["reason"]
    frame["unit"] = frame["unit"].astype(int)
    return frame


def _patterns(micro: MicroCells, sources: Figures) -> list[tuple[pd.Series, list[str]]]:
    """Distinct respondent counts per micro-cell of the figures whose respondents are not
    everyone's (someone skipped the question), with the figures that share them."""
    base = micro.n.to_numpy()
    by_pattern: dict[Hashable, tuple[pd.Series, list[str]]] = {}
    for name, column in sources.items():
        counts = micro.counts[column].astype(np.int64)
        if np.array_equal(counts.to_numpy(), base):
            continue
        signature = counts.to_numpy().tobytes()
        by_pattern.setdefault(signature, (counts, []))[1].append(name)
    return list(by_pattern.values())


def _protect_counts(
    table: GroupTable,
    counts: pd.Series,
    waves: set[str],
    settings: PrivacySettings,
    hidden: set[CellKey],
    hide_first: HideFirst,
) -> ProtectedTable:
    """The table's cells in ``waves``, protected with ``counts`` as respondents."""
    in_waves = counts[counts.index.get_level_values("wave").astype(str).isin(waves)]
    micro = in_waves.rename("n").reset_index().rename(columns={"unit_id": "unit"})
    micro["unit"] = micro["unit"].astype(int).astype(str)
    keys = ["unit", "wave", *table.split_attributes]
    cells = table.figures[keys]
    cells = cells[cells["wave"].astype(str).isin(waves)].reset_index(drop=True)
    own = GroupTable(table.tree, micro, cells, table.split_attributes, table.kind)
    also = [k for k in hidden if k.wave in waves]
    return protect(own, settings, also_hide=also, hide_first=hide_first)
