"""Who and what the results describe: organisation, units, scales, waves, steps."""

from __future__ import annotations

from typing import Literal

from spiegel.results.base import Model, Number, Title


class OrganisationRef(Model):
    slug: str
    name: str


class Minimums(Model):
    """The privacy minimums the results were protected with."""

    min_scores: int
    min_comments: int
    min_360_group: int


class UnitInfo(Model):
    """A unit of the tree (``parent_id`` ``None`` at the top)."""

    id: int
    code: str
    name: str
    kind: str
    unit_type: str | None = None
    parent_id: int | None = None
    depth: int


class ScaleInfo(Model):
    """A scale of the employee questionnaire, its title, response range and direction.

    ``higher_is_better`` is ``False`` for a scale where a high score is worrying
    (workload, exhaustion, emotional dissonance), as the instrument says.
    """

    name: str
    title: Title | None = None
    min: float
    max: float
    higher_is_better: bool = True


class ScaleGroups(Model):
    """Which scales are engagement, drivers and strain."""

    engagement: list[str] = []
    drivers: list[str] = []
    strain: list[str] = []


StepStatus = Literal["ok", "not_available", "failed"]


class Step(Model):
    """One analysis step: how it went and how long it took.

    ``not_available`` steps lacked what they need (no customer survey yet, one wave only);
    ``reason`` says what in plain words, in both languages. ``failed`` steps met an
    unexpected error: the details went to the log, not into the results.
    """

    name: str
    seconds: float
    status: StepStatus = "ok"
    reason: Title | None = None
    #: what an ``ok`` step left out and why (items nobody answered, scales without data)
    notes: list[Title] = []


class ResponseWave(Model):
    """Respondents of the organisation in one wave (``None`` when fewer than the minimum)."""

    wave: str
    employees: int | None = None
    headcount: int
    response_rate: Number = None
    customers: int | None = None
