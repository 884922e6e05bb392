"""The ground truth of the demo organisation: every parameter of the data-generating process.

:class:`Truth` holds the *parameters* (fixed, the same for every seed); the seed decides
which locations are blind spots or drift into burn-out, and the latent values that follow.
Those realised facts are collected in :class:`spiegel.demo.data.GroundTruth` and
written to ``ground_truth.json`` next to the data.

Scale names in the parameters are the scale names of the built-in instruments
(``drivers``, ``engagement``, ``strain``); item ids are never written here: the generator
takes them from the instruments at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType

import numpy as np

__all__ = ["ROLE_GROUPS", "Truth"]

#: The four role groups, in the order used everywhere in the demo.
ROLE_GROUPS: tuple[str, ...] = ("senior_management", "manager", "front_line", "back_office")

_Pairs = tuple[tuple[str, float], ...]


def _mapping(pairs: _Pairs) -> Mapping[str, float]:
    return MappingProxyType(dict(pairs))


@dataclass(frozen=True)
class Truth:
    """Parameters of the demo's data-generating process.

    Latent scale (employees)
        Every latent driver and strain variable has variance 1 in the population and
        is the sum of a climate-group part (a location's front-line staff, one
        manager, a region's senior team or office) that follows an AR(1) process over
        waves with ``persistence``, a stable person part and a wave-specific person part
        (shares ``unit_share``, ``person_share``, the rest). Drivers correlate
        ``driver_correlation`` with each other, except the pairs in
        ``driver_correlation_pairs``.

    Engagement
        :math:`\\eta = \\sum_k b_k D_k - c\\,(D_{workload}^2 - 1) + s_{role} + \\zeta`,
        with ``driver_weights`` :math:`b_k` (standardised: drivers and :math:`\\eta`
        have variance 1), ``workload_curvature`` :math:`c` (too much and too little work
        both hurt) and ``role_engagement_shift`` :math:`s_{role}`. Each engagement
        sub-scale (vigor, dedication, absorption) is
        ``subscale_loading`` · η + an own part.

    Measurement model
        Item :math:`j` of a scale with latent :math:`\\theta`:
        :math:`y^*_j = \\lambda_j\\theta + \\sqrt{1-\\lambda_j^2}\\,\\varepsilon_j + o_s - d_j`,
        answered :math:`1 + \\#\\{\\tau : y^*_j > \\tau\\}` on a five-point scale with
        ``thresholds`` τ; loadings :math:`\\lambda_j` and difficulties :math:`d_j` cycle
        through ``item_loadings`` and ``item_shifts`` in the order of the scale's items;
        :math:`o_s` is ``scale_offsets`` (default 0). Reverse-keyed items are generated
        in the construct's direction and stored reversed. ``item_missing`` of the
        answers are left blank at random.

    Customers (the linkage)
        For location :math:`u`, the expected mean grade in wave :math:`t+1` is

        .. math::

            m_{u,t+1} = \\mu + \\rho\\,(\\bar y_{u,t} - \\mu)
              + \\sum_g \\beta_g\\,(E_{g,u,t} - r_g) + e_{u,t+1},
            \\qquad e \\sim N(0, \\sigma_e^2)

        with ``grade_mean`` μ, ``grade_persistence`` ρ, ``role_weights`` :math:`\\beta_g`
        and ``grade_shock_sd`` :math:`\\sigma_e`. :math:`\\bar y_{u,t}` is the location's
        observed mean grade and :math:`E_{g,u,t}` the *measured* engagement of role
        group g (mean over the group's respondents of the mean of their engagement
        items): front line of the location's teams, the location's manager, and the
        senior management and back office of the location's region and of the
        organisation. :math:`r_g` centres each group at its first-wave mean. Because
        the equation is written on the measured means, the unit-level regressions of
        the analysis are correctly specified and :math:`\\beta_g`, ρ are their
        estimands. A customer's grade is drawn with mean exactly :math:`m_{u,t}`
        (stochastic rounding; an ``unhappy_share`` of customers grades 2–5).

    Mirror
        Employees predict the customers' mean rating of each aspect with a general
        optimism of ``mirror_bias``; at ``blind_spot_share`` of the locations they
        over-estimate ``blind_spot_aspects`` aspects by ``blind_spot_gap`` more; at
        ``hidden_strength_share`` of the locations they under-estimate one aspect by
        ``hidden_strength_gap``.

    Burn-out
        ``burnout_share`` of the locations (at least one) drift from wave
        ``burnout_start`` on: per wave their climate part of emotional dissonance and
        exhaustion rises by ``burnout_drift_dissonance`` / ``burnout_drift_exhaustion``
        and of recovery falls by ``burnout_drift_recovery`` (latent SD units).

    Outcomes per location and wave
        absenteeism % = ``absenteeism_base`` + ``absenteeism_per_exhaustion`` ·
        (latent climate exhaustion) + noise; turnover % = ``turnover_base`` +
        ``turnover_per_engagement`` · (latent climate engagement) +
        ``turnover_per_exhaustion`` · (latent climate exhaustion) + noise.
    """

    # --- latent structure -------------------------------------------------------------
    unit_share: float = 0.20
    office_share: float = 0.35
    person_share: float = 0.45
    persistence: float = 0.70
    driver_weights: _Pairs = (
        ("trust", 0.30),
        ("feedback", 0.26),
        ("autonomy", 0.24),
        ("workload", -0.04),
        ("leadership_support", 0.04),
        ("recovery", 0.08),
        ("strengths_use", 0.07),
        ("goal_clarity", 0.05),
    )
    workload_curvature: float = 0.06
    driver_correlation: float = 0.30
    driver_correlation_pairs: tuple[tuple[str, str, float], ...] = (
        ("trust", "feedback", 0.45),
        ("trust", "leadership_support", 0.40),
        ("feedback", "leadership_support", 0.40),
        ("autonomy", "strengths_use", 0.40),
        ("goal_clarity", "leadership_support", 0.40),
        ("workload", "recovery", -0.35),
        ("workload", "trust", -0.05),
        ("workload", "feedback", -0.05),
        ("workload", "autonomy", -0.10),
        ("workload", "leadership_support", -0.05),
        ("workload", "strengths_use", 0.0),
        ("workload", "goal_clarity", 0.0),
    )
    subscale_loading: float = 0.90
    role_engagement_shift: _Pairs = (
        ("senior_management", 0.35),
        ("manager", 0.25),
        ("front_line", 0.0),
        ("back_office", -0.10),
    )
    strain_from_recovery: float = -0.35
    strain_from_workload: float = 0.25
    strain_from_dissonance: float = 0.35

    # --- measurement --------------------------------------------------------------
    item_loadings: tuple[float, ...] = (0.80, 0.72, 0.76, 0.68)
    item_shifts: tuple[float, ...] = (0.0, 0.15, -0.10, 0.20, -0.05)
    thresholds: tuple[float, ...] = (-1.88, -1.17, -0.41, 0.77)
    scale_offsets: _Pairs = (
        ("emotional_dissonance", -1.05),
        ("exhaustion", -1.05),
        ("workload", 0.25),
        ("recovery", -0.10),
        ("goal_clarity", 0.20),
        ("absorption", -0.15),
    )
    item_missing: float = 0.01
    mirror_missing: float = 0.03

    # --- responses ----------------------------------------------------------------
    response_rate_low: float = 0.70
    response_rate_high: float = 0.85
    unit_response_sd: float = 0.35
    small_team_share: float = 0.06
    employee_comment_rate: float = 0.06

    # --- customers and the linkage -----------------------------------------------
    grade_mean: float = 7.6
    grade_persistence: float = 0.40
    grade_shock_sd: float = 0.25
    role_weights: _Pairs = (
        ("senior_management", 0.60),
        ("manager", 0.25),
        ("front_line", 0.45),
        ("back_office", 0.12),
    )
    customer_sd: float = 0.95
    customer_bound: float = 2.3
    unhappy_share: float = 0.03
    comment_rate: float = 0.10
    comment_rate_extreme: float = 0.25
    # Cycled over the customer instrument's aspects / moments of truth in item order.
    aspect_offsets: tuple[float, ...] = (0.3, 0.1, -0.1, -0.3, -0.4, 0.2)
    aspect_answer_rate: float = 0.92
    moment_offsets: tuple[float, ...] = (-0.2, 0.1, 0.2, 0.0, -0.3, -0.8)
    moment_answer_rates: tuple[float, ...] = (0.55, 0.40, 0.92, 0.92, 0.85, 0.12)

    # --- mirror -------------------------------------------------------------------
    mirror_bias: float = 0.10
    mirror_sd: float = 0.70
    blind_spot_share: float = 0.08
    blind_spot_aspects: int = 2
    blind_spot_gap: float = 1.6
    hidden_strength_share: float = 0.04
    hidden_strength_gap: float = -1.3
    aspect_location_sd: float = 0.30

    # --- burn-out -----------------------------------------------------------------
    burnout_share: float = 0.05
    burnout_start: int = 1
    burnout_drift_dissonance: float = 0.65
    burnout_drift_exhaustion: float = 0.50
    burnout_drift_recovery: float = -0.75

    # --- outcomes -----------------------------------------------------------------
    absenteeism_base: float = 4.8
    absenteeism_per_exhaustion: float = 2.0
    absenteeism_sd: float = 0.6
    turnover_base: float = 6.0
    turnover_per_engagement: float = -2.5
    turnover_per_exhaustion: float = 1.0
    turnover_sd: float = 1.0

    notes: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name in ("unit_share", "office_share"):
            shares = (getattr(self, name), self.person_share)
            if min(shares) < 0 or sum(shares) >= 1:
                raise ValueError(
                    f"Truth: {name} and person_share must be >= 0 and sum to < 1, got {shares}"
                )
        if not 0 <= self.persistence < 1:
            raise ValueError(f"Truth: persistence must lie in [0, 1), got {self.persistence}")
        if not 0 <= self.grade_persistence < 1:
            raise ValueError(
                f"Truth: grade_persistence must lie in [0, 1), got {self.grade_persistence}"
            )
        if not 0 < self.response_rate_low <= self.response_rate_high < 1:
            raise ValueError(
                "Truth: need 0 < response_rate_low <= response_rate_high < 1, got "
                f"{self.response_rate_low}, {self.response_rate_high}"
            )
        missing = set(ROLE_GROUPS) - set(self.role_weight_map)
        if missing:
            raise ValueError(f"Truth.role_weights lacks role group(s) {sorted(missing)}")
        if np.diff(self.thresholds).min() <= 0:
            raise ValueError(f"Truth.thresholds must increase, got {self.thresholds}")
        explained = self.explained_variance
        if explained >= 1:
            raise ValueError(
                f"Truth: the drivers explain {explained:.3f} >= 1 of the latent engagement "
                "variance; lower driver_weights"
            )

    # --- derived views -------------------------------------------------------------

    @property
    def driver_names(self) -> tuple[str, ...]:
        """The driver scales, in the order of ``driver_weights``."""
        return tuple(name for name, _ in self.driver_weights)

    @property
    def driver_weight_map(self) -> Mapping[str, float]:
        """``{driver: standardised weight}``."""
        return _mapping(self.driver_weights)

    @property
    def role_weight_map(self) -> Mapping[str, float]:
        """``{role group: lagged effect of its measured engagement on the grade}``."""
        return _mapping(self.role_weights)

    @property
    def role_shift_map(self) -> Mapping[str, float]:
        """``{role group: latent engagement shift}``."""
        return _mapping(self.role_engagement_shift)

    @property
    def scale_offset_map(self) -> Mapping[str, float]:
        """``{scale: offset of its item latents}`` (0 for scales not named)."""
        return _mapping(self.scale_offsets)

    @property
    def lagged_effect(self) -> float:
        """The lagged effect: grade points at t+1 per point of front-line engagement at t."""
        return self.role_weight_map["front_line"]

    @property
    def role_order(self) -> tuple[str, ...]:
        """Role groups from the largest lagged weight to the smallest."""
        return tuple(sorted(ROLE_GROUPS, key=lambda g: -self.role_weight_map[g]))

    @property
    def top_drivers(self) -> tuple[str, ...]:
        """The three drivers with the largest absolute standardised weight."""
        ranked = sorted(self.driver_weights, key=lambda kv: -abs(kv[1]))
        return tuple(name for name, _ in ranked[:3])

    def driver_correlation_matrix(self) -> np.ndarray:
        """Correlation matrix Φ of the latent drivers, in ``driver_names`` order."""
        names = self.driver_names
        k = len(names)
        phi = np.full((k, k), self.driver_correlation)
        np.fill_diagonal(phi, 1.0)
        index = {n: i for i, n in enumerate(names)}
        for a, b, r in self.driver_correlation_pairs:
            if a not in index or b not in index:
                raise ValueError(
                    f"Truth.driver_correlation_pairs names an unknown driver: {a!r}, {b!r}"
                )
            phi[index[a], index[b]] = phi[index[b], index[a]] = r
        if np.linalg.eigvalsh(phi).min() <= 0:
            raise ValueError("Truth: the driver correlation matrix is not positive definite")
        return phi

    @property
    def explained_variance(self) -> float:
        """Share of latent engagement variance explained by the drivers (linear + curve)."""
        b = np.array([w for _, w in self.driver_weights])
        phi = self.driver_correlation_matrix()
        # Var(D^2 - 1) = 2 for a standard normal D.
        return float(b @ phi @ b + 2 * self.workload_curvature**2)

    def to_dict(self) -> dict[str, object]:
        """Every parameter, JSON-ready (pairs become objects)."""
        out: dict[str, object] = {}
        for key, value in asdict(self).items():
            if key == "notes":
                continue
            if key in {
                "driver_weights",
                "role_engagement_shift",
                "role_weights",
                "scale_offsets",
            }:
                out[key] = {k: v for k, v in value}
            elif key == "driver_correlation_pairs":
                out[key] = [{"a": a, "b": b, "r": r} for a, b, r in value]
            elif isinstance(value, tuple):
                out[key] = list(value)
            else:
                out[key] = value
        out["lagged_effect"] = self.lagged_effect
        out["role_order"] = list(self.role_order)
        out["top_drivers"] = list(self.top_drivers)
        out["explained_variance"] = round(self.explained_variance, 10)
        return out
