"""The employee side of the data-generating process: latent drivers, engagement, strain,
and the item answers they produce through the measurement model of :class:`Truth`.

Everything is vectorised over employees; the only Python loops run over scales and items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from spiegel.demo.organisation import Organisation
from spiegel.demo.truth import ROLE_GROUPS, Truth
from spiegel.instruments import AgreementFormat, Instrument

__all__ = [
    "DISSONANCE_SCALE",
    "ENGAGEMENT_SCALES",
    "EXHAUSTION_SCALE",
    "EmployeeLatents",
    "EmployeeState",
    "LatentWave",
    "ScaleItems",
    "agreement_answers",
    "check_instrument",
    "engagement_items",
    "item_parameters",
    "scale_items",
]

#: Engagement sub-scales of the built-in ``engagement`` instrument.
ENGAGEMENT_SCALES: tuple[str, ...] = ("vigor", "dedication", "absorption")
DISSONANCE_SCALE = "emotional_dissonance"
EXHAUSTION_SCALE = "exhaustion"


@dataclass(frozen=True)
class ScaleItems:
    """The agreement-format items of one scale, with their measurement parameters."""

    scale: str
    items: tuple[str, ...]
    reverse: np.ndarray
    loadings: np.ndarray
    shifts: np.ndarray
    offset: float
    start: int
    thresholds: np.ndarray


def _thresholds(points: int, truth: Truth) -> np.ndarray:
    if points == len(truth.thresholds) + 1:
        return np.asarray(truth.thresholds, dtype=float)
    # Other point counts: cut the latent at the same cumulative shape, stretched.
    base = np.concatenate([[0.0], stats.norm.cdf(np.asarray(truth.thresholds)), [1.0]])
    grid = np.interp(np.linspace(0, 1, points + 1)[1:-1], np.linspace(0, 1, base.size), base)
    return np.asarray(stats.norm.ppf(grid), dtype=float)


def scale_items(instrument: Instrument, truth: Truth) -> list[ScaleItems]:
    """Measurement parameters of every agreement-format scale of ``instrument``.

    Loadings and difficulty shifts cycle through ``truth.item_loadings`` and
    ``truth.item_shifts`` in the scale's item order.
    """
    out = []
    offsets = truth.scale_offset_map
    for scale in instrument.scales:
        fmt = instrument.formats[scale.format]
        if not isinstance(fmt, AgreementFormat):
            continue
        k = len(scale.items)
        out.append(
            ScaleItems(
                scale=scale.name,
                items=scale.item_ids,
                reverse=np.array([i.reverse for i in scale.items]),
                loadings=np.array(
                    [truth.item_loadings[j % len(truth.item_loadings)] for j in range(k)]
                ),
                shifts=np.array([truth.item_shifts[j % len(truth.item_shifts)] for j in range(k)]),
                offset=float(offsets.get(scale.name, 0.0)),
                start=fmt.min,
                thresholds=_thresholds(len(fmt.points), truth),
            )
        )
    return out


def item_parameters(instrument: Instrument, truth: Truth) -> pd.DataFrame:
    """One row per generated agreement item: scale, loading, shift, offset, reverse."""
    rows = []
    for s in scale_items(instrument, truth):
        for j, item in enumerate(s.items):
            rows.append(
                {
                    "item": item,
                    "scale": s.scale,
                    "loading": float(s.loadings[j]),
                    "difficulty": float(s.shifts[j]),
                    "scale_offset": s.offset,
                    "reverse": bool(s.reverse[j]),
                    "thresholds": [round(float(t), 4) for t in s.thresholds],
                }
            )
    return pd.DataFrame(rows)


def engagement_items(instrument: Instrument) -> tuple[str, ...]:
    """The items of the engagement sub-scales, in questionnaire order."""
    return tuple(i for name in ENGAGEMENT_SCALES for i in instrument.scale(name).item_ids)


def check_instrument(instrument: Instrument, truth: Truth) -> None:
    """Raise ``ValueError`` when the employee instrument lacks a scale the truth needs."""
    names = {s.name for s in instrument.scales}
    needed = [*ENGAGEMENT_SCALES, *truth.driver_names, DISSONANCE_SCALE, EXHAUSTION_SCALE]
    missing = [n for n in needed if n not in names]
    if missing:
        raise ValueError(
            f"employee instrument {instrument.name!r} lacks the scale(s) {missing} that the "
            f"demo generates; it has: {', '.join(sorted(names))}"
        )


@dataclass
class LatentWave:
    """Latent values of one wave for every employee and every climate group."""

    drivers: np.ndarray  # n × K
    engagement: np.ndarray  # n
    dissonance: np.ndarray  # n
    exhaustion: np.ndarray  # n
    climate: np.ndarray  # G × (K + 2): drivers, dissonance, exhaustion residual


class EmployeeLatents:
    """Draws latent drivers, engagement and strain wave after wave (AR(1) climates).

    Parameters
    ----------
    rng : numpy Generator
    org : Organisation
    truth : Truth
    drift : ndarray, shape (G, K + 2), optional
        Per-wave drift of each climate group's parts (burn-out); multiplied by the
        number of waves since ``truth.burnout_start``.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        org: Organisation,
        truth: Truth,
        drift: np.ndarray | None = None,
    ) -> None:
        self.rng = rng
        self.org = org
        self.truth = truth
        k = len(truth.driver_names)
        self.k = k
        v = k + 2
        sigma = np.eye(v)
        sigma[:k, :k] = truth.driver_correlation_matrix()
        self.chol = np.linalg.cholesky(sigma)
        self.weights = np.array([w for _, w in truth.driver_weights])
        self.i_workload = (
            truth.driver_names.index("workload") if "workload" in truth.driver_names else -1
        )
        self.i_recovery = (
            truth.driver_names.index("recovery") if "recovery" in truth.driver_names else -1
        )
        n = org.emp_role.size
        g = org.n_groups
        self.drift = np.zeros((g, v)) if drift is None else drift
        share = np.where(
            np.isin(org.group_kind, ["senior", "office"]), truth.office_share, truth.unit_share
        )
        self.group_sd = np.sqrt(share)[:, None]
        self.wave_sd = np.sqrt(1.0 - share[org.emp_group] - truth.person_share)[:, None]
        self.person = self._draw(n) * np.sqrt(truth.person_share)
        self.climate = self._draw(g) * self.group_sd
        self.zeta_person = rng.standard_normal(n)
        shift = truth.role_shift_map
        self.role_shift = np.array([shift.get(r, 0.0) for r in ROLE_GROUPS])[org.emp_role]
        # Exhaustion = a·dissonance + b·recovery + c·workload + residual (variance 1).
        self.strain_coef = np.zeros(v)
        self.strain_coef[k] = truth.strain_from_dissonance
        if self.i_recovery >= 0:
            self.strain_coef[self.i_recovery] = truth.strain_from_recovery
        if self.i_workload >= 0:
            self.strain_coef[self.i_workload] = truth.strain_from_workload
        explained = float(self.strain_coef @ sigma @ self.strain_coef)
        if explained >= 1:
            raise ValueError("Truth: strain coefficients explain more than all of exhaustion")
        self.strain_coef[k + 1] = np.sqrt(1.0 - explained)
        self.zeta_sd = np.sqrt(1.0 - truth.explained_variance)
        self.wave = -1

    def _draw(self, n: int) -> np.ndarray:
        return self.rng.standard_normal((n, self.chol.shape[0])) @ self.chol.T

    def climate_now(self) -> np.ndarray:
        """Climate parts of the current wave, burn-out drift included."""
        steps = max(0, self.wave - self.truth.burnout_start + 1)
        return self.climate + steps * self.drift

    def next_wave(self) -> LatentWave:
        """Advance the climates one wave and draw every employee's latents."""
        t = self.truth
        self.wave += 1
        if self.wave > 0:
            phi = t.persistence
            self.climate = phi * self.climate + np.sqrt(1 - phi**2) * self.group_sd * self._draw(
                self.climate.shape[0]
            )
        climate = self.climate_now()
        n = self.person.shape[0]
        x = climate[self.org.emp_group] + self.person + self.wave_sd * self._draw(n)
        k = self.k
        d = x[:, :k]
        eta = d @ self.weights + self.role_shift
        if self.i_workload >= 0:
            eta -= t.workload_curvature * (d[:, self.i_workload] ** 2 - 1.0)
        zeta = np.sqrt(0.6) * self.zeta_person + np.sqrt(0.4) * self.rng.standard_normal(n)
        eta += self.zeta_sd * zeta
        exhaustion = x @ self.strain_coef
        return LatentWave(
            drivers=d,
            engagement=eta,
            dissonance=x[:, k],
            exhaustion=exhaustion,
            climate=climate,
        )

    def climate_summary(self, climate: np.ndarray) -> dict[str, np.ndarray]:
        """Latent climate engagement, dissonance, exhaustion, recovery per group."""
        k = self.k
        out = {
            "engagement": climate[:, :k] @ self.weights,
            "dissonance": climate[:, k],
            "exhaustion": climate @ self.strain_coef,
        }
        if self.i_recovery >= 0:
            out["recovery"] = climate[:, self.i_recovery]
        return out


