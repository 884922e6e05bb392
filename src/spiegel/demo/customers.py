"""The customer (parent) side of the data-generating process, vectorised over customers.

A location's customers in a wave get grades whose expectation is exactly the location's
expected grade :math:`m_{u,t}` (see :class:`spiegel.demo.truth.Truth`): a bounded,
symmetric customer deviation around a centre, stochastic rounding to whole grades, and a
small share of unhappy customers whose grade (2–5, mean 3.5) is accounted for in the
centre. Moments of truth, the mirrored aspects, likelihood to recommend and a few open
comments follow from the same customer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spiegel.demo.texts import NEGATIVE_BY_ASPECT, NEGATIVE_COMMENTS, POSITIVE_COMMENTS
from spiegel.demo.truth import Truth
from spiegel.instruments import (
    AgreementFormat,
    GradeFormat,
    Instrument,
    LikelihoodFormat,
    TextFormat,
)

__all__ = ["CustomerLayout", "customer_layout", "customer_wave", "stochastic_round"]

UNHAPPY_LOW, UNHAPPY_HIGH = 2, 5
UNHAPPY_MEAN = (UNHAPPY_LOW + UNHAPPY_HIGH) / 2


def stochastic_round(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round each value down or up with the probabilities that keep its expectation."""
    low = np.floor(values)
    return low + (rng.random(values.shape) < values - low)


@dataclass(frozen=True)
class CustomerLayout:
    """Which customer item plays which part, read from the instruments at run time."""

    item_order: tuple[str, ...]
    grade_item: str
    recommend_item: str | None
    comment_item: str | None
    moments: tuple[str, ...]
    aspects: tuple[str, ...]
    aspect_predictors: tuple[str, ...]
    grade_predictor: str | None
    others: tuple[tuple[str, int, int], ...]
    numeric_items: tuple[str, ...]


def customer_layout(customer: Instrument, employee: Instrument) -> CustomerLayout:
    """Find the grade, recommendation, comment, moments of truth and mirrored aspects.

    The overall grade is the first grade-format item outside scales, the recommendation
    the first likelihood item outside scales, the comment the first open-text item; the
    moments of truth are the items of the scale ``moments_of_truth``; the aspects are
    the customer items paired with an employee item in ``employee``'s mirror pairs.

    Raises
    ------
    ValueError
        When the customer instrument has no grade item outside its scales.
    """
    grade = next(
        (i.id for i in customer.extra_items if isinstance(customer.formats[i.format], GradeFormat)),
        None,
    )
    if grade is None:
        raise ValueError(
            f"customer instrument {customer.name!r} has no overall grade item (a 'grade' "
            "item outside the scales)"
        )
    recommend = next(
        (
            i.id
            for i in customer.extra_items
            if isinstance(customer.formats[i.format], LikelihoodFormat)
        ),
        None,
    )
    comment = next(
        (i.id for i in customer.items if isinstance(customer.formats[i.format], TextFormat)),
        None,
    )
    moments = (
        customer.scale("moments_of_truth").item_ids
        if any(s.name == "moments_of_truth" for s in customer.scales)
        else ()
    )
    pairs = employee.mirror_pairs_for(customer)
    predictor = {p.customer_item: p.employee_item for p in pairs}
    aspects = tuple(
        i.id for i in customer.items if i.id in predictor and i.id != grade and i.id not in moments
    )
    used = {grade, recommend, comment, *moments, *aspects}
    others = []
    numeric = []
    for item in customer.items:
        fmt = customer.formats[item.format]
        if isinstance(fmt, AgreementFormat | GradeFormat | LikelihoodFormat):
            numeric.append(item.id)
            if item.id not in used:
                others.append((item.id, fmt.min, fmt.max))
    return CustomerLayout(
        item_order=customer.item_ids,
        grade_item=grade,
        recommend_item=recommend,
        comment_item=comment,
        moments=moments,
        aspects=aspects,
        aspect_predictors=tuple(predictor[a] for a in aspects),
        grade_predictor=predictor.get(grade),
        others=tuple(others),
        numeric_items=tuple(numeric),
    )


