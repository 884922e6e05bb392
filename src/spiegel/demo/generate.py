"""Generate the demo organisation: units, staff, survey answers, outcomes, ground truth.

``generate(seed=...)`` is deterministic: the same seed and parameters give identical
frames. The data-generating process is described in :class:`spiegel.demo.truth.Truth`;
the realised facts (which locations are blind spots or burn out, latent values per
location and wave) are in :class:`GroundTruth`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from spiegel.demo.customers import (
    CustomerLayout,
    CustomerWave,
    customer_layout,
    customer_parameters,
    customer_wave,
    expected_aspects,
    stochastic_round,
)
from spiegel.demo.employees import (
    EmployeeLatents,
    agreement_answers,
    check_instrument,
    engagement_items,
    item_parameters,
    scale_items,
)
from spiegel.demo.organisation import Organisation, build_organisation
from spiegel.demo.texts import EMPLOYEE_COMMENTS, ORGANISATION_NAME
from spiegel.demo.truth import ROLE_GROUPS, Truth
from spiegel.instruments import (
    GradeFormat,
    Instrument,
    LikelihoodFormat,
    TextFormat,
    get_instrument,
)

__all__ = [
    "PRIVACY_MINIMUM",
    "DemoConfig",
    "DemoData",
    "GroundTruth",
    "generate",
    "wave_labels",
]

#: The reporting minimum the demo's small units are measured against.
PRIVACY_MINIMUM = 5

SENIOR, MANAGER, FRONT, BACK = (
    ROLE_GROUPS.index(g) for g in ("senior_management", "manager", "front_line", "back_office")
)

_WAVE = re.compile(r"^(\d{4})-H([12])$")


def wave_labels(first: str, n: int) -> tuple[str, ...]:
    """``n`` half-year labels from ``first`` on: ``2025-H1``, ``2025-H2``, ``2026-H1``, ..."""
    match = _WAVE.match(first)
    if match is None:
        raise ValueError(f"first_wave must look like '2025-H1', got {first!r}")
    if n < 2:
        raise ValueError(f"waves must be at least 2 (the linkage is lagged), got {n}")
    year, half = int(match.group(1)), int(match.group(2)) - 1
    out = []
    for k in range(n):
        y, h = divmod(year * 2 + half + k, 2)
        out.append(f"{y}-H{h + 1}")
    return tuple(out)


def _wave_dates(label: str) -> tuple[dt.date, dt.date]:
    year, half = int(label[:4]), int(label[-1])
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class DemoConfig:
    """The size and shape of a generated organisation (regions default to locations/20)."""

    seed: int = 0
    employees: int = 1200
    locations: int = 80
    regions: int = 4
    customers_per_wave: int = 10_000
    waves: int = 4
    first_wave: str = "2025-H1"
    employee_instrument: str = "employee"
    customer_instrument: str = "customer"


@dataclass(frozen=True)
class GroundTruth:
    """What the generator put in: parameters plus the facts the seed decided.

    Attributes
    ----------
    params : Truth
        The parameters of the data-generating process.
    config : DemoConfig
    organisation : str
    waves : tuple of str
    reference_engagement : mapping
        :math:`r_g`, the first-wave mean measured engagement of each role group over
        locations; the lagged equation is centred at these.
    intercept : float
        The intercept of the lagged equation written without centring:
        :math:`m_{u,t+1} = a + \\rho\\,\\bar y_{u,t} + \\sum_g \\beta_g E_{g,u,t} + e`.
    items : DataFrame
        Measurement parameters of every generated agreement item.
    locations : DataFrame
        Per location and wave: latent climate engagement, dissonance, exhaustion and
        recovery; the expected grade :math:`m_{u,t}`; the observed mean grade and number
        of customers; the measured engagement of each role group used by the lagged
        equation; respondents; burn-out flag.
    mirror : DataFrame
        Every designated blind spot and hidden strength: location, customer item,
        employee item, ``kind`` and ``gap`` (customers' expected mean minus employees'
        expected mean prediction, the sign of ``spiegel.analysis.mirror_gaps``).
    burnout_locations : tuple of str
    small_units : DataFrame
        Teams and locations with 1 to ``PRIVACY_MINIMUM - 1`` respondents, per wave.
    response_rates : mapping
        Realised employee response rate per wave.
    """

    params: Truth
    config: DemoConfig
    organisation: str
    waves: tuple[str, ...]
    reference_engagement: Mapping[str, float]
    intercept: float
    items: pd.DataFrame
    locations: pd.DataFrame
    mirror: pd.DataFrame
    burnout_locations: tuple[str, ...]
    small_units: pd.DataFrame
    response_rates: Mapping[str, float]

    def to_dict(self, population: pd.DataFrame | None = None) -> dict[str, object]:
        """JSON-ready dictionary: what ``ground_truth.json`` holds.

        ``population`` is :func:`spiegel.demo.population.population_driver_importance`'s
        result, added under ``drivers.population`` when given.
        """
        p = self.params
        drivers: dict[str, object] = {
            "outcome": "latent engagement",
            "standardised_weights": dict(p.driver_weight_map),
            "top_three": list(p.top_drivers),
            "workload_curvature": p.workload_curvature,
            "explained_variance": round(p.explained_variance, 10),
        }
        if population is not None:
            drivers["population"] = {
                "outcome": "observed engagement score (mean of the engagement items)",
                "predictors": "observed driver scale scores",
                "wave": self.waves[0],
                "r2": round(float(population.attrs["r2"]), 6),
                "general_dominance": {
                    str(k): round(float(v), 6) for k, v in population["general_dominance"].items()
                },
                "share": {str(k): round(float(v), 6) for k, v in population["share"].items()},
                "computed_from_respondents": int(population.attrs["n"]),
            }
        return {
            "organisation": self.organisation,
            "config": self.config.__dict__.copy(),
            "waves": list(self.waves),
            "parameters": p.to_dict(),
            "linkage": {
                "outcome": "mean customer grade of a location at wave t+1",
                "equation": (
                    "m[u,t+1] = grade_mean + grade_persistence * (mean_grade[u,t] - "
                    "grade_mean) + sum_g role_weights[g] * (E[g,u,t] - "
                    "reference_engagement[g]) + N(0, grade_shock_sd^2)"
                ),
                "role_weights": dict(p.role_weight_map),
                "role_order": list(p.role_order),
                "lagged_effect": {"role_group": "front_line", "coefficient": p.lagged_effect},
                "grade_persistence": p.grade_persistence,
                "intercept": self.intercept,
                "reference_engagement": dict(self.reference_engagement),
                "estimated_by": (
                    "the lagged regression of the mean grade at t+1 on the four role groups' "
                    "measured engagement at t and the mean grade at t, over location x "
                    "consecutive-wave pairs (correctly specified: its coefficients are "
                    "role_weights and grade_persistence)"
                ),
                "note": (
                    "a lagged regression on front-line engagement alone (lagged_linkage) "
                    "omits the other role groups, whose engagement persists over waves; its "
                    "estimand is smaller than the front-line weight"
                ),
                "engagement_measure": (
                    "mean over the role group's respondents of the mean of their answered "
                    "engagement items (vigor, dedication, absorption), reverse keying applied; "
                    "senior_management: the region's and the organisation's; back_office: "
                    "the region office's"
                ),
            },
            "drivers": drivers,
            "mirror": {
                "general_bias": p.mirror_bias,
                "gap_sign": "customers' mean minus employees' mean prediction",
                "designated": _records(self.mirror),
            },
            "burnout": {
                "locations": [str(u) for u in self.burnout_locations],
                "from_wave": self.waves[min(p.burnout_start, len(self.waves) - 1)],
            },
            "small_units": _records(self.small_units),
            "response_rates": dict(self.response_rates),
            "items": _records(self.items),
            "locations": _records(self.locations),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, object] = {}
        for k, v in row.items():
            if isinstance(v, float | np.floating):
                clean[str(k)] = None if np.isnan(v) else round(float(v), 6)
            elif isinstance(v, np.integer):
                clean[str(k)] = int(v)
            elif isinstance(v, np.bool_):
                clean[str(k)] = bool(v)
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


@dataclass(frozen=True)
class DemoData:
    """A generated organisation with its answers, outcomes and ground truth.

    Attributes
    ----------
    config : DemoConfig
    units : DataFrame
        ``code``, ``name``, ``parent``, ``kind``, ``unit_type``.
    employees : DataFrame
        ``key``, ``unit``, ``role_group``.
    waves : DataFrame
        ``name``, ``starts_on``, ``ends_on``.
    employee_responses, customer_responses : mapping of wave name to DataFrame
        One row per respondent: ``respondent_id``, ``unit``, (employees:
        ``role_group``), ``wave``, then one column per instrument item in questionnaire
        order (numbers as float with NaN for a skipped item, open text as str or None).
    outcomes : DataFrame
        ``unit``, ``period``, ``metric`` (``absenteeism``, ``turnover``; percent),
        ``value``.
    truth : GroundTruth
    """

    config: DemoConfig
    units: pd.DataFrame
    employees: pd.DataFrame
    waves: pd.DataFrame
    employee_responses: Mapping[str, pd.DataFrame]
    customer_responses: Mapping[str, pd.DataFrame]
    outcomes: pd.DataFrame
    truth: GroundTruth
    employee_items: tuple[str, ...] = field(default=())
    customer_items: tuple[str, ...] = field(default=())

    @property
    def wave_names(self) -> tuple[str, ...]:
        """The waves in order."""
        return tuple(self.waves["name"])

    def all_employee_responses(self) -> pd.DataFrame:
        """Every wave's employee responses stacked (the ``wave`` column tells them apart)."""
        return pd.concat(list(self.employee_responses.values()), ignore_index=True)

    def all_customer_responses(self) -> pd.DataFrame:
        """Every wave's customer responses stacked."""
        return pd.concat(list(self.customer_responses.values()), ignore_index=True)


