"""Customer figures of the organisation as a whole."""

from __future__ import annotations

from spiegel.results.base import Model, Number


class GradeSummary(Model):
    """The overall grade (1-10): mean with its CI, and the distribution."""

    n: int
    mean: Number
    sd: Number
    se: Number
    ci_low: Number
    ci_high: Number
    distribution: dict[int, int]
    share_8_plus: Number
    n_dropped: int
    level: float


class NPS(Model):
    """Net Promoter Score with its confidence interval."""

    nps: Number
    se: Number
    ci_low: Number
    ci_high: Number
    n: int
    promoters: int
    passives: int
    detractors: int
    n_dropped: int
    method: str
    level: float


class CustomerWave(Model):
    """Grade and NPS of one wave (each only when enough customers answered it)."""

    wave: str
    grade: GradeSummary | None = None
    nps: NPS | None = None


class MomentOfTruth(Model):
    """A moment of truth of the customer journey (latest wave, whole organisation)."""

    aspect: str
    n: int
    mean: Number
    sd: Number
    se: Number
    ci_low: Number
    ci_high: Number
    n_dropped: int
