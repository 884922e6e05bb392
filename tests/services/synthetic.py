"""Small organisations with any questionnaire, in memory, for the analysis service's tests.

Answers follow one latent factor per respondent (so scales hang together and reliability,
factor models and drivers have something to estimate), in each item's own response range;
items in ``unasked`` are never answered (a question left out of the survey), others are
skipped now and then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.instruments import Instrument, get_instrument
from spiegel.instruments.model import format_range
from spiegel.services.dataset import OrganisationData

ROLES = ("senior_management", "manager", "front_line", "back_office")


@dataclass
class Shape:
    """What the organisation has: its questionnaires, size, waves and what is missing."""

    employee: Instrument | None = field(default_factory=lambda: get_instrument("employee"))
    customer: Instrument | None = field(default_factory=lambda: get_instrument("customer"))
    waves: int = 3
    regions: int = 2
    locations_per_region: int = 6
    teams_per_location: int = 2
    people_per_team: int = 7
    customers_per_location: int = 40
    unasked: frozenset[str] = frozenset()
    outcomes: bool = True
    skip_rate: float = 0.03
    seed: int = 0


def with_agreement_points(instrument: Instrument, points: int, start: int = 1) -> Instrument:
    """``instrument`` with every agreement format replaced by one of ``points`` points."""
    doc = instrument.model_dump()
    labels = [{"nl": f"punt {i}", "en": f"point {i}"} for i in range(points)]
    for name, fmt in list(doc["formats"].items()):
        if fmt["kind"] == "agreement":
            doc["formats"][name] = {"kind": "agreement", "points": labels, "start": start}
    return Instrument.model_validate(doc)


def _units(shape: Shape) -> pd.DataFrame:
    rows = [(1, "ORG", "Organisation", "organisation", None, "/1/")]
    next_id = 2
    for r in range(shape.regions):
        region = next_id
        next_id += 1
        rows.append((region, f"R{r}", f"Region {r}", "region", 1, f"/1/{region}/"))
        for loc in range(shape.locations_per_region):
            location = next_id
            next_id += 1
            path = f"/1/{region}/{location}/"
            rows.append((location, f"L{r}{loc}", f"Location {r}.{loc}", "location", region, path))
            for t in range(shape.teams_per_location):
                team = next_id
                next_id += 1
                rows.append(
                    (team, f"T{r}{loc}{t}", f"Team {r}.{loc}.{t}", "team", location,
                     f"{path}{team}/")
                )  # fmt: skip
    frame = pd.DataFrame(rows, columns=["id", "code", "name", "kind", "parent_id", "path"])
    frame["parent_id"] = frame["parent_id"].astype("Int64")
    frame["unit_type"] = None
    frame["depth"] = frame["path"].str.count("/") - 2
    return frame


def _answers(
    instrument: Instrument, latent: np.ndarray, shape: Shape, rng: np.random.Generator
) -> pd.DataFrame:
    out: dict[str, np.ndarray] = {}
    for item in instrument.items:
        fmt = instrument.format_of(item.id)
        bounds = format_range(fmt)
        if bounds is None:
            continue
        low, high = bounds
        mid, spread = (low + high) / 2, (high - low) / 4
        noise = rng.normal(0, 0.8, len(latent))
        value = mid + spread * (latent * (-1 if item.reverse else 1) + noise)
        answers = np.clip(np.rint(value), low, high).astype(float)
        answers[rng.random(len(latent)) < shape.skip_rate] = np.nan
        if item.id in shape.unasked:
            answers[:] = np.nan
        out[item.id] = answers
    return pd.DataFrame(out)


def _texts(instrument: Instrument, audience: str, frame: pd.DataFrame) -> list[pd.DataFrame]:
    parts = []
    for item in instrument.items:
        if instrument.format_of(item.id).kind == "text" and item.id not in frame:
            chosen = frame.iloc[::3]
            parts.append(
                pd.DataFrame(
                    {
                        "wave": chosen["wave"].to_numpy(),
                        "audience": audience,
                        "unit_id": chosen["unit_id"].to_numpy(),
                        "item_id": item.id,
                        "text": [f"comment {i % 7}" for i in range(len(chosen))],
                    }
                )
            )
    return parts


def organisation(shape: Shape | None = None) -> OrganisationData:
    """An organisation of the given shape, as the analysis reads it from the store."""
    shape = shape or Shape()
    rng = np.random.default_rng(shape.seed)
    units = _units(shape)
    waves = [f"2026-W{w + 1}" for w in range(shape.waves)]
    kinds = dict(zip(units["id"], units["kind"], strict=True))
    people = []
    for uid, kind in kinds.items():
        if kind == "team":
            people += [(uid, "front_line")] * shape.people_per_team
        elif kind == "location":
            people += [(uid, "manager")]
        elif kind == "region":
            people += [(uid, "senior_management")] * 2
        else:
            people += [(uid, "back_office")] * 6
    staff = pd.DataFrame(people, columns=["unit_id", "role_group"])
    employee_parts, customer_parts, texts = [], [], []
    locations = [u for u, k in kinds.items() if k == "location"]
    for wave in waves:
        if shape.employee is not None:
            latent = rng.normal(0, 1, len(staff))
            answers = _answers(shape.employee, latent, shape, rng)
            frame = pd.concat([staff.assign(wave=wave), answers], axis=1)
            employee_parts.append(frame)
            texts += _texts(shape.employee, "employee", frame)
        if shape.customer is not None:
            unit = np.repeat(locations, shape.customers_per_location)
            latent = rng.normal(0, 1, len(unit))
            answers = _answers(shape.customer, latent, shape, rng)
            frame = pd.concat(
                [pd.DataFrame({"unit_id": unit, "role_group": None, "wave": wave}), answers],
                axis=1,
            )
            customer_parts.append(frame)
            texts += _texts(shape.customer, "customer", frame)

    def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=["wave", "unit_id", "role_group"])
        frame = pd.concat(parts, ignore_index=True)
        return frame[["wave", "unit_id", "role_group", *frame.columns[3:]]]

    outcomes = pd.DataFrame(columns=["unit_id", "metric", "period", "value"])
    if shape.outcomes:
        outcomes = pd.DataFrame(
            [
                (loc, metric, wave, float(rng.uniform(2, 9)))
                for loc in locations
                for wave in waves
                for metric in ("absenteeism", "turnover")
            ],
            columns=["unit_id", "metric", "period", "value"],
        )
    headcount = staff.groupby(["unit_id", "role_group"]).size().rename("n").reset_index()
    return OrganisationData(
        organisation="synthetic",
        organisation_name="Synthetic",
        privacy={},
        units=units,
        waves=waves,
        employee=combine(employee_parts),
        customer=combine(customer_parts),
        texts=pd.concat(texts, ignore_index=True)
        if texts
        else pd.DataFrame(columns=["wave", "audience", "unit_id", "item_id", "text"]),
        outcomes=outcomes,
        headcount=headcount,
        employee_instrument=shape.employee,
        customer_instrument=shape.customer,
    )
