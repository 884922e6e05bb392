"""Role-group linkage corrected for unreliable unit means (regression calibration).

A location has one or two managers: the mean engagement of its managers is a noisy
measure of the location's management, and a regression of the customer grade on such
means is attenuated towards zero. :func:`corrected_role_group_linkage` replaces each
observed mean by its expected true value given everything observed about the unit
(empirical-Bayes means that also use the other role groups and the covariates), then
regresses the outcome on those, and bootstraps the whole procedure over units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.analysis._calibration import (
    Columns,
    Design,
    Fit,
    bootstrap,
    clusters_of,
    fit,
    measuring_units,
    prepare,
)
from spiegel.analysis._common import (
    check_level,
    drop_incomplete,
    plain,
    require_columns,
    require_min_rows,
    require_numeric,
)

__all__ = ["CorrectedRoleGroupLinkageResult", "corrected_role_group_linkage"]


@dataclass(frozen=True)
class CorrectedRoleGroupLinkageResult:
    """Naive and reliability-corrected coefficients of the role-group linkage.

    ``coefficients`` is indexed by ``term`` (each role group, then each covariate) with
    ``kind`` (``"role group"`` or ``"covariate"``), ``reliability`` (mean reliability of
    the role group's unit means over the unit rows; NaN for covariates), the corrected
    ``estimate``, ``se`` (bootstrap standard deviation), ``ci_low``, ``ci_high``
    (cluster-bootstrap percentile interval), ``std_estimate``, ``std_ci_low``,
    ``std_ci_high`` (standardised by the SD of the *true* unit means), and the naive
    regression on the observed means: ``naive_estimate``, ``naive_ci_low``,
    ``naive_ci_high`` (the usual t interval, which ignores both the measurement error
    and repeated units), ``naive_boot_ci_low``, ``naive_boot_ci_high`` (the same
    bootstrap) and ``naive_std_estimate``.

    ``reliability`` has one row per wave and role group: ``n_units`` (measuring units),
    ``n_people``, ``mean_n``, ``mu``, ``tau2``, ``sigma2``, ``icc``,
    ``mean_reliability``, ``min_reliability``, ``max_reliability``. ``unit_means`` has
    one row per unit row and role group: observed and calibrated mean, ``n`` and
    ``reliability``. Intervals are NaN when ``n_boot`` is 0 or too few resamples
    succeeded: a resample fails when a role group shows no spread between units, which
    leaves its corrected slope without bound, so once more than :math:`\alpha/2` of the
    resamples fail a percentile bound is among them and no interval is given.
    ``n_boot_failed`` counts them.

    ``problem`` is empty when the corrected regression has an estimate; otherwise it
    says why not (a role group whose spread between units is estimated at 0, or true
    means that cannot be told apart from each other or the covariates), the corrected
    columns are NaN, and the naive ones and the reliabilities are still given: they
    show how far the naive slopes are attenuated.
    """

    coefficients: pd.DataFrame
    reliability: pd.DataFrame
    unit_means: pd.DataFrame
    intercept: float
    naive_intercept: float
    r2: float
    naive_r2: float
    n_units: int
    n_clusters: int
    n_dropped: int
    n_people: int
    n_people_dropped: int
    n_boot: int
    n_boot_failed: int
    seed: int
    level: float
    waves: list[object]
    problem: str


def _tables(
    f: Fit,
    d: Design,
    rows: pd.DataFrame,
    boot: np.ndarray,
    level: float,
    c: Columns,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    k, m = len(d.roles), d.z.shape[1]
    terms = [*d.roles, *c.covariates]
    alpha = 1.0 - level

    # A resample without an estimate (no spread between units) stands for a corrected
    # slope without bound: once more than alpha/2 of them fail, a percentile bound
    # falls among them and the interval is not given.
    def pct(cols: slice, corrected: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        part = boot[:, cols]
        n_ok = int(np.isfinite(part[:, 0]).sum())
        if (
            (corrected and f.problem)
            or n_ok < 2
            or boot.shape[0] - n_ok > alpha / 2 * boot.shape[0]
        ):
            nan = np.full(part.shape[1], np.nan)
            return nan, nan, nan
        lo, hi = np.nanquantile(part, [alpha / 2, 1 - alpha / 2], axis=0)
        return lo, hi, np.nanstd(part, axis=0, ddof=1)

    p = 1 + k + m
    lo, hi, se = pct(slice(1, p), corrected=True)
    nlo, nhi, _ = pct(slice(p + 1, 2 * p), corrected=False)
    slo, shi, _ = pct(slice(2 * p, 2 * p + k + m), corrected=True)
    naive_t = _naive_t(d, f, level)
    coefficients = pd.DataFrame(
        {
            "kind": ["role group"] * k + ["covariate"] * m,
            "reliability": [*f.reliability.mean(axis=0), *([np.nan] * m)],
            "estimate": f.corrected[1:],
            "se": se,
            "ci_low": lo,
            "ci_high": hi,
            "std_estimate": f.corrected_std,
            "std_ci_low": slo,
            "std_ci_high": shi,
            "naive_estimate": f.naive[1:],
            "naive_ci_low": naive_t[0],
            "naive_ci_high": naive_t[1],
            "naive_boot_ci_low": nlo,
            "naive_boot_ci_high": nhi,
            "naive_std_estimate": f.naive_std,
        },
        index=pd.Index(terms, name="term"),
    )
    rel_rows = []
    for w, fits in enumerate(f.stage1):
        in_wave = d.wave == w
        for g, one in enumerate(fits):
            s = d.stats[w][g]
            lam = f.reliability[in_wave, g]
            rel_rows.append(
                {
                    "wave": d.waves[w],
                    "role": d.roles[g],
                    "n_units": int(s.n.size),
                    "n_people": int(s.n.sum()),
                    "mean_n": float(s.n.mean()),
                    "mu": one.mu,
                    "tau2": one.tau2,
                    "sigma2": one.sigma2,
                    "icc": one.tau2 / (one.tau2 + one.sigma2),
                    "mean_reliability": float(lam.mean()),
                    "min_reliability": float(lam.min()),
                    "max_reliability": float(lam.max()),
                }
            )
    means = pd.DataFrame(
        {
            "unit": np.repeat(rows[c.unit].to_numpy(), k),
            "wave": np.repeat(np.asarray(d.waves, dtype=object)[d.wave], k),
            "role": np.tile(d.roles, len(rows)),
            "n": [
                int(d.stats[w][g].n[d.source[i, g]]) for i, w in enumerate(d.wave) for g in range(k)
            ],
            "observed": f.observed.ravel(),
            "calibrated": f.calibrated.ravel(),
            "reliability": f.reliability.ravel(),
        }
    )
    return coefficients, pd.DataFrame(rel_rows), means


def _naive_t(d: Design, f: Fit, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The ordinary OLS t interval of the naive coefficients (as ``confint(lm(...))``)."""
    x = np.column_stack([np.ones(d.y.size), f.observed, d.z])
    resid = d.y - x @ f.naive
    df = d.y.size - x.shape[1]
    cov = np.linalg.inv(x.T @ x) * float(resid @ resid) / df
    half = float(stats.t.ppf(0.5 + level / 2, df)) * np.sqrt(np.diag(cov))[1:]
    return f.naive[1:] - half, f.naive[1:] + half


def corrected_role_group_linkage(
    people: pd.DataFrame,
    units: pd.DataFrame,
    outcome: str,
    *,
    roles: Sequence[object] | None = None,
    covariates: Sequence[str] = (),
    unit: str = "unit",
    wave: str | None = "wave",
    role: str = "role_group",
    value: str = "engagement",
    sources: Mapping[object, str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> CorrectedRoleGroupLinkageResult:
    r"""The outcome on each role group's engagement, corrected for unreliable unit means.

    The naive regression (:func:`role_group_linkage`) uses each unit's observed mean
    engagement :math:`W_{gu}` of role group :math:`g`, a mean of :math:`n_{gu}` people.
    With one or two people the mean is mostly noise and the slope is attenuated by
    roughly the reliability :math:`\lambda_{gu} = \tau^2_g / (\tau^2_g + \sigma^2_g /
    n_{gu})`. This function uses regression calibration instead:

    1. per wave and role group, REML fit of ``engagement ~ 1 + (1 | measuring unit)``
       (:func:`shrunken_group_means`): :math:`\hat\mu_g`, :math:`\hat\tau^2_g`,
       :math:`\hat\sigma^2_g`;
    2. per wave, each unit's true role-group means are replaced by their best linear
       prediction from its observed means and covariates :math:`Z_u`,

       .. math::

           \hat X_u = \hat\mu + \Sigma_{X\cdot}\,(\Sigma + D_u \oplus 0)^{-1}
                      \big((W_u, Z_u) - (\hat\mu, \bar Z)\big), \qquad
           D_u = \mathrm{diag}(\hat\sigma^2_g / n_{gu}),

       where :math:`\Sigma` is the between-unit covariance of the true means and the
       covariates (diagonal :math:`\hat\tau^2_g`, other entries sample covariances;
       when it is not positive definite the role groups cannot be told apart and the
       fit stops with an error). With one role group and no covariates this is
       the empirical-Bayes mean :math:`\hat\mu + \lambda_u (W_u - \hat\mu)`
       (lme4's ``coef``); with several it is Croon & van Veldhoven's adjusted mean;
    3. OLS of the outcome on :math:`\hat X_u` and :math:`Z_u`, pooled over waves.

    Under normal true means and errors :math:`E[y \mid W, Z]` is linear in
    :math:`E[X \mid W, Z]`, so step 3 estimates the coefficients of the true means.
    Intervals come from a cluster bootstrap that resamples units (all their waves;
    units that share a measuring unit, e.g. a region's senior managers, are resampled
    together) and redoes steps 1–3: percentile interval, SD as ``se``. The naive
    coefficients are reported beside them with their usual t interval, which is
    centred on the attenuated value and so does not cover the true coefficient more
    often than by chance, and with the same bootstrap.

    Parameters
    ----------
    people : DataFrame
        One row per person and wave: ``unit`` (the unit whose role-group mean the
        person's answer enters: a location, or a region for its senior managers),
        ``role``, ``value`` and (unless ``wave`` is None) ``wave``.
    units : DataFrame
        One row per unit and wave: ``unit``, ``wave``, ``outcome`` (e.g. the grade at
        the next wave), ``covariates`` (e.g. the grade now) and the ``sources`` columns.
    outcome : str
        Outcome column of ``units``.
    roles : sequence, optional
        Role groups to use as predictors (default: all in ``people``, sorted).
    covariates : sequence of str
        Columns of ``units`` used as error-free predictors.
    unit, wave, role, value : str
        Column names; ``wave=None`` for one cross-section.
    sources : mapping, optional
        Role group -> column of ``units`` naming the unit whose people measure that
        role group for the row (default: the row's own unit).
    n_boot : int
        Bootstrap resamples (0 skips the intervals).
    seed : int
        Seed of the bootstrap.
    level : float
        Confidence level.

    Returns
    -------
    CorrectedRoleGroupLinkageResult

    Raises
    ------
    ValueError
        When a column is missing or not numeric, a unit has two rows for one wave, a
        role group has fewer than 3 measuring units or no unit with two people in a
        wave, the observed means and covariates are collinear, or fewer than
        (predictors + 2) complete unit rows remain. A corrected regression without
        estimate is not an error: see ``problem``.

    References
    ----------
    Carroll, R. J., Ruppert, D., Stefanski, L. A., & Crainiceanu, C. M. (2006).
    *Measurement error in nonlinear models* (2nd ed.). Chapman & Hall, ch. 4.
    Croon, M. A., & van Veldhoven, M. J. P. M. (2007). Predicting group-level outcome
    variables from variables measured at the individual level: a latent variable
    multilevel model. *Psychological Methods* 12(1), 45–57.
    Lüdtke, O., Marsh, H. W., Robitzsch, A., Trautwein, U., Asparouhov, T., & Muthén, B.
    (2008). The multilevel latent covariate model. *Psychological Methods* 13(3),
    203–229.

    Examples
    --------
    # R: per wave and role: m <- lme4::lmer(engagement ~ 1 + (1 | unit), REML = TRUE)
    #    (tau2, sigma2 from VarCorr(m); mu from fixef(m)); calibrate as above;
    #    lm(grade_next ~ cal_manager + cal_front_line + ... + grade, data = units)
    """
    level = check_level(level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 0:
        raise ValueError(f"corrected_role_group_linkage: n_boot must be 0 or more, got {n_boot!r}")
    src = dict(sources or {})
    covs = list(covariates)
    what = "corrected_role_group_linkage"
    wave_cols = [wave] if wave is not None else []
    require_columns(people, [unit, role, value, *wave_cols], f"{what} people")
    require_numeric(people, [value], f"{what} people")
    unit_cols = [unit, *wave_cols, outcome, *covs, *src.values()]
    require_columns(units, unit_cols, f"{what} units")
    require_numeric(units, [outcome, *covs], f"{what} units")
    if outcome in covs or len(set(covs)) != len(covs):
        raise ValueError(f"{what}: covariates must be distinct and differ from the outcome")
    people, n_people_dropped = drop_incomplete(people, [unit, role, value, *wave_cols])
    available = sorted(people[role].unique(), key=str)
    chosen = list(available if roles is None else roles)
    absent = [g for g in chosen if g not in set(available)]
    if not chosen or absent or len(set(chosen)) != len(chosen):
        raise ValueError(
            f"{what}: role groups must be distinct and have people; missing: "
            f"{', '.join(map(repr, absent)) or 'none'}; present: {', '.join(map(repr, available))}"
        )
    unknown = sorted(set(src) - set(chosen), key=str)
    if unknown:
        raise ValueError(f"{what}: sources names role groups not used: {unknown!r}")
    frame, n_dropped = drop_incomplete(units, unit_cols)
    dup = frame.duplicated([unit, *wave_cols])
    if dup.any():
        first = frame.loc[dup].iloc[0]
        where = f" for wave {plain(first[wave])!r}" if wave is not None else ""
        raise ValueError(f"{what}: unit {plain(first[unit])!r} has more than one row{where}")
    cols = Columns(unit, wave, role, value, outcome, covs)
    measured = measuring_units(frame, unit, chosen, src)
    design, rows, measured, n_missing = prepare(people, frame, chosen, measured, cols)
    require_min_rows(len(rows), len(chosen) + len(covs) + 2, f"{what} (unit rows)")
    try:
        main = fit(design)
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ValueError(f"{what}: {exc}") from exc
    clusters = clusters_of(rows[unit], measured)
    boot, failed = bootstrap(design, clusters, n_boot, seed)
    coefficients, reliability, means = _tables(main, design, rows, boot, level, cols)
    return CorrectedRoleGroupLinkageResult(
        coefficients=coefficients,
        reliability=reliability,
        unit_means=means,
        intercept=float(main.corrected[0]),
        naive_intercept=float(main.naive[0]),
        r2=main.r2,
        naive_r2=main.naive_r2,
        n_units=len(rows),
        n_clusters=int(clusters.max()) + 1,
        n_dropped=n_dropped + n_missing,
        n_people=len(people),
        n_people_dropped=n_people_dropped,
        n_boot=n_boot,
        n_boot_failed=failed,
        seed=seed,
        level=level,
        waves=list(design.waves),
        problem=main.problem,
    )
