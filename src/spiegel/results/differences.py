"""A unit against its region and the whole organisation: differences with their intervals.

For every unit (its whole subtree) and every figure compared, the difference between the
unit's mean and the mean of the wider group it belongs to (its region, the organisation,
the unit itself included, as the pages show both means), with a Welch interval. A
difference the privacy gate does not allow is a :class:`~spiegel.results.Hidden` and
holds no number.
"""

from __future__ import annotations

from typing import Literal

from pydantic import PrivateAttr

from spiegel.results.base import Model, Number
from spiegel.results.hidden import Hidden

#: What a unit is compared with: its region, or the whole organisation.
Against = Literal["organisation", "region"]
#: Whose figure: employees' scale means or customers' ratings.
Audience = Literal["employee", "customer"]


class Difference(Model):
    """One figure of a unit against the wider group's (see :class:`UnitComparison`)."""

    difference: Number
    ci_low: Number
    ci_high: Number
    p: Number
    d: Number


class UnitComparison(Model):
    """One unit against its region or the organisation, in one wave, for one audience.

    ``figures`` holds, per figure, ``difference = mean - mean_against`` (the wider group
    includes the unit; both means are the unit tables' cells), with the interval of a
    Welch test of the unit against the rest of the wider group (as R ``t.test(unit,
    rest)``), scaled by ``n_rest / n_against`` to the difference shown, its ``p`` and
    Cohen's ``d`` of the unit against the rest. A difference the privacy gate does not
    allow is in ``hidden_figures`` with its reason and no number.
    """

    unit: int
    audience: Audience
    against: Against
    against_unit: int
    figures: dict[str, Difference] = {}
    hidden_figures: dict[str, Hidden] = {}
    #: whose employees' figures stand for the location: its teams together when the
    #: location's own figure is hidden to protect the few people attached to it directly
    #: (its manager); empty: the unit itself
    employee_units: list[int] = []


class UnitDifference(Model):
    """One difference as a page reads it (:meth:`UnitDifferences.get`): the numbers, or
    why it is hidden."""

    unit: int
    figure: str
    audience: Audience
    against: Against
    against_unit: int
    difference: Number = None
    ci_low: Number = None
    ci_high: Number = None
    p: Number = None
    d: Number = None
    hidden: Hidden | None = None
    #: the location's teams together, when they stand for it (see UnitComparison)
    employee_units: list[int] = []

    @property
    def visible(self) -> bool:
        """True when the difference may be shown."""
        return self.hidden is None


class UnitDifferences(Model):
    """Every unit against its region and the organisation in ``wave`` (the latest);
    ``level`` is the confidence level of the intervals."""

    wave: str
    level: float = 0.95
    comparisons: list[UnitComparison] = []
    _by_key: dict[tuple[int, str, str], UnitComparison] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._by_key = {(c.unit, c.audience, c.against): c for c in self.comparisons}

    def get(
        self, unit: int, figure: str, against: Against, audience: Audience = "employee"
    ) -> UnitDifference | None:
        """The difference of ``unit`` on ``figure`` against its region or the
        organisation (hidden: with its reason), or ``None`` when there is none (the unit
        is the organisation or the whole of its region, has no region, or the figure was
        not compared)."""
        found = self._by_key.get((unit, audience, against))
        if found is None:
            return None
        key = dict(
            unit=unit,
            figure=figure,
            audience=audience,
            against=against,
            against_unit=found.against_unit,
            employee_units=found.employee_units,
        )
        if figure in found.hidden_figures:
            return UnitDifference(**key, hidden=found.hidden_figures[figure])  # type: ignore[arg-type]
        shown = found.figures.get(figure)
        if shown is None:
            return None
        return UnitDifference(**key, **shown.model_dump())  # type: ignore[arg-type]

    def of_unit(self, unit: int) -> list[UnitComparison]:
        """Every comparison of ``unit``."""
        return [c for c in self.comparisons if c.unit == unit]
