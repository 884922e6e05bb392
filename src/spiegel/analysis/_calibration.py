"""Regression calibration of unit means measured with error: design, fit, resampling.

Used by :func:`spiegel.analysis.corrected_role_group_linkage` for the estimate and for
every bootstrap resample, on arrays prepared once: per wave and role group the
sufficient statistics of each measuring unit, and per unit row the index of its
measuring unit for each role group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from spiegel.analysis._common import plain
from spiegel.analysis.shrinkage import GroupStats, OneWayFit, group_stats, one_way_reml


class NotEstimable(ValueError):
    """A fit that has no answer for these data (no between-unit spread, singular design)."""


@dataclass(frozen=True)
class Design:
    """The unit rows of one fit.

    ``wave`` (n,) wave code of each row; ``source`` (n, k) index of each row's measuring
    unit per role group into ``stats[w][g]``; ``z`` (n, m) covariates; ``y`` (n,).
    ``stats[w][g]`` holds the group statistics of the measuring units of role group g
    in wave w (indexed as in ``source``).
    """

    wave: np.ndarray
    source: np.ndarray
    z: np.ndarray
    y: np.ndarray
    stats: list[list[GroupStats]]
    roles: list[str]
    waves: list[object]


@dataclass(frozen=True)
class Fit:
    """One calibrated and one naive regression, plus what went into them.

    ``problem`` says why the calibrated regression has no estimate (then ``corrected``,
    ``corrected_std``, ``r2`` and ``calibrated`` are NaN); it is empty otherwise.
    """

    corrected: np.ndarray  # intercept, roles, covariates
    naive: np.ndarray
    corrected_std: np.ndarray  # roles, covariates
    naive_std: np.ndarray
    r2: float
    naive_r2: float
    stage1: list[list[OneWayFit]]
    reliability: np.ndarray  # (n, k): tau2 / (tau2 + sigma2 / n) of each row's mean
    observed: np.ndarray  # (n, k) observed means
    calibrated: np.ndarray  # (n, k)
    problem: str


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, float]:
    design = np.column_stack([np.ones(y.size), x])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise NotEstimable("the predictors are collinear (one is constant or a sum of others)")
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return beta, r2


def _calibrate(
    d: Design, stage1: list[list[OneWayFit]], observed: np.ndarray, err: np.ndarray
) -> np.ndarray:
    """The calibrated means (n, k), or :class:`NotEstimable`."""
    n, k = observed.shape
    m = d.z.shape[1]
    calibrated = np.empty((n, k))
    for w, fits in enumerate(stage1):
        for g, f in enumerate(fits):
            if f.tau2 <= 0.0:
                raise NotEstimable(
                    f"role group {d.roles[g]!r}, wave {d.waves[w]!r}: the spread between "
                    "units is estimated at 0 (reliability 0), so its unit means carry no "
                    "signal beyond their people"
                )
        rows = np.flatnonzero(d.wave == w)
        obs = np.column_stack([observed[rows], d.z[rows]])
        centre = np.concatenate([[f.mu for f in fits], d.z[rows].mean(axis=0)])
        sigma = np.cov(obs, rowvar=False).reshape(k + m, k + m)
        sigma[np.arange(k), np.arange(k)] = [f.tau2 for f in fits]
        if np.linalg.eigvalsh(sigma).min() <= 0.0:
            raise NotEstimable(
                f"wave {d.waves[w]!r}: the estimated between-unit covariance of the true "
                "role-group means and covariates is not positive definite (the spread "
                "between units is too small next to their correlations), so their "
                "separate links cannot be told apart"
            )
        total = np.broadcast_to(sigma, (rows.size, k + m, k + m)).copy()
        idx = np.arange(k)
        total[:, idx, idx] += err[rows]
        solved = np.linalg.solve(total, (obs - centre)[:, :, None])[:, :, 0]
        calibrated[rows] = centre[:k] + solved @ sigma[:k].T
    return calibrated


def fit(d: Design) -> Fit:
    r"""Stage 1 (REML per wave and role group), stage 2 (calibration), stage 3 (OLS).

    Per wave, with observed means :math:`W_u` (k role groups), their error variances
    :math:`D_u = \mathrm{diag}(\hat\sigma^2_g / n_{gu})`, covariates :math:`Z_u`, and
    the between-unit covariance of the true means and covariates :math:`\Sigma` (true
    variances :math:`\hat\tau^2_g`, all other entries sample covariances; it must be
    positive definite), each unit's true means are replaced by

    .. math::

        \hat X_u = \hat\mu + \Sigma_{X\cdot}\,(\Sigma + D_u \oplus 0)^{-1}
                   \big((W_u, Z_u) - (\hat\mu, \bar Z)\big)

    Raises ``ValueError`` when stage 1 cannot be fitted or the naive regression is
    singular; a calibrated regression without estimate is reported in ``problem``.
    """
    n, k = d.source.shape
    observed = np.empty((n, k))
    err = np.empty((n, k))
    tau2_rows = np.empty((n, k))
    stage1: list[list[OneWayFit]] = []
    for w, per_role in enumerate(d.stats):
        rows = np.flatnonzero(d.wave == w)
        fits = []
        for g, s in enumerate(per_role):
            f = one_way_reml(s, f"role group {d.roles[g]!r}, wave {d.waves[w]!r}")
            fits.append(f)
            src = d.source[rows, g]
            observed[rows, g] = s.mean[src]
            err[rows, g] = f.sigma2 / s.n[src]
            tau2_rows[rows, g] = f.tau2
        stage1.append(fits)
    reliability = tau2_rows / (tau2_rows + err)
    naive, naive_r2 = _ols(d.y, np.column_stack([observed, d.z]))
    sd_y = float(d.y.std(ddof=1))
    sd_z = d.z.std(axis=0, ddof=1)
    naive_std = naive[1:] * np.concatenate([observed.std(axis=0, ddof=1), sd_z]) / sd_y
    try:
        calibrated = _calibrate(d, stage1, observed, err)
        corrected, r2 = _ols(d.y, np.column_stack([calibrated, d.z]))
        problem = ""
    except (NotEstimable, np.linalg.LinAlgError) as exc:
        calibrated = np.full((n, k), np.nan)
        corrected, r2 = np.full(naive.shape, np.nan), float("nan")
        problem = str(exc)
    true_sd = np.sqrt(tau2_rows.mean(axis=0))
    return Fit(
        corrected=corrected,
        naive=naive,
        corrected_std=corrected[1:] * np.concatenate([true_sd, sd_z]) / sd_y,
        naive_std=naive_std,
        r2=r2,
        naive_r2=naive_r2,
        stage1=stage1,
        reliability=reliability,
        observed=observed,
        calibrated=calibrated,
        problem=problem,
    )


def clusters_of(units: pd.Series, measured: pd.DataFrame) -> np.ndarray:
    """Connected components of units that share a measuring unit (e.g. a region)."""
    labels = [("u", u) for u in units] + [
        ("s", g, s) for g in measured.columns for s in measured[g]
    ]
    codes, _ = pd.factorize(pd.Series(labels, dtype=object))
    n = len(units)
    k = measured.shape[1]
    left = np.tile(codes[:n], k)
    right = codes[n:]
    size = int(codes.max()) + 1
    graph = coo_matrix((np.ones(left.size), (left, right)), shape=(size, size))
    _, comp = connected_components(graph, directed=False)
    out: np.ndarray = pd.factorize(comp[codes[:n]])[0]
    return out


def _subset(d: Design, rows: np.ndarray, draw: np.ndarray) -> Design:
    """The unit rows ``rows``; measuring units are told apart per draw of the cluster."""
    n_waves, k = len(d.stats), len(d.roles)
    source = np.empty((rows.size, k), dtype=np.int64)
    stats: list[list[GroupStats]] = []
    wave = d.wave[rows]
    for w in range(n_waves):
        in_wave = np.flatnonzero(wave == w)
        per_role = []
        for g in range(k):
            s = d.stats[w][g]
            src = d.source[rows[in_wave], g]
            uniq, inv = np.unique(draw[in_wave] * s.n.size + src, return_inverse=True)
            orig = uniq % s.n.size
            per_role.append(GroupStats(s.n[orig], s.mean[orig], s.within_ss[orig]))
            source[in_wave, g] = inv
        stats.append(per_role)
    return Design(wave, source, d.z[rows], d.y[rows], stats, d.roles, d.waves)


def bootstrap(d: Design, clusters: np.ndarray, n_boot: int, seed: int) -> tuple[np.ndarray, int]:
    """Whole-procedure estimates on ``n_boot`` resamples of the clusters (NaN: failed)."""
    n_clusters = int(clusters.max()) + 1
    order = np.argsort(clusters, kind="stable")
    sizes = np.bincount(clusters, minlength=n_clusters)
    members = np.split(order, np.cumsum(sizes)[:-1])
    rng = np.random.default_rng(seed)
    width = 2 * (1 + d.source.shape[1] + d.z.shape[1]) + d.source.shape[1] + d.z.shape[1]
    out = np.full((n_boot, width), np.nan)
    failed = 0
    for b in range(n_boot):
        drawn = rng.integers(0, n_clusters, size=n_clusters)
        rows = np.concatenate([members[c] for c in drawn])
        draw = np.repeat(np.arange(n_clusters), sizes[drawn])
        try:
            f = fit(_subset(d, rows, draw))
        except (ValueError, np.linalg.LinAlgError):
            failed += 1
            continue
        if f.problem:
            failed += 1  # the naive slopes of this resample still count
        out[b] = np.concatenate([f.corrected, f.naive, f.corrected_std])
    return out, failed


def measuring_units(
    units: pd.DataFrame, unit: str, roles: list[object], sources: Mapping[object, str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {g: units[sources[g]] if g in sources else units[unit] for g in roles}, index=units.index
    )


@dataclass(frozen=True)
class Columns:
    unit: str
    wave: str | None
    role: str
    value: str
    outcome: str
    covariates: list[str]


def prepare(
    people: pd.DataFrame,
    units: pd.DataFrame,
    roles: list[object],
    measured: pd.DataFrame,
    c: Columns,
) -> tuple[Design, pd.DataFrame, pd.DataFrame, int]:
    """Design of the unit rows that have people in every role group (and those rows)."""
    unit, wave, role, value, outcome = c.unit, c.wave, c.role, c.value, c.outcome
    covariates = c.covariates
    wave_of = units[wave] if wave else pd.Series(0, index=units.index)
    waves = [plain(w) for w in sorted(wave_of.unique())]
    people_wave = people[wave] if wave else pd.Series(0, index=people.index)
    keep = np.ones(len(units), dtype=bool)
    cells: dict[tuple[int, int], tuple[GroupStats, pd.Index]] = {}
    for w_i, w in enumerate(waves):
        for g_i, g in enumerate(roles):
            cell = people.loc[(people_wave == w) & (people[role] == g)]
            codes, labels = pd.factorize(cell[unit], sort=True)
            cells[(w_i, g_i)] = (
                group_stats(cell[value].to_numpy(dtype=float), codes, len(labels)),
                pd.Index(labels),
            )
            this_wave = (wave_of == w).to_numpy()
            keep &= ~this_wave | measured[g].isin(labels).to_numpy()
    n_missing = int((~keep).sum())
    rows = units.loc[keep]
    measured = measured.loc[keep]
    wave_code = pd.Index(waves).get_indexer(pd.Index(wave_of.loc[keep].map(plain)))
    source = np.zeros((len(rows), len(roles)), dtype=np.int64)
    stats: list[list[GroupStats]] = []
    for w_i in range(len(waves)):
        at = np.flatnonzero(wave_code == w_i)
        per_role = []
        for g_i, g in enumerate(roles):
            s, labels = cells[(w_i, g_i)]
            pos = labels.get_indexer(pd.Index(measured[g].iloc[at].to_numpy()))
            used, inv = np.unique(pos, return_inverse=True)
            per_role.append(GroupStats(s.n[used], s.mean[used], s.within_ss[used]))
            source[at, g_i] = inv
        stats.append(per_role)
    design = Design(
        wave=wave_code,
        source=source,
        z=rows[covariates].to_numpy(dtype=float).reshape(len(rows), len(covariates)),
        y=rows[outcome].to_numpy(dtype=float),
        stats=stats,
        roles=[str(g) for g in roles],
        waves=list(waves),
    )
    return design, rows, measured, n_missing
