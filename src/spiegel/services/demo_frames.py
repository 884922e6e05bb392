"""The demo generator's data as the frames the analysis reads from the store.

``spiegel demo`` imports its files into a database first, as a user would; benchmarks and
the privacy attack suite analyse many generated organisations and skip that round trip.
"""

from __future__ import annotations

import pandas as pd

from spiegel.demo import DemoData
from spiegel.instruments import get_instrument
from spiegel.services.dataset import OrganisationData


def organisation_frames(data: DemoData) -> OrganisationData:
    """The demo's frames in the shape the analysis service reads from the store."""
    units = data.units.reset_index(drop=True).copy()
    ids = {code: i + 1 for i, code in enumerate(units["code"])}
    units["id"] = units["code"].map(ids)
    units["parent_id"] = units["parent"].map(ids).astype("Int64")
    paths: dict[str, str] = {}

    def path(code: str) -> str:
        if code not in paths:
            parent = units.loc[units["code"] == code, "parent"].iloc[0]
            prefix = path(parent) if isinstance(parent, str) and parent else "/"
            paths[code] = f"{prefix}{ids[code]}/"
        return paths[code]

    parent_of = dict(zip(units["code"], units["parent"], strict=True))
    for code in _topological(parent_of):
        path(code)
    units["path"] = units["code"].map(paths)
    units["depth"] = units["path"].str.count("/") - 2

    def responses(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        out = pd.concat(list(frames.values()), ignore_index=True)
        out = out.rename(columns={"unit": "unit_code"})
        out.insert(1, "unit_id", out["unit_code"].map(ids))
        if "role_group" not in out:
            out["role_group"] = None
        return out

    employee = responses(dict(data.employee_responses))
    customer = responses(dict(data.customer_responses))
    texts = []
    for frame, audience in ((employee, "employee"), (customer, "customer")):
        inst = get_instrument(audience)
        for item in inst.items:
            if inst.format_of(item.id).kind == "text" and item.id in frame:
                t = frame[["wave", "unit_id", item.id]].dropna().rename(columns={item.id: "text"})
                t["audience"], t["item_id"] = audience, item.id
                texts.append(t)
    outcomes = data.outcomes.rename(columns={"unit": "unit_code"})
    outcomes["unit_id"] = outcomes["unit_code"].map(ids)
    headcount = data.employees.assign(unit_id=data.employees["unit"].map(ids))
    headcount = headcount.groupby(["unit_id", "role_group"]).size().rename("n").reset_index()
    return OrganisationData(
        organisation="bench",
        organisation_name="Benchmark",
        privacy={},
        units=units,
        waves=list(data.wave_names),
        employee=employee,
        customer=customer,
        texts=pd.concat(texts, ignore_index=True),
        outcomes=outcomes[["unit_id", "metric", "period", "value"]],
        headcount=headcount,
        employee_instrument=get_instrument("employee"),
        customer_instrument=get_instrument("customer"),
    )


def _topological(parent_of: dict[str, object]) -> list[str]:
    order, seen = [], set()
    for code in parent_of:
        chain = []
        while code and code not in seen and isinstance(code, str):
            chain.append(code)
            seen.add(code)
            code = parent_of.get(code)  # type: ignore[assignment]
        order.extend(reversed(chain))
    return order
