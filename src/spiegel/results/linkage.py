"""How employees' engagement and customers' grades are linked across locations."""

from __future__ import annotations

from spiegel.results.base import Model, Number


class UnitLinkage(Model):
    """Engagement against the grade across locations: correlations and the weighted line."""

    n_units: int
    n_dropped: int
    pearson_r: Number
    pearson_p: Number
    pearson_ci_low: Number
    pearson_ci_high: Number
    spearman_rho: Number
    spearman_p: Number
    intercept: Number
    slope: Number
    slope_se: Number
    slope_p: Number
    slope_ci_low: Number
    slope_ci_high: Number
    r2: Number
    boot_ci_low: Number
    boot_ci_high: Number
    n_boot: int
    weighted: bool
    level: float


class LinkagePoint(Model):
    """One location in the scatter (both of its figures passed the gate)."""

    location: int
    name: str
    engagement: float
    grade: float
    n_customers: int
    #: whose employees' figures stand for the location: its teams together when the
    #: location's own figure is hidden to protect the few people attached to it directly
    #: (its manager); empty: the location itself
    employee_units: list[int] = []


class FitPoint(Model):
    """The fitted line and its 95% band at one engagement value."""

    x: float
    fit: Number
    lo: Number
    hi: Number


class Coefficient(Model):
    """A regression coefficient with its test and interval (``estimand``: which model it
    belongs to, when a result holds more than one)."""

    term: str
    estimand: str | None = None
    estimate: Number
    se: Number
    t: Number = None
    z: Number = None
    p: Number
    ci_low: Number
    ci_high: Number


class RoleCoefficient(Model):
    role: str
    estimate: Number
    se: Number
    t: Number
    p: Number
    ci_low: Number
    ci_high: Number
    std_estimate: Number
    std_ci_low: Number
    std_ci_high: Number


class RoleGroupLinkage(Model):
    """The grade on the engagement of each role group, as separate predictors."""

    coefficients: list[RoleCoefficient]
    intercept: Number
    r2: Number
    adj_r2: Number
    n_units: int
    n_dropped: int
    weighted: bool
    level: float


class CorrectedCoefficient(Model):
    """A role group's slope corrected for the unreliability of small-group means, beside
    the naive slope on the observed means (``kind``: role group or covariate)."""

    term: str
    kind: str
    reliability: Number
    estimate: Number
    se: Number
    ci_low: Number
    ci_high: Number
    std_estimate: Number
    std_ci_low: Number
    std_ci_high: Number
    naive_estimate: Number
    naive_ci_low: Number
    naive_ci_high: Number
    naive_boot_ci_low: Number
    naive_boot_ci_high: Number
    naive_std_estimate: Number


class RoleReliability(Model):
    """How reliable a role group's unit means are in one wave (only for role groups whose
    own figures may be shown): the share of a unit mean's variance that is real."""

    wave: str
    role_group: str
    n_units: int
    icc: Number
    mean_reliability: Number
    min_reliability: Number
    max_reliability: Number


class CorrectedRoleGroupLinkage(Model):
    """The role-group linkage by regression calibration (empirical-Bayes unit means),
    with cluster-bootstrap intervals. ``problem`` says, in English, why there is no
    corrected estimate (the naive slopes and reliabilities are then still given);
    ``left_out`` names role groups measured by too few units to include."""

    coefficients: list[CorrectedCoefficient]
    reliability: list[RoleReliability]
    intercept: Number
    naive_intercept: Number
    r2: Number
    naive_r2: Number
    n_units: int
    n_clusters: int
    n_dropped: int
    n_boot: int
    n_boot_failed: int
    level: float
    problem: str
    left_out: list[str] = []


class Linkage(Model):
    """The linkage section: model, points, fitted band, role groups (naive and corrected
    for unreliable group means)."""

    unit: UnitLinkage
    points: list[LinkagePoint]
    fit: list[FitPoint]
    role_groups: RoleGroupLinkage | None = None
    role_groups_model: str | None = None
    role_groups_corrected: CorrectedRoleGroupLinkage | None = None


class Lagged(Model):
    """Grade at t+1 on engagement at t: ``coefficients`` controlling for the grade at t
    (estimand ``adjusted``), ``unadjusted`` without it; ``estimands`` says each in words."""

    coefficients: list[Coefficient]
    unadjusted: list[Coefficient] = []
    estimands: dict[str, str] = {}
    r2: Number
    r2_unadjusted: Number = None
    n_pairs: int
    n_units: int
    n_wave_pairs: int
    se_type: str
    n_dropped: int
    level: float


class PanelEstimate(Model):
    lhs: str
    rhs: str
    wave_from: str
    wave_to: str
    kind: str
    estimate: Number
    se: Number
    z: Number
    p: Number
    ci_low: Number = None
    ci_high: Number = None
    std: Number


class CrossLagged(Model):
    """The (random-intercept) cross-lagged panel model."""

    model: str
    estimates: list[PanelEstimate]
    chi2: Number
    df: int
    p: Number
    cfi: Number
    tli: Number
    rmsea: Number
    srmr: Number
    n_units: int
    n_dropped: int
    waves: list[str]
    syntax: str
    converged: bool
    level: float = 0.95


class Multilevel(Model):
    """Customers nested in locations (REML)."""

    fixed_effects: list[Coefficient]
    random_intercept_var: Number
    residual_var: Number
    icc: Number
    n_customers: int
    n_units: int
    n_dropped: int
    reml_loglik: Number
    converged: bool
    level: float
