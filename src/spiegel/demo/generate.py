"""Generate the demo organisation: units, staff, survey answers, outcomes, ground truth.

``generate(seed=...)`` is deterministic: the same seed and parameters give identical
frames. The data-generating process is described in :class:`spiegel.demo.truth.Truth`;
the realised facts (which locations are blind spots or burn out, latent values per
location and wave) are in :class:`~spiegel.demo.data.GroundTruth`. This module runs the
waves; each part of the process lives in a module of its own (organisation, employees,
customers, designations, mirror, linkage, outcomes, frames, wave_facts).
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from spiegel.demo.customers import (
    customer_layout,
    customer_parameters,
    customer_wave,
    expected_aspects,
)
from spiegel.demo.data import PRIVACY_MINIMUM, DemoConfig, DemoData, GroundTruth
from spiegel.demo.designations import burnout_drift, designate
from spiegel.demo.employees import (
    EmployeeLatents,
    agreement_answers,
    check_instrument,
    engagement_items,
    item_parameters,
    scale_items,
)
from spiegel.demo.frames import customer_frame, employee_frame
from spiegel.demo.linkage import Linkage, role_engagement
from spiegel.demo.mirror import mirror_answers, mirror_ranges
from spiegel.demo.organisation import build_organisation
from spiegel.demo.outcomes import outcomes
from spiegel.demo.texts import ORGANISATION_NAME
from spiegel.demo.truth import Truth
from spiegel.demo.wave_facts import (
    location_facts,
    location_respondents,
    small_units,
    team_location,
)
from spiegel.demo.waves import wave_frame, wave_labels
from spiegel.instruments import get_instrument

__all__ = [
    "PRIVACY_MINIMUM",
    "DemoConfig",
    "DemoData",
    "GroundTruth",
    "generate",
    "wave_labels",
]


def generate(
    seed: int = 0,
    *,
    employees: int = 1200,
    locations: int = 80,
    customers_per_wave: int = 10_000,
    regions: int | None = None,
    waves: int = 4,
    first_wave: str = "2025-H1",
    truth: Truth | None = None,
    employee_instrument: str = "employee",
    customer_instrument: str = "customer",
) -> DemoData:
    """Generate the demo organisation with known effects.

    Parameters
    ----------
    seed : int
        Seed of the numpy random generator; the same seed gives the same data.
    employees, locations, customers_per_wave : int
        Size of the organisation (``employees`` includes senior management, managers
        and back office) and number of customer responses per wave.
    regions : int, optional
        Number of regions (default: one per 20 locations, at least 1).
    waves : int
        Number of half-yearly waves from ``first_wave`` on.
    truth : Truth, optional
        Parameters of the data-generating process (default ``Truth()``).
    employee_instrument, customer_instrument : str
        Names of the instruments in the library whose items are generated.

    Returns
    -------
    DemoData

    Raises
    ------
    ValueError
        When a size is out of range or an instrument lacks a scale the truth needs.
    """
    truth = Truth() if truth is None else truth
    if employees < 1 or locations < 1 or customers_per_wave < 0:
        raise ValueError(
            "employees and locations must be positive and customers_per_wave not negative, "
            f"got {employees}, {locations}, {customers_per_wave}"
        )
    n_regions = max(1, round(locations / 20)) if regions is None else regions
    labels = wave_labels(first_wave, waves)
    config = DemoConfig(
        seed=seed,
        employees=employees,
        locations=locations,
        regions=n_regions,
        customers_per_wave=customers_per_wave,
        waves=waves,
        first_wave=first_wave,
        employee_instrument=employee_instrument,
        customer_instrument=customer_instrument,
    )
    emp_inst = get_instrument(employee_instrument)
    cust_inst = get_instrument(customer_instrument)
    check_instrument(emp_inst, truth)
    layout = customer_layout(cust_inst, emp_inst)
    ranges = mirror_ranges(emp_inst, layout)

    rng = np.random.default_rng(seed)
    org = build_organisation(rng, employees, locations, n_regions, truth.small_team_share)
    n_loc = org.n_locations
    n_emp = org.emp_role.size
    chosen = designate(org, layout, truth, rng)
    latents = EmployeeLatents(rng, org, truth)
    latents.drift = burnout_drift(latents, chosen.burnout, truth)

    scales = scale_items(emp_inst, truth)
    eng_items = engagement_items(emp_inst)
    cparams = customer_parameters(layout, truth, n_loc, rng)
    unit_propensity = rng.normal(0.0, truth.unit_response_sd, size=len(org.units))
    wave_rates = rng.uniform(truth.response_rate_low, truth.response_rate_high, size=waves)
    size_weight = org.location_front.astype(float)
    units_location = team_location(org)

    employee_frames: dict[str, pd.DataFrame] = {}
    customer_frames: dict[str, pd.DataFrame] = {}
    outcome_rows: list[pd.DataFrame] = []
    location_rows: list[pd.DataFrame] = []
    small_rows: list[pd.DataFrame] = []
    response_rates: dict[str, float] = {}
    linkage = Linkage(truth)
    m_next = np.zeros(n_loc)

    for t, wave in enumerate(labels):
        # Employees: latents, answers, response, engagement, mirror predictions.
        lat = latents.next_wave()
        state = agreement_answers(scales, lat, truth, rng, eng_items)
        p = expit(logit(wave_rates[t]) + unit_propensity[org.emp_unit])
        respond = rng.random(n_emp) < p
        response_rates[wave] = float(respond.mean())
        e_role = role_engagement(org, state.engagement_score, respond)
        m = linkage.first_grade(e_role, rng) if t == 0 else m_next
        e_asp = expected_aspects(m, cparams, truth)
        answers = dict(state.answers)
        answers.update(
            mirror_answers(org, layout, ranges, m, e_asp, chosen.mirror_offset, truth, rng)
        )

        # Customers, and the next wave's expected grade.
        w = size_weight * rng.lognormal(0.0, 0.15, size=n_loc)
        counts = rng.multinomial(customers_per_wave, w / w.sum())
        cw = customer_wave(counts, m, layout, cparams, chosen.blind_aspects, truth, rng)
        grade = cw.answers[layout.grade_item]
        with np.errstate(invalid="ignore", divide="ignore"):
            ybar = np.bincount(cw.location, weights=grade, minlength=n_loc) / counts
        m_next = linkage.next_grade(e_role, np.where(counts > 0, ybar, m), rng)

        # Frames, outcomes and the facts the ground truth records.
        employee_frames[wave] = employee_frame(wave, emp_inst, answers, respond, org, truth, rng)
        customer_frames[wave] = customer_frame(wave, cust_inst, layout, cw, org)
        climate = latents.climate_summary(lat.climate[:n_loc])
        outcome_rows.append(outcomes(wave, org, climate, truth, rng))
        loc_resp = location_respondents(org, respond)
        location_rows.append(
            location_facts(wave, org, chosen.burnout, climate, m, ybar, counts, e_role, loc_resp)
        )
        small_rows.append(small_units(wave, org, units_location, respond, loc_resp))

    ground = GroundTruth(
        params=truth,
        config=config,
        organisation=ORGANISATION_NAME,
        waves=labels,
        reference_engagement=MappingProxyType(dict(linkage.reference)),
        intercept=linkage.intercept,
        items=item_parameters(emp_inst, truth),
        locations=pd.concat(location_rows, ignore_index=True),
        mirror=chosen.mirror,
        burnout_locations=tuple(str(u) for u in org.location_codes[chosen.burnout]),
        small_units=pd.concat(small_rows, ignore_index=True),
        response_rates=MappingProxyType(response_rates),
    )
    return DemoData(
        config=config,
        units=org.units,
        employees=org.employees,
        waves=wave_frame(labels),
        employee_responses=MappingProxyType(employee_frames),
        customer_responses=MappingProxyType(customer_frames),
        outcomes=pd.concat(outcome_rows, ignore_index=True),
        truth=ground,
        employee_items=emp_inst.item_ids,
        customer_items=cust_inst.item_ids,
    )
