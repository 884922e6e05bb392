"""Drivers, mirror, risk, ambition and comments."""

from __future__ import annotations

from spiegel.results.base import Model, Number


class Driver(Model):
    """A driver's relative importance (with bootstrap CIs) and its place in the matrix."""

    predictor: str
    general_dominance: Number
    general_dominance_ci_low: Number = None
    general_dominance_ci_high: Number = None
    relative_weight: Number
    relative_weight_ci_low: Number = None
    relative_weight_ci_high: Number = None
    rank: int
    importance: Number
    performance: Number
    high_importance: bool | None = None
    high_performance: bool | None = None
    quadrant: str | None = None


class Drivers(Model):
    """Key drivers of engagement and of the customer grade (organisation-wide)."""

    engagement: list[Driver]
    engagement_r2: Number
    grade: list[Driver] = []
    grade_r2: Number = None
    grade_n_dropped: int | None = None


class MirrorGap(Model):
    """Customers' mean against employees' expected mean of one aspect (``unit`` ``None``:
    the whole organisation)."""

    unit: int | None = None
    aspect: str
    n_customer: int
    mean_customer: Number
    sd_customer: Number
    n_employee: int
    mean_employee: Number
    sd_employee: Number
    gap: Number
    t: Number
    df: Number
    p: Number
    ci_low: Number
    ci_high: Number
    d: Number
    label: str
    #: whose employees' figures stand for the location: its teams together when the
    #: location's own figure is hidden to protect the few people attached to it directly
    #: (its manager); empty: the location itself
    employee_units: list[int] = []


class Mirror(Model):
    overall: list[MirrorGap]
    units: list[MirrorGap]


class RiskUnit(Model):
    """Strain and recovery of a location, the flags they raise, and HR outcomes."""

    unit: int
    emotional_dissonance: Number
    exhaustion: Number
    recovery: Number
    dissonance_high: bool | None
    exhaustion_high: bool | None
    recovery_low: bool | None
    risk_level: str
    reason: str
    missing: str
    absenteeism: Number = None
    turnover: Number = None
    #: whose employees' figures stand for the location: its teams together when the
    #: location's own figure is hidden to protect the few people attached to it directly
    #: (its manager); empty: the location itself
    employee_units: list[int] = []


class RiskOutcomeLink(Model):
    """Absenteeism in flagged locations against the others."""

    risk_column: str
    outcome: str
    n_flagged: int
    n_other: int
    mean_flagged: Number
    mean_other: Number
    difference: Number
    t: Number
    df: Number
    p: Number
    ci_low: Number
    ci_high: Number
    d: Number
    r: Number
    r_p: Number
    r_ci_low: Number
    r_ci_high: Number
    n: int
    n_dropped: int


class Risk(Model):
    units: list[RiskUnit]
    absenteeism_link: RiskOutcomeLink | None = None


class AmbitionUnit(Model):
    """What customer grade is reachable for a location, and whether its target is."""

    location: int
    region: str | None = None
    engagement: Number
    engagement_target: Number
    current: Number
    model_prediction: Number
    peer_benchmark: Number
    reachable: Number
    target: Number = None
    shortfall: Number = None
    flag: str
    reason: str
    #: whose employees' figures stand for the location: its teams together when the
    #: location's own figure is hidden to protect the few people attached to it directly
    #: (its manager); empty: the location itself
    employee_units: list[int] = []


class CommentList(Model):
    """Open comments of one audience at one location (only from groups above the comment
    minimum), in a stable shuffled order; personal details masked, equal texts once."""

    audience: str
    unit: int
    texts: list[str]
    #: how often each text was given, in the order of ``texts`` (empty: once each)
    counts: list[int] = []
    #: the theme of each text: its position in the ``themes`` of this audience's
    #: :class:`CommentThemes`, -1 for none (empty: no themes)
    theme_of: list[int] = []

    def count(self, i: int) -> int:
        """How often text ``i`` was given."""
        return self.counts[i] if self.counts else 1

    @property
    def n(self) -> int:
        """The comments, equal ones counted as often as they were given."""
        return sum(self.counts) if self.counts else len(self.texts)

    def theme_counts(self, n_themes: int) -> list[int]:
        """Comments (equal ones counted as often as given) per theme, in theme order."""
        out = [0] * n_themes
        for i, j in enumerate(self.theme_of):
            if 0 <= j < n_themes:
                out[j] += self.count(i)
        return out


class CommentTheme(Model):
    """One theme of the open comments: named by its top terms."""

    label: str
    terms: list[str]
    count: int
    examples: list[str]


class CommentThemes(Model):
    """Themes of one audience's open comments over the organisation (TF-IDF and NMF)."""

    audience: str
    unit: int
    #: comments the themes were found in (equal ones counted as often as given)
    comments: int
    #: of those, comments in no theme (no word the themes share)
    other: int
    themes: list[CommentTheme]