# ---------------------------------------------------------------------------------------


def _ids(prefix: str, n: int) -> np.ndarray:
    if n == 0:
        return np.empty(0, dtype=object)
    width = max(5, len(str(n)))
    numbers = np.char.zfill(np.arange(1, n + 1).astype(str), width)
    return np.char.add(prefix, numbers).astype(object)


def _group_mean(
    values: np.ndarray, keys: np.ndarray, mask: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    ok = mask & ~np.isnan(values)
    total = np.bincount(keys[ok], weights=values[ok], minlength=size)
    count = np.bincount(keys[ok], minlength=size).astype(float)
    return total, count


def _role_engagement(
    org: Organisation, score: np.ndarray, respond: np.ndarray
) -> dict[str, np.ndarray]:
    """Measured engagement per location of each role group (see :class:`Truth`)."""
    n_loc, n_reg = org.n_locations, org.n_regions
    role = org.emp_role
    out: dict[str, np.ndarray] = {}

    is_front = role == FRONT
    loc = np.where(org.emp_location >= 0, org.emp_location, 0)
    tot, cnt = _group_mean(score, loc, is_front & respond, n_loc)
    tot_all, cnt_all = _group_mean(score, loc, is_front, n_loc)
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
        r_tot, r_cnt = _group_mean(score, region, at_region & respond, n_reg)
        o_tot = float(score[at_org & respond & ok].sum())
        o_cnt = float((at_org & respond & ok).sum())
        ra_tot, ra_cnt = _group_mean(score, region, at_region, n_reg)
        oa_tot = float(score[at_org & ok].sum())
        oa_cnt = float((at_org & ok).sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            measured = (r_tot + o_tot) / (r_cnt + o_cnt)
            fallback = (ra_tot + oa_tot) / (ra_cnt + oa_cnt)
        per_region = np.where(r_cnt + o_cnt > 0, measured, fallback)
        out[name] = per_region[org.location_region]
    return out


@dataclass(frozen=True)
class _EmployeeLayout:
    ranges: dict[str, tuple[int, int]]
    texts: list[str]


def _employee_layout(employee: Instrument, layout: CustomerLayout) -> _EmployeeLayout:
    ranges = {}
    for item in (*layout.aspect_predictors, layout.grade_predictor):
        if item is None:
            continue
        fmt = employee.format_of(item)
        if not isinstance(fmt, GradeFormat | LikelihoodFormat):
            raise ValueError(f"mirror item {item!r} of {employee.name!r} must be a grade item")
        ranges[item] = (fmt.min, fmt.max)
    texts = [i.id for i in employee.items if isinstance(employee.formats[i.format], TextFormat)]
    return _EmployeeLayout(ranges=ranges, texts=texts)


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
    emp_layout = _employee_layout(emp_inst, layout)

    rng = np.random.default_rng(seed)
    org = build_organisation(rng, employees, locations, n_regions, truth.small_team_share)
    n_loc = org.n_locations
    n_emp = org.emp_role.size

    # --- designations decided by the seed ----------------------------------------------
    order = rng.permutation(n_loc)
    n_burn = max(1, round(truth.burnout_share * n_loc))
    n_blind = max(1, round(truth.blind_spot_share * n_loc))
    n_hidden = max(1, round(truth.hidden_strength_share * n_loc)) if n_loc > 2 else 0
    burn = np.sort(order[:n_burn])
    blind = np.sort(order[n_burn : n_burn + n_blind])
    hidden = np.sort(order[n_burn + n_blind : n_burn + n_blind + n_hidden])
    n_asp = len(layout.aspects)
    mirror_offset = np.zeros((n_loc, n_asp))
    blind_aspects = np.full((n_loc, max(1, truth.blind_spot_aspects)), -1)
    mirror_rows = []
    if n_asp:
        for u in blind:
            k = min(truth.blind_spot_aspects, n_asp)
            chosen = np.sort(rng.choice(n_asp, size=k, replace=False))
            mirror_offset[u, chosen] = truth.blind_spot_gap
            blind_aspects[u, :k] = chosen
        for u in hidden:
            a = int(rng.integers(0, n_asp))
            mirror_offset[u, a] = truth.hidden_strength_gap
        for u, a in zip(*np.nonzero(mirror_offset), strict=True):
            mirror_rows.append(
                {
                    "unit": org.location_codes[u],
                    "customer_item": layout.aspects[a],
                    "employee_item": layout.aspect_predictors[a],
                    "kind": "blind_spot" if mirror_offset[u, a] > 0 else "hidden_strength",
                    "gap": -(truth.mirror_bias + mirror_offset[u, a]),
                }
            )

    latents = EmployeeLatents(rng, org, truth)
    k = latents.k
    drift = np.zeros_like(latents.climate)
    drift[burn, k] = truth.burnout_drift_dissonance
    drift[burn, k + 1] = truth.burnout_drift_exhaustion / latents.strain_coef[k + 1]
    if latents.i_recovery >= 0:
        drift[burn, latents.i_recovery] = truth.burnout_drift_recovery
    latents.drift = drift

    scales = scale_items(emp_inst, truth)
    eng_items = engagement_items(emp_inst)
    cparams = customer_parameters(layout, truth, n_loc, rng)
    unit_propensity = rng.normal(0.0, truth.unit_response_sd, size=len(org.units))
    wave_rates = rng.uniform(truth.response_rate_low, truth.response_rate_high, size=waves)
    size_weight = org.location_front.astype(float)
    is_location_staff = org.emp_location >= 0
    region_of_loc = org.location_region

    employee_frames: dict[str, pd.DataFrame] = {}
    customer_frames: dict[str, pd.DataFrame] = {}
    outcome_rows: list[pd.DataFrame] = []
    location_rows: list[pd.DataFrame] = []
    small_rows: list[pd.DataFrame] = []
    response_rates: dict[str, float] = {}
    ref: dict[str, float] = {}
    beta = truth.role_weight_map
    mu, rho, sd_e = truth.grade_mean, truth.grade_persistence, truth.grade_shock_sd
    m_next = np.zeros(n_loc)
    unit_codes = org.units["code"].to_numpy()
    unit_kind = org.units["kind"].to_numpy()
    team_location = _team_location(org)

    for t, wave in enumerate(labels):
        lat = latents.next_wave()
        state = agreement_answers(scales, lat, truth, rng, eng_items)
        p = expit(logit(wave_rates[t]) + unit_propensity[org.emp_unit])
        respond = rng.random(n_emp) < p
        response_rates[wave] = float(respond.mean())
        e_role = _role_engagement(org, state.engagement_score, respond)

        if t == 0:
            ref = {g: float(np.nanmean(e_role[g])) for g in ROLE_GROUPS}
            link = sum(beta[g] * (e_role[g] - ref[g]) for g in ROLE_GROUPS)
            m = mu + link / (1 - rho) + rng.normal(0.0, sd_e / np.sqrt(1 - rho**2), size=n_loc)
        else:
            m = m_next

        # Mirror predictions ------------------------------------------------------------
        e_asp = expected_aspects(m, cparams, truth)
        answers = dict(state.answers)
        if n_asp or layout.grade_predictor:
            targets = np.column_stack([e_asp, m]) if n_asp else m[:, None]
            region_mean = np.vstack(
                [targets[region_of_loc == r].mean(axis=0) for r in range(org.n_regions)]
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
                low, high = emp_layout.ranges[item]
                raw = (
                    staff_target[:, j]
                    + truth.mirror_bias
                    + offset[:, j]
                    + rng.normal(0.0, truth.mirror_sd, n_emp)
                )
                values = stochastic_round(np.clip(raw, low, high), rng)
                values[rng.random(n_emp) < truth.mirror_missing] = np.nan
                answers[item] = values

        # Customers ---------------------------------------------------------------------
        w = size_weight * rng.lognormal(0.0, 0.15, size=n_loc)
        counts = rng.multinomial(customers_per_wave, w / w.sum())
        cw = customer_wave(counts, m, layout, cparams, blind_aspects, truth, rng)
        grade = cw.answers[layout.grade_item]
        with np.errstate(invalid="ignore", divide="ignore"):
            ybar = np.bincount(cw.location, weights=grade, minlength=n_loc) / counts
        ybar_eq = np.where(counts > 0, ybar, m)
        link = sum(beta[g] * (e_role[g] - ref[g]) for g in ROLE_GROUPS)
        m_next = mu + rho * (ybar_eq - mu) + link + rng.normal(0.0, sd_e, size=n_loc)

        # Frames --------------------------------------------------------------------------
        employee_frames[wave] = _employee_frame(
            wave, emp_inst, answers, respond, org, emp_layout.texts, truth, rng
        )
        customer_frames[wave] = _customer_frame(wave, cust_inst, layout, cw, org)
        climate = latents.climate_summary(lat.climate[:n_loc])
        outcome_rows.append(_outcomes(wave, org, climate, truth, rng))

        resp_units = np.bincount(org.emp_unit[respond], minlength=len(unit_codes))
        loc_resp = np.bincount(org.emp_location[respond & is_location_staff], minlength=n_loc)
        location_rows.append(
            pd.DataFrame(
                {
                    "unit": org.location_codes,
                    "wave": wave,
                    "burnout": np.isin(np.arange(n_loc), burn),
                    "climate_engagement": climate["engagement"],
                    "climate_dissonance": climate["dissonance"],
                    "climate_exhaustion": climate["exhaustion"],
                    "climate_recovery": climate.get("recovery", np.full(n_loc, np.nan)),
                    "expected_grade": m,
                    "mean_grade": ybar,
                    "customers": counts,
                    "front_line_engagement": e_role["front_line"],
                    "manager_engagement": e_role["manager"],
                    "senior_management_engagement": e_role["senior_management"],
                    "back_office_engagement": e_role["back_office"],
                    "respondents": loc_resp,
                }
            )
        )
        is_team = unit_kind == "team"
        team_n = resp_units[is_team]
        small_rows.append(
            pd.DataFrame(
                {
                    "unit": np.concatenate([unit_codes[is_team], org.location_codes]),
                    "kind": ["team"] * int(is_team.sum()) + ["location"] * n_loc,
                    "wave": wave,
                    "respondents": np.concatenate([team_n, loc_resp]),
                    "location": np.concatenate(
                        [org.location_codes[team_location[is_team]], org.location_codes]
                    ),
                }
            ).query(f"respondents > 0 and respondents < {PRIVACY_MINIMUM}")
        )

    intercept = mu * (1 - rho) - sum(beta[g] * ref[g] for g in ROLE_GROUPS)
    ground = GroundTruth(
        params=truth,
        config=config,
        organisation=ORGANISATION_NAME,
        waves=labels,
        reference_engagement=MappingProxyType(ref),
        intercept=float(intercept),
        items=item_parameters(emp_inst, truth),
        locations=pd.concat(location_rows, ignore_index=True),
        mirror=pd.DataFrame(
            mirror_rows, columns=["unit", "customer_item", "employee_item", "kind", "gap"]
        ),
        burnout_locations=tuple(str(u) for u in org.location_codes[burn]),
        small_units=pd.concat(small_rows, ignore_index=True),
        response_rates=MappingProxyType(response_rates),
    )
    wave_frame = pd.DataFrame(
        {
            "name": labels,
            "starts_on": [_wave_dates(w)[0] for w in labels],
            "ends_on": [_wave_dates(w)[1] for w in labels],
        }
    )
    return DemoData(
        config=config,
        units=org.units,
        employees=org.employees,
        waves=wave_frame,
        employee_responses=MappingProxyType(employee_frames),
        customer_responses=MappingProxyType(customer_frames),
        outcomes=pd.concat(outcome_rows, ignore_index=True),
        truth=ground,
        employee_items=emp_inst.item_ids,
        customer_items=cust_inst.item_ids,
    )


def _team_location(org: Organisation) -> np.ndarray:
    """For each unit row: the location index of a team (or location), else -1."""
    codes = org.units["code"].to_numpy()
    parent = org.units["parent"].to_numpy()
    loc_index = {c: i for i, c in enumerate(org.location_codes)}
    out = np.full(codes.size, -1)
    for row, (code, par) in enumerate(zip(codes, parent, strict=True)):
        if code in loc_index:
            out[row] = loc_index[code]
        elif par in loc_index:
            out[row] = loc_index[par]
    return out


def _employee_frame(
    wave: str,
    instrument: Instrument,
    answers: dict[str, np.ndarray],
    respond: np.ndarray,
    org: Organisation,
    texts: list[str],
    truth: Truth,
    rng: np.random.Generator,
) -> pd.DataFrame:
    idx = np.flatnonzero(respond)
    n = idx.size
    columns: dict[str, object] = {
        "respondent_id": _ids(f"{wave}-M", n),
        "unit": org.units["code"].to_numpy()[org.emp_unit[idx]],
        "role_group": np.array(ROLE_GROUPS, dtype=object)[org.emp_role[idx]],
        "wave": wave,
    }
    for item in instrument.item_ids:
        if item in answers:
            columns[item] = answers[item][idx]
        elif texts and item == texts[0]:
            text = np.full(n, None, dtype=object)
            writes = rng.random(n) < truth.employee_comment_rate
            pick = rng.integers(0, len(EMPLOYEE_COMMENTS), size=int(writes.sum()))
            text[writes] = np.asarray(EMPLOYEE_COMMENTS, dtype=object)[pick]
            columns[item] = text
        elif item in texts:
            columns[item] = np.full(n, None, dtype=object)
        else:
            columns[item] = np.full(n, np.nan)
    return pd.DataFrame(columns)


def _customer_frame(
    wave: str,
    instrument: Instrument,
    layout: CustomerLayout,
    cw: CustomerWave,
    org: Organisation,
) -> pd.DataFrame:
    n = cw.location.size
    columns: dict[str, object] = {
        "respondent_id": _ids(f"{wave}-K", n),
        "unit": org.location_codes.astype(object)[cw.location],
        "wave": wave,
    }
    answers = cw.answers
    for item in instrument.item_ids:
        if item in answers:
            columns[item] = answers[item]
        elif item == layout.comment_item:
            columns[item] = cw.comments
        elif isinstance(instrument.format_of(item), TextFormat):
            columns[item] = np.full(n, None, dtype=object)
        else:
            columns[item] = np.full(n, np.nan)
    return pd.DataFrame(columns)


def _outcomes(
    wave: str,
    org: Organisation,
    climate: dict[str, np.ndarray],
    truth: Truth,
    rng: np.random.Generator,
) -> pd.DataFrame:
    n = org.n_locations
    absent = (
        truth.absenteeism_base
        + truth.absenteeism_per_exhaustion * climate["exhaustion"]
        + rng.normal(0.0, truth.absenteeism_sd, n)
    )
    turnover = (
        truth.turnover_base
        + truth.turnover_per_engagement * climate["engagement"]
        + truth.turnover_per_exhaustion * climate["exhaustion"]
        + rng.normal(0.0, truth.turnover_sd, n)
    )
    return pd.DataFrame(
        {
            "unit": np.tile(org.location_codes, 2),
            "period": wave,
            "metric": np.repeat(["absenteeism", "turnover"], n),
            "value": np.round(
                np.concatenate([np.clip(absent, 0.3, None), np.clip(turnover, 0.0, None)]), 1
            ),
        }
    )
