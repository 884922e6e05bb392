r"""The lagged linkage: role groups' measured engagement and the next wave's mean grade.

Each location's expected mean customer grade follows

.. math:: m_{u,t+1} = \mu + \rho\,(\bar y_{u,t} - \mu) + \sum_g \beta_g (E_{g,u,t} - r_g) + e

with :math:`E_{g,u,t}` the measured engagement of role group :math:`g` (see
:func:`role_engagement`) and :math:`r_g` its first-wave mean over locations (see
:class:`spiegel.demo.truth.Truth` for the parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spiegel.demo.organisation import Organisation
from spiegel.demo.truth import ROLE_GROUPS, Truth

__all__ = ["Linkage", "role_engagement"]

SENIOR, MANAGER, FRONT, BACK = (
    ROLE_GROUPS.index(g) for g in ("senior_management", "manager", "front_line", "back_office")
)


def _group_totals(
    values: np.ndarray, keys: np.ndarray, mask: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    ok = mask & ~np.isnan(values)
    total = np.bincount(keys[ok], weights=values[ok], minlength=size)
    count = np.bincount(keys[ok], minlength=size).astype(float)
    return total, count


def role_engagement(
    org: Organisation, score: np.ndarray, respond: np.ndarray
) -> dict[str, np.ndarray]:
    """Measured engagement per location of each role group (see :class:`Truth`)."""
    n_loc, n_reg = org.n_locations, org.n_regions
    role = org.emp_role
    out: dict[str, np.ndarray] = {}

    is_front = role == FRONT
    loc = np.where(org.emp_location >= 0, org.emp_location, 0)
    tot, cnt = _group_totals(score, loc, is_front & respond, n_loc)
    tot_all, cnt_all = _group_totals(score, loc, is_front, n_loc)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["front_line"] = np.where(cnt > 0, tot / cnt, tot_all / cnt_all)

    managers = np.flatnonzero(role == MANAGER)
    manager_of = np.empty(n_loc, dtype=int)
    manager_of[org.emp_location[managers]] = managers
    out["manager"] = score[manager_of]

    for name, code, central in (("senior_management", SENIOR, True), ("back_office", BACK, False)):
        is_role = role == code
        region = np.where(org.emp_region >= 0, org.emp_region, 0)
        at_region = is_role & (org.emp_region >= 0)
        at_org = is_role & (org.emp_region < 0) & central
        ok = ~np.isnan(score)
        r_tot, r_cnt = _group_totals(score, region, at_region & respond, n_reg)
        o_tot = float(score[at_org & respond & ok].sum())
        o_cnt = float((at_org & respond & ok).sum())
        ra_tot, ra_cnt = _group_totals(score, region, at_region, n_reg)
        oa_tot = float(score[at_org & ok].sum())
        oa_cnt = float((at_org & ok).sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            measured = (r_tot + o_tot) / (r_cnt + o_cnt)
            fallback = (ra_tot + oa_tot) / (ra_cnt + oa_cnt)
        per_region = np.where(r_cnt + o_cnt > 0, measured, fallback)
        out[name] = per_region[org.location_region]
    return out


@dataclass
class Linkage:
    """The lagged equation of :class:`~spiegel.demo.truth.Truth`.

    ``reference`` (:math:`r_g`) is set by :meth:`first_grade`, which centres the
    equation at the first wave's measured engagement; call it before the other methods.
    """

    truth: Truth
    reference: dict[str, float] = field(default_factory=dict)

    def engagement_term(self, engagement: dict[str, np.ndarray]) -> np.ndarray:
        """:math:`\\sum_g \\beta_g (E_{g,u,t} - r_g)` per location."""
        beta, ref = self.truth.role_weight_map, self.reference
        return np.asarray(sum(beta[g] * (engagement[g] - ref[g]) for g in ROLE_GROUPS))

    def first_grade(
        self, engagement: dict[str, np.ndarray], rng: np.random.Generator
    ) -> np.ndarray:
        """Centre the equation at ``engagement`` (each role group's mean over locations)
        and draw the first wave's expected grade from the stationary distribution."""
        self.reference = {g: float(np.nanmean(engagement[g])) for g in ROLE_GROUPS}
        t = self.truth
        mu, rho, sd_e = t.grade_mean, t.grade_persistence, t.grade_shock_sd
        link = self.engagement_term(engagement)
        return mu + link / (1 - rho) + rng.normal(0.0, sd_e / np.sqrt(1 - rho**2), size=link.size)

    def next_grade(
        self,
        engagement: dict[str, np.ndarray],
        mean_grade: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """:math:`m_{u,t+1}` from this wave's engagement and observed ``mean_grade``."""
        t = self.truth
        mu, rho, sd_e = t.grade_mean, t.grade_persistence, t.grade_shock_sd
        link = self.engagement_term(engagement)
        return mu + rho * (mean_grade - mu) + link + rng.normal(0.0, sd_e, size=link.size)

    @property
    def intercept(self) -> float:
        """:math:`a` of the equation written without centring (see ``GroundTruth``)."""
        t, beta = self.truth, self.truth.role_weight_map
        mu, rho = t.grade_mean, t.grade_persistence
        return float(mu * (1 - rho) - sum(beta[g] * self.reference[g] for g in ROLE_GROUPS))
