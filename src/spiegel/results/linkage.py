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


class FitPoint(Model):
    """The fitted line and its 95% band at one engagement value."""

    x: float
    fit: Number
    lo: Number
    hi: Number


class Coefficient(Model):
    """A regression coefficient with its test and interval."""

    term: str
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


class Linkage(Model):
    """The linkage section: model, points, fitted band, role groups."""

    unit: UnitLinkage
    points: list[LinkagePoint]
    fit: list[FitPoint]
    role_groups: RoleGroupLinkage | None = None
    role_groups_model: str | None = None


class Lagged(Model):
    """Grade at t+1 on engagement at t, controlling for the grade at t."""

    coefficients: list[Coefficient]
    r2: Number
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
