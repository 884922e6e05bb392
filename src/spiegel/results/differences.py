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


class UnitDifference(Model):
    """One unit's figure against the wider group's, in one wave.

    ``difference`` is ``mean - mean_against`` (the wider group includes the unit). The
    test and interval compare the unit with the rest of the wider group (Welch's
    unequal-variance t-test, as R ``t.test(unit, rest)``); the interval of the rest
    comparison is scaled by ``n_rest / n_against`` to the difference shown, which leaves
    ``t``, ``df`` and ``p`` as they are. ``d`` is Cohen's d of the unit against the rest
    (pooled standard deviation). A hidden difference (``hidden`` set) has no numbers.
    """

    unit: int
    wave: str
    audience: Audience
    figure: str
    against: Against
    against_unit: int
    n: int | None = None
    n_against: int | None = None
    mean: Number = None
    mean_against: Number = None
    difference: Number = None
    ci_low: Number = None
    ci_high: Number = None
    t: Number = None
    df: Number = None
    p: Number = None
    d: Number = None
    hidden: Hidden | None = None

    @property
    def visible(self) -> bool:
        """True when the difference may be shown."""
        return self.hidden is None


class UnitDifferences(Model):
    """Every unit against its region and the organisation (latest wave), one row per
    unit, figure and comparison; ``level`` is the confidence level of the intervals."""

    wave: str
    level: float = 0.95
    rows: list[UnitDifference] = []
    _by_key: dict[tuple[int, str, str, str], UnitDifference] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._by_key = {(r.unit, r.audience, r.figure, r.against): r for r in self.rows}

    def get(
        self, unit: int, figure: str, against: Against, audience: Audience = "employee"
    ) -> UnitDifference | None:
        """The difference of ``unit`` on ``figure`` against its region or the
        organisation, or ``None`` when there is none (the unit is the organisation, has
        no region, or the figure was not compared)."""
        return self._by_key.get((unit, audience, figure, against))

    def of_unit(self, unit: int) -> list[UnitDifference]:
        """Every difference of ``unit``."""
        return [r for r in self.rows if r.unit == unit]
