"""Unit tables: figures per unit (its whole subtree) and wave, after the privacy gate."""

from __future__ import annotations

from pydantic import PrivateAttr

from spiegel.results.base import Model, Number
from spiegel.results.hidden import Hidden


class Cell(Model):
    """One group: a unit and everything below it, in one wave (optionally one role group).

    A hidden cell (``hidden`` set) has no count and no figures. In a shown cell, a figure
    resting on fewer people than the cell (some skipped the question) may be hidden on its
    own: it is then absent from ``values`` and named in ``hidden_figures``.
    """

    unit: int
    wave: str
    role_group: str | None = None
    n: int | None = None
    values: dict[str, Number] = {}
    hidden: Hidden | None = None
    hidden_figures: dict[str, Hidden] = {}
    #: the 95% interval of each shown mean (a t interval over the figure's respondents);
    #: none for a hidden cell or figure
    intervals: dict[str, tuple[float, float]] = {}

    @property
    def visible(self) -> bool:
        """True when the cell may be shown."""
        return self.hidden is None

    def value(self, figure: str) -> float | None:
        """The figure, or ``None`` when it is hidden or could not be computed."""
        return self.values.get(figure) if self.hidden is None else None

    def interval(self, figure: str) -> tuple[float, float] | None:
        """The 95% interval of the figure's mean, or ``None`` (hidden, or not computed)."""
        if self.hidden is not None or self.values.get(figure) is None:
            return None
        return self.intervals.get(figure)

    def why_hidden(self, figure: str | None = None) -> Hidden | None:
        """Why the cell (``figure`` ``None``) or one of its figures is not shown."""
        if self.hidden is not None or figure is None:
            return self.hidden
        return self.hidden_figures.get(figure)


class ProtectionSummary(Model):
    """What the privacy gate did to one table."""

    cells: int
    visible: int
    hidden_too_few: int
    hidden_complementary: int
    hidden_consistency: int
    figures_hidden_in_visible_cells: int = 0


class UnitTable(Model):
    """Every cell of one audience's table, with the gate's summary."""

    figures: list[str]
    cells: list[Cell]
    summary: ProtectionSummary
    _by_key: dict[tuple[str, int, str | None], Cell] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._by_key = {(c.wave, c.unit, c.role_group): c for c in self.cells}

    def cell(self, unit: int, wave: str, role_group: str | None = None) -> Cell | None:
        """The cell of ``unit`` in ``wave`` (everyone, or one role group)."""
        return self._by_key.get((wave, unit, role_group))

    def of_wave(self, wave: str) -> dict[int, Cell]:
        """The cells of everyone in each unit in ``wave``, by unit."""
        return {c.unit: c for c in self.cells if c.wave == wave and c.role_group is None}

    def role_cells(self) -> list[Cell]:
        """The cells split by role group."""
        return [c for c in self.cells if c.role_group is not None]
