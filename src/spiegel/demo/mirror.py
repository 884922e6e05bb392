"""Employees' mirror answers: how they think customers rate the mirrored aspects.

Each employee item that predicts a customer item (``layout.aspect_predictors``, and
``layout.grade_predictor`` for the overall grade) is answered around what the customers
of the employee's location are expected to say: regional and organisation staff answer
around their region's or the organisation's mean. On top come the general bias
``truth.mirror_bias``, the location's designated offset (blind spot, hidden strength)
and noise.
"""

from __future__ import annotations

import numpy as np

from spiegel.demo.customers import CustomerLayout, stochastic_round
from spiegel.demo.organisation import Organisation
from spiegel.demo.truth import Truth
from spiegel.instruments import GradeFormat, Instrument, LikelihoodFormat

__all__ = ["mirror_answers", "mirror_ranges"]


def mirror_ranges(employee: Instrument, layout: CustomerLayout) -> dict[str, tuple[int, int]]:
    """The value range of every employee mirror item; ``ValueError`` unless it is a grade."""
    ranges = {}
    for item in (*layout.aspect_predictors, layout.grade_predictor):
        if item is None:
            continue
        fmt = employee.format_of(item)
        if not isinstance(fmt, GradeFormat | LikelihoodFormat):
            raise ValueError(f"mirror item {item!r} of {employee.name!r} must be a grade item")
        ranges[item] = (fmt.min, fmt.max)
    return ranges


def mirror_answers(
    org: Organisation,
    layout: CustomerLayout,
    ranges: dict[str, tuple[int, int]],
    expected_grade: np.ndarray,
    expected_aspects: np.ndarray,
    mirror_offset: np.ndarray,
    truth: Truth,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Every employee's answer to each mirror item (NaN where skipped).

    ``expected_grade`` (L) and ``expected_aspects`` (L × A) are what the customers of
    each location are expected to say; ``mirror_offset`` (L × A) the designated offsets.
    """
    n_asp = len(layout.aspects)
    answers: dict[str, np.ndarray] = {}
    if not (n_asp or layout.grade_predictor):
        return answers
    n_emp = org.emp_role.size
    is_location_staff = org.emp_location >= 0
    m = expected_grade
    targets = np.column_stack([expected_aspects, m]) if n_asp else m[:, None]
    region_mean = np.vstack(
        [targets[org.location_region == r].mean(axis=0) for r in range(org.n_regions)]
    )
    org_mean = targets.mean(axis=0)
    staff_target = np.where(
        is_location_staff[:, None],
        targets[np.maximum(org.emp_location, 0)],
        np.where(
            (org.emp_region >= 0)[:, None],
            region_mean[np.maximum(org.emp_region, 0)],
            org_mean[None, :],
        ),
    )
    offset = np.zeros_like(staff_target)
    offset[:, :n_asp] = np.where(
        is_location_staff[:, None], mirror_offset[np.maximum(org.emp_location, 0)], 0.0
    )
    columns = [*layout.aspect_predictors, layout.grade_predictor]
    for j, item in enumerate(columns[: staff_target.shape[1]]):
        if item is None:
            continue
        low, high = ranges[item]
        raw = (
            staff_target[:, j]
            + truth.mirror_bias
            + offset[:, j]
            + rng.normal(0.0, truth.mirror_sd, n_emp)
        )
        values = stochastic_round(np.clip(raw, low, high), rng)
        values[rng.random(n_emp) < truth.mirror_missing] = np.nan
        answers[item] = values
    return answers