def _cycle(values: tuple[float, ...], k: int) -> np.ndarray:
    return np.array([values[j % len(values)] for j in range(k)], dtype=float)


@dataclass(frozen=True)
class CustomerParameters:
    """Per-location, per-item parts that stay the same over waves."""

    aspect_offset: np.ndarray  # A: δ_a per aspect
    aspect_location: np.ndarray  # L × A persistent deviations
    moment_offset: np.ndarray  # M
    moment_location: np.ndarray  # L × M
    moment_rate: np.ndarray  # M
    comment_aspects: list[tuple[str, ...]]  # per aspect: its negative templates


def customer_parameters(
    layout: CustomerLayout, truth: Truth, n_locations: int, rng: np.random.Generator
) -> CustomerParameters:
    """Draw the stable location × aspect and location × moment deviations."""
    a, m = len(layout.aspects), len(layout.moments)
    comment_aspects = []
    for item in layout.aspects:
        match = next((v for k, v in NEGATIVE_BY_ASPECT.items() if k in item), ())
        comment_aspects.append(match)
    return CustomerParameters(
        aspect_offset=_cycle(truth.aspect_offsets, a),
        aspect_location=rng.normal(0.0, truth.aspect_location_sd, size=(n_locations, a)),
        moment_offset=_cycle(truth.moment_offsets, m),
        moment_location=rng.normal(0.0, truth.aspect_location_sd, size=(n_locations, m)),
        moment_rate=_cycle(truth.moment_answer_rates, m),
        comment_aspects=comment_aspects,
    )


def expected_aspects(
    expected_grade: np.ndarray, params: CustomerParameters, truth: Truth
) -> np.ndarray:
    """Customers' expected mean rating of each aspect per location (L × A)."""
    happy = 1.0 - truth.unhappy_share
    return expected_grade[:, None] + happy * (params.aspect_offset + params.aspect_location)


@dataclass
class CustomerWave:
    """One wave of customer answers (numeric as float with NaN, comments as objects)."""

    location: np.ndarray
    answers: dict[str, np.ndarray]
    comments: np.ndarray | None


def _grade_like(values: np.ndarray, rng: np.random.Generator, low: int, high: int) -> np.ndarray:
    return stochastic_round(np.clip(values, low, high), rng)


