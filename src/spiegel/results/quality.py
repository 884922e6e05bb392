"""Measurement quality: reliability, the factor model, whether aggregation is justified."""

from __future__ import annotations

from spiegel.results.base import Model, Number


class Reliability(Model):
    """Cronbach's alpha and McDonald's omega of a scale (latest wave)."""

    scale: str
    items: int
    n: int
    alpha: Number
    omega: Number


class Loading(Model):
    factor: str
    item: str
    estimate: Number
    se: Number
    std_all: Number


class CFA(Model):
    """The three-factor engagement model and its fit."""

    chi2: Number
    df: int
    p: Number
    cfi: Number
    tli: Number
    rmsea: Number
    rmsea_ci_low: Number
    rmsea_ci_high: Number
    srmr: Number
    loadings: list[Loading]
    n_used: int
    n_dropped: int
    converged: bool
    model: str


class Aggregation(Model):
    """ICC(1), ICC(2) and r_wg(j): may a scale be reported as a unit mean?"""

    scale: str
    icc1: Number
    icc2: Number
    median_rwg: Number
    n_groups: int
    n_used: int
    n_dropped: int
    n_dropped_agreement: int
    justified: bool
    verdict: str
    icc1_min: float
    icc2_min: float
    rwg_min: float