def _theta(scale: str, latent: LatentWave, truth: Truth, rng: np.random.Generator) -> np.ndarray:
    n = latent.engagement.size
    if scale in ENGAGEMENT_SCALES:
        a = truth.subscale_loading
        return a * latent.engagement + np.sqrt(1 - a * a) * rng.standard_normal(n)
    if scale in truth.driver_names:
        return latent.drivers[:, truth.driver_names.index(scale)]
    if scale == DISSONANCE_SCALE:
        return latent.dissonance
    if scale == EXHAUSTION_SCALE:
        return latent.exhaustion
    # A scale the truth does not know: mildly related to engagement.
    return 0.4 * latent.engagement + np.sqrt(0.84) * rng.standard_normal(n)


@dataclass
class EmployeeState:
    """The answers of one wave in construct direction (before reverse keying) and stored."""

    answers: dict[str, np.ndarray]
    engagement_score: np.ndarray


def agreement_answers(
    scales: list[ScaleItems],
    latent: LatentWave,
    truth: Truth,
    rng: np.random.Generator,
    engagement_item_ids: tuple[str, ...],
) -> EmployeeState:
    """Item answers for every employee (respondent or not) of one wave.

    Returns the stored answers (reverse-keyed items reversed, ``NaN`` for a skipped
    item) and each employee's engagement score: the mean of the answered engagement
    items after reverse keying, exactly as ``score_scales`` computes it.
    """
    answers: dict[str, np.ndarray] = {}
    n = latent.engagement.size
    eng_sum = np.zeros(n)
    eng_n = np.zeros(n)
    wanted = set(engagement_item_ids)
    for s in scales:
        theta = _theta(s.scale, latent, truth, rng)
        k = len(s.items)
        noise = rng.standard_normal((n, k))
        lam = s.loadings
        ystar = theta[:, None] * lam + noise * np.sqrt(1 - lam**2) + s.offset - s.shifts
        values = s.start + (ystar[:, :, None] > s.thresholds).sum(axis=2)
        values = values.astype(float)
        skipped = rng.random((n, k)) < truth.item_missing
        values[skipped] = np.nan
        top = s.start + s.thresholds.size
        for j, item in enumerate(s.items):
            col = values[:, j]
            if item in wanted:
                ok = ~np.isnan(col)
                eng_sum += np.where(ok, col, 0.0)
                eng_n += ok
            answers[item] = (s.start + top) - col if s.reverse[j] else col
    with np.errstate(invalid="ignore", divide="ignore"):
        score = eng_sum / eng_n
    return EmployeeState(answers=answers, engagement_score=score)