def customer_wave(
    counts: np.ndarray,
    expected_grade: np.ndarray,
    layout: CustomerLayout,
    params: CustomerParameters,
    blind_aspects: np.ndarray,
    truth: Truth,
    rng: np.random.Generator,
) -> CustomerWave:
    """Draw every customer response of one wave.

    Parameters
    ----------
    counts : ndarray of int, shape (L,)
        Customers per location.
    expected_grade : ndarray, shape (L,)
        :math:`m_{u,t}`, the expected mean grade per location.
    blind_aspects : ndarray of int, shape (L, B)
        Aspect indices that are blind spots at each location (-1 for none); unhappy
        comments there often name them.
    """
    loc = np.repeat(np.arange(counts.size), counts)
    n = loc.size
    pi = truth.unhappy_share
    centre = (expected_grade - pi * UNHAPPY_MEAN) / (1.0 - pi)
    dev = np.clip(
        rng.normal(0.0, truth.customer_sd, n), -truth.customer_bound, truth.customer_bound
    )
    v = np.clip(centre[loc] + dev, 1.0, 10.0)
    grade = stochastic_round(v, rng)
    unhappy = rng.random(n) < pi
    grade[unhappy] = rng.integers(UNHAPPY_LOW, UNHAPPY_HIGH + 1, size=int(unhappy.sum()))
    answers: dict[str, np.ndarray] = {layout.grade_item: grade}

    if layout.recommend_item is not None:
        rec = 8.1 + 1.35 * (v - truth.grade_mean) + rng.normal(0.0, 0.9, n)
        rec = _grade_like(rec, rng, 0, 10)
        rec[unhappy] = rng.integers(0, 6, size=int(unhappy.sum()))
        answers[layout.recommend_item] = rec

    for j, item in enumerate(layout.moments):
        base = (
            centre[loc]
            + params.moment_offset[j]
            + params.moment_location[loc, j]
            + 0.7 * dev
            + rng.normal(0.0, 0.7, n)
        )
        base = np.where(unhappy, grade + rng.normal(0.0, 1.2, n), base)
        values = _grade_like(base, rng, 1, 10)
        values[rng.random(n) >= params.moment_rate[j]] = np.nan
        answers[item] = values

    for j, item in enumerate(layout.aspects):
        base = (
            centre[loc]
            + params.aspect_offset[j]
            + params.aspect_location[loc, j]
            + 0.8 * dev
            + rng.normal(0.0, 0.6, n)
        )
        base = np.where(unhappy, grade + rng.normal(0.0, 1.0, n), base)
        values = _grade_like(base, rng, 1, 10)
        values[rng.random(n) >= truth.aspect_answer_rate] = np.nan
        answers[item] = values

    for item, low, high in layout.others:
        mid = low + (high - low) * (v - 1.0) / 9.0
        answers[item] = _grade_like(mid + rng.normal(0.0, 0.8, n), rng, low, high)

    comments = None
    if layout.comment_item is not None:
        comments = _comments(grade, loc, params, blind_aspects, truth, rng)
    return CustomerWave(location=loc, answers=answers, comments=comments)


def _comments(
    grade: np.ndarray,
    loc: np.ndarray,
    params: CustomerParameters,
    blind_aspects: np.ndarray,
    truth: Truth,
    rng: np.random.Generator,
) -> np.ndarray:
    n = grade.size
    extreme = (grade <= 5) | (grade >= 9)
    rate = np.where(extreme, truth.comment_rate_extreme, truth.comment_rate)
    writes = np.flatnonzero(rng.random(n) < rate)
    templates: list[str] = [*POSITIVE_COMMENTS, *NEGATIVE_COMMENTS]
    n_pos, n_neg = len(POSITIVE_COMMENTS), len(NEGATIVE_COMMENTS)
    start, length = [], []
    for group in params.comment_aspects:
        start.append(len(templates))
        length.append(len(group))
        templates.extend(group)
    start_a = np.array(start, dtype=int)
    len_a = np.array(length, dtype=int)
    g = grade[writes]
    negative = (g <= 6) | ((g == 7) & (rng.random(writes.size) < 0.5))
    pick = rng.integers(0, n_pos, size=writes.size)  # positive by default
    pick = np.where(negative, n_pos + rng.integers(0, n_neg, size=writes.size), pick)
    if len_a.size and len_a.max() > 0:
        # Aspect-tied complaints: a blind spot of the location, else a random aspect.
        bl = blind_aspects[loc[writes]]
        col = rng.integers(0, bl.shape[1], size=writes.size) if bl.shape[1] else None
        chosen = bl[np.arange(writes.size), col] if col is not None else np.full(writes.size, -1)
        random_aspect = rng.integers(0, len_a.size, size=writes.size)
        use_blind = (chosen >= 0) & (rng.random(writes.size) < 0.5)
        use_random = ~use_blind & (rng.random(writes.size) < 0.3)
        aspect = np.where(use_blind, chosen, random_aspect)
        has = len_a[aspect] > 0
        tied = negative & (use_blind | use_random) & has
        offset = (rng.random(writes.size) * np.maximum(len_a[aspect], 1)).astype(int)
        pick = np.where(tied, start_a[aspect] + offset, pick)
    out = np.full(n, None, dtype=object)
    out[writes] = np.asarray(templates, dtype=object)[pick]
    return out
