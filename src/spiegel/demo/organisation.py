"""The demo organisation's unit tree and staff: regions, locations, teams, four role groups.

Senior management sits at the organisation and region units, back office at the same
units (the central office and the regional offices), one manager at each location, and
the front line in the location's teams (1–3 per location; a few teams are tiny so that
they fall below the reporting minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spiegel.demo.texts import (
    LOCATION_NAMES,
    LOCATION_TYPES,
    ORGANISATION_NAME,
    REGION_NAMES,
    REGION_TOWNS,
    TEAM_NAMES,
)
from spiegel.demo.truth import ROLE_GROUPS

__all__ = ["ORGANISATION_CODE", "Organisation", "build_organisation"]

ORGANISATION_CODE = "KLV"

SENIOR, MANAGER, FRONT, BACK = (ROLE_GROUPS.index(g) for g in ROLE_GROUPS)

#: Fewest front-line staff a location gets.
MIN_FRONT_LINE = 5


@dataclass(frozen=True)
class Organisation:
    """Units and employees as frames, plus the index arrays the generator works on.

    Attributes
    ----------
    units : DataFrame
        ``code``, ``name``, ``parent`` (code, empty for the root), ``kind``
        (organisation, region, location, team) and ``unit_type``.
    employees : DataFrame
        ``key``, ``unit`` (code) and ``role_group``.
    location_codes, region_codes : ndarray of str
    location_region : ndarray of int
        Region index of each location.
    location_front : ndarray of int
        Front-line headcount of each location.
    emp_role : ndarray of int
        Index into :data:`ROLE_GROUPS`.
    emp_unit : ndarray of int
        Row of ``units`` the employee belongs to.
    emp_location : ndarray of int
        Location index (-1 for organisation and region staff).
    emp_region : ndarray of int
        Region index (-1 for organisation staff).
    emp_group : ndarray of int
        Climate group: the location (front line), the manager themself, or the senior
        team / office of a region or of the organisation. Latent climate parts are
        shared within a group and independent between groups.
    n_groups : int
    group_kind : ndarray of str
        ``location``, ``manager``, ``senior`` or ``office`` for each climate group.
    """

    units: pd.DataFrame
    employees: pd.DataFrame
    location_codes: np.ndarray
    region_codes: np.ndarray
    location_region: np.ndarray
    location_front: np.ndarray
    emp_role: np.ndarray
    emp_unit: np.ndarray
    emp_location: np.ndarray
    emp_region: np.ndarray
    emp_group: np.ndarray
    n_groups: int
    group_kind: np.ndarray

    @property
    def n_locations(self) -> int:
        """Number of locations."""
        return int(self.location_codes.size)

    @property
    def n_regions(self) -> int:
        """Number of regions."""
        return int(self.region_codes.size)


def _region_name(r: int) -> str:
    if r < len(REGION_NAMES):
        return f"Regio {REGION_NAMES[r]}"
    return f"Regio {r + 1}"


def _location_names(rng: np.random.Generator, region_of: np.ndarray) -> tuple[list[str], list[str]]:
    names: list[str] = []
    types: list[str] = []
    used: set[str] = set()
    type_idx = rng.integers(0, len(LOCATION_TYPES), size=region_of.size)
    name_idx = rng.integers(0, len(LOCATION_NAMES), size=region_of.size)
    for i, r in enumerate(region_of):
        towns = REGION_TOWNS[int(r) % len(REGION_TOWNS)]
        town = towns[int(rng.integers(0, len(towns)))]
        unit_type, prefix = LOCATION_TYPES[int(type_idx[i])]
        base = f"{prefix} {LOCATION_NAMES[int(name_idx[i])]} {town}"
        name, k = base, 2
        while name in used:
            name, k = f"{base} {k}", k + 1
        used.add(name)
        names.append(name)
        types.append(unit_type)
    return names, types


def _team_sizes(rng: np.random.Generator, n: int, small_share: float) -> list[int]:
    k = 1 if n <= 15 else 2 if n <= 26 else 3
    if k == 1:
        return [n]
    if rng.random() < small_share:
        tiny = int(rng.integers(3, 6))
        rest = n - tiny
        k_rest = k - 1
        sizes = [rest // k_rest + (1 if j < rest % k_rest else 0) for j in range(k_rest)]
        return [*sizes, tiny]
    return [n // k + (1 if j < n % k else 0) for j in range(k)]


def build_organisation(
    rng: np.random.Generator,
    employees: int,
    locations: int,
    regions: int,
    small_team_share: float,
) -> Organisation:
    """Build the unit tree and the staff list (see the module docstring).

    Raises
    ------
    ValueError
        When there are too few employees for the locations (each location needs a
        manager and at least five front-line staff besides the central staff).
    """
    if locations < 1:
        raise ValueError(f"locations must be at least 1, got {locations}")
    if not 1 <= regions <= locations:
        raise ValueError(f"regions must lie between 1 and locations ({locations}), got {regions}")
    n_senior_org = 3 + employees // 25_000
    n_senior_region = int(np.clip(round(0.01 * employees / regions), 2, 4))
    n_back = round(0.06 * employees)
    n_back_org = round(0.4 * n_back)
    back_region = np.full(regions, (n_back - n_back_org) // regions)
    back_region[: (n_back - n_back_org) % regions] += 1
    n_front = employees - n_senior_org - n_senior_region * regions - n_back - locations
    if n_front < MIN_FRONT_LINE * locations:
        need = employees - n_front + MIN_FRONT_LINE * locations
        raise ValueError(
            f"{employees} employees are too few for {locations} locations: "
            f"need at least {need} (a manager and {MIN_FRONT_LINE} front-line staff per "
            "location, plus senior management and back office)"
        )

    # --- locations and their front line ---------------------------------------------
    location_region = np.sort(np.arange(locations) % regions)
    weights = rng.lognormal(0.0, 0.45, size=locations)
    front = MIN_FRONT_LINE + rng.multinomial(
        n_front - MIN_FRONT_LINE * locations, weights / weights.sum()
    )

    width = max(3, len(str(locations)))
    region_codes = np.array([f"R{r + 1:02d}" for r in range(regions)])
    location_codes = np.array([f"L{i + 1:0{width}d}" for i in range(locations)])
    loc_names, loc_types = _location_names(rng, location_region)

    unit_rows: list[tuple[str, str, str, str, str]] = [
        (ORGANISATION_CODE, ORGANISATION_NAME, "", "organisation", "organisatie")
    ]
    unit_rows += [
        (region_codes[r], _region_name(r), ORGANISATION_CODE, "region", "regio")
        for r in range(regions)
    ]
    unit_index = {code: i for i, (code, *_) in enumerate(unit_rows)}
    for i in range(locations):
        unit_index[location_codes[i]] = len(unit_rows)
        unit_rows.append(
            (
                location_codes[i],
                loc_names[i],
                region_codes[location_region[i]],
                "location",
                loc_types[i],
            )
        )

    # Employees, built as blocks of (unit row, role, location, region, group).
    blocks: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(
        count: int, unit_row: int, role: int, loc: int, region: int, group: np.ndarray | int
    ) -> None:
        if count <= 0:
            return
        g = np.broadcast_to(np.asarray(group), (count,))
        blocks.append(
            (
                np.full(count, unit_row),
                role,
                np.full(count, loc),
                np.full(count, region),
                np.array(g),
            )
        )

    # Climate groups: 0..L-1 location front line, L..2L-1 managers, then region senior
    # teams, region offices, the organisation's senior team and central office.
    g_region_senior = 2 * locations
    g_region_back = g_region_senior + regions
    g_org_senior = g_region_back + regions
    g_org_back = g_org_senior + 1
    n_groups = g_org_back + 1

    add(n_senior_org, 0, SENIOR, -1, -1, g_org_senior)
    add(n_back_org, 0, BACK, -1, -1, g_org_back)
    for r in range(regions):
        add(n_senior_region, 1 + r, SENIOR, -1, r, g_region_senior + r)
        add(int(back_region[r]), 1 + r, BACK, -1, r, g_region_back + r)
    team_picks = rng.permuted(np.tile(np.arange(len(TEAM_NAMES)), (locations, 1)), axis=1)
    for i in range(locations):
        region = int(location_region[i])
        loc_row = unit_index[location_codes[i]]
        add(1, loc_row, MANAGER, i, region, locations + i)
        for j, size in enumerate(_team_sizes(rng, int(front[i]), small_team_share)):
            code = f"{location_codes[i]}-T{j + 1}"
            team_row = len(unit_rows)
            unit_rows.append(
                (code, TEAM_NAMES[int(team_picks[i, j])], location_codes[i], "team", "groep")
            )
            add(size, team_row, FRONT, i, region, i)

    emp_unit = np.concatenate([b[0] for b in blocks])
    emp_role = np.concatenate([np.full(b[0].size, b[1]) for b in blocks])
    emp_location = np.concatenate([b[2] for b in blocks])
    emp_region = np.concatenate([b[3] for b in blocks])
    emp_group = np.concatenate([b[4] for b in blocks])

    units = pd.DataFrame(unit_rows, columns=["code", "name", "parent", "kind", "unit_type"])
    n_emp = emp_unit.size
    emp_width = max(5, len(str(n_emp)))
    employees_frame = pd.DataFrame(
        {
            "key": [f"MW{i + 1:0{emp_width}d}" for i in range(n_emp)],
            "unit": units["code"].to_numpy()[emp_unit],
            "role_group": np.array(ROLE_GROUPS)[emp_role],
        }
    )
    return Organisation(
        units=units,
        employees=employees_frame,
        location_codes=location_codes,
        region_codes=region_codes,
        location_region=location_region,
        location_front=front,
        emp_role=emp_role,
        emp_unit=emp_unit,
        emp_location=emp_location,
        emp_region=emp_region,
        emp_group=emp_group,
        n_groups=n_groups,
        group_kind=np.array(
            ["location"] * locations
            + ["manager"] * locations
            + ["senior"] * regions
            + ["office"] * regions
            + ["senior", "office"]
        ),
    )
