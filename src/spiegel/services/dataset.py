"""An organisation's data, read once from the store into columnar frames for analysis."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, func, select

from spiegel.instruments import Instrument
from spiegel.store.db import session_factory
from spiegel.store.models import Audience, Employee, Organisation, Outcome, Unit
from spiegel.store.organisation import get_organisation, waves
from spiegel.store.response_frames import load_responses, load_texts
from spiegel.store.surveys import surveys_of_wave


@dataclass
class OrganisationData:
    """Everything the analyses need, as frames.

    ``units``: id, code, name, kind, unit_type, parent_id, path, depth.
    ``employee`` / ``customer``: one row per response: wave, unit_id, role_group and
    one column per item (without the web responses in windows an admin excluded, see
    :mod:`spiegel.services.integrity`; their texts are left out too). ``texts``: wave,
    audience, unit_id, item_id, text.
    ``outcomes``: unit_id, metric, period, value. ``headcount``: active employees per
    unit they are attached to (for response rates).
    """

    organisation: str
    organisation_name: str
    privacy: dict[str, object]
    units: pd.DataFrame
    waves: list[str]
    employee: pd.DataFrame
    customer: pd.DataFrame
    texts: pd.DataFrame
    outcomes: pd.DataFrame
    headcount: pd.DataFrame
    employee_instrument: Instrument | None = None
    customer_instrument: Instrument | None = None
    instruments: dict[str, Instrument] = field(default_factory=dict)


def _units(session_units: list[Unit]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "id": [u.id for u in session_units],
            "code": [u.code for u in session_units],
            "name": [u.name for u in session_units],
            "kind": [u.kind.value for u in session_units],
            "unit_type": [u.unit_type for u in session_units],
            "parent_id": pd.array([u.parent_id for u in session_units], dtype="Int64"),
            "path": [u.path for u in session_units],
        }
    )
    frame["depth"] = frame["path"].str.count("/") - 2
    return frame.sort_values("path").reset_index(drop=True)


def load_organisation(engine: Engine, organisation: str | None = None) -> OrganisationData:
    """Read units, waves, responses, texts, outcomes and headcounts of one organisation."""
    with session_factory(engine)() as session:
        org: Organisation = get_organisation(session, organisation)
        unit_rows = list(session.scalars(select(Unit).where(Unit.organisation_id == org.id)))
        wave_rows = waves(session, org.id)
        frames: dict[Audience, list[pd.DataFrame]] = {Audience.EMPLOYEE: [], Audience.CUSTOMER: []}
        texts: list[pd.DataFrame] = []
        instruments: dict[Audience, Instrument] = {}
        for wave in wave_rows:
            for survey in surveys_of_wave(session, wave.id):
                if survey.audience not in frames:
                    continue
                instrument = Instrument.model_validate(survey.instrument.definition)
                instruments.setdefault(survey.audience, instrument)
                wide = load_responses(session, survey).wide()
                wide.insert(0, "wave", wave.name)
                frames[survey.audience].append(wide)
                text = load_texts(session, survey)
                text.insert(0, "wave", wave.name)
                text.insert(1, "audience", survey.audience.value)
                texts.append(text)
        outcome_rows = session.execute(
            select(Outcome.unit_id, Outcome.metric, Outcome.period, Outcome.value)
            .join(Unit, Unit.id == Outcome.unit_id)
            .where(Unit.organisation_id == org.id)
        ).all()
        head_rows = session.execute(
            select(Employee.unit_id, Employee.role_group, func.count())
            .where(Employee.organisation_id == org.id, Employee.active.is_(True))
            .group_by(Employee.unit_id, Employee.role_group)
        ).all()
        units = _units(unit_rows)
        name, slug, privacy = org.name, org.slug, dict(org.privacy or {})

    def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=["wave", "unit_id", "role_group"])
        return pd.concat(parts, ignore_index=True)

    return OrganisationData(
        organisation=slug,
        organisation_name=name,
        privacy=privacy,
        units=units,
        waves=[w.name for w in wave_rows],
        employee=combine(frames[Audience.EMPLOYEE]),
        customer=combine(frames[Audience.CUSTOMER]),
        texts=combine(texts)
        if texts
        else pd.DataFrame(columns=["wave", "audience", "unit_id", "item_id", "text"]),
        outcomes=pd.DataFrame(outcome_rows, columns=["unit_id", "metric", "period", "value"]),
        headcount=pd.DataFrame(
            [(u, r.value, n) for u, r, n in head_rows], columns=["unit_id", "role_group", "n"]
        ),
        employee_instrument=instruments.get(Audience.EMPLOYEE),
        customer_instrument=instruments.get(Audience.CUSTOMER),
    )


def ancestors(units: pd.DataFrame) -> dict[int, list[int]]:
    """Every unit's ancestors and itself, root first, from the materialised paths."""
    return {
        int(uid): [int(p) for p in path.strip("/").split("/") if p]
        for uid, path in zip(units["id"], units["path"], strict=True)
    }


def location_of(units: pd.DataFrame) -> dict[int, int | None]:
    """For each unit: the location it is in (itself when a location), else None."""
    kinds = dict(zip(units["id"].astype(int), units["kind"], strict=True))
    out: dict[int, int | None] = {}
    for uid, chain in ancestors(units).items():
        locs = [u for u in chain if kinds.get(u) == "location"]
        out[uid] = locs[-1] if locs else None
    return out
