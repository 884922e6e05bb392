"""Steps for the topic pages: mirror, risk, realistic ambition (comments: ``comments.py``)."""

from __future__ import annotations

import pandas as pd

from spiegel import analysis as A
from spiegel.instruments.model import format_range
from spiegel.results import (
    AmbitionUnit,
    Mirror,
    MirrorGap,
    Risk,
    RiskOutcomeLink,
    RiskUnit,
)
from spiegel.services.analyze.drivers import records
from spiegel.services.analyze.job import GRADE_ITEM, Job, NotAvailable, enough_locations
from spiegel.services.jsonable import jsonable

RISK_SCALES = ["emotional_dissonance", "exhaustion", "recovery"]


def _mirror_long(
    job: Job, pairs: list[tuple[str, str]], measured: dict[int, tuple[int, ...]] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers' and employees' answers per aspect, long; with ``measured`` the employees
    count for a location only when they belong to the unit measured for it
    (:meth:`Job.employee_units`)."""
    e = job.data.employee[job.data.employee["wave"] == job.latest].copy()
    e["location"] = e["unit_id"].map(job.location)
    if measured is not None:
        # everyone at the location, or only its teams' people where those stand for it
        counts = [
            loc == loc
            and int(loc) in measured
            and (measured[int(loc)] == (int(loc),) or int(u) != int(loc))
            for u, loc in zip(e["unit_id"], e["location"], strict=True)
        ]
        e["location"] = e["location"].where(pd.Series(counts, index=e.index))
    c = job.cust[job.cust["wave"] == job.latest]
    cust_parts, emp_parts = [], []
    for cust_item, emp_item in pairs:
        cust_parts.append(
            pd.DataFrame({"aspect": cust_item, "value": c[cust_item], "unit": c["location"]})
        )
        emp_parts.append(
            pd.DataFrame({"aspect": cust_item, "value": e[emp_item], "unit": e["location"]})
        )
    return pd.concat(cust_parts, ignore_index=True), pd.concat(emp_parts, ignore_index=True)


def _gaps(frame: pd.DataFrame) -> list[MirrorGap]:
    frame = frame.drop(columns=["n_dropped", "index"], errors="ignore")
    return [MirrorGap.model_validate(r) for r in records(frame.reset_index(drop=True))]


def mirror(job: Job) -> None:
    """Customers' ratings against employees' expectations, overall and per location.

    A gap is shown only where both of its means passed the gate, each with the people who
    answered that item.
    """
    if job.emp.empty or job.cust.empty:
        raise NotAvailable(
            "the mirror needs an employee and a customer survey",
            "de spiegel vraagt om een medewerkers- en een klantenquête",
        )
    pairs = job.mirror_pairs()
    if not pairs:
        raise NotAvailable(
            "the questionnaires have no mirror questions",
            "de vragenlijsten hebben geen spiegelvragen",
        )
    org_pairs = [
        (c, e) for c, e in pairs if job.org_shown("customer", c) and job.org_shown("employee", e)
    ]
    overall: list[MirrorGap] = []
    if org_pairs:
        cust, emp = _mirror_long(job, org_pairs)
        overall = _gaps(A.mirror_gaps(cust.drop(columns="unit"), emp.drop(columns="unit")))
    measured = job.employee_units(job.latest)
    cust, emp = _mirror_long(job, pairs, measured)
    per_unit = A.mirror_gaps(cust.dropna(subset=["unit"]), emp.dropna(subset=["unit"]), unit="unit")
    shown = {
        (u, c)
        for c, e in pairs
        for u in job.shown_at_locations("customer", c, job.latest).keys()
        & job.employee_at_locations(e, job.latest).keys()
    }
    keep = [(int(u), a) in shown for u, a in zip(per_unit["unit"], per_unit["aspect"], strict=True)]
    per_unit = per_unit[keep].copy()
    per_unit["employee_units"] = [
        [] if measured[int(u)] == (int(u),) else list(measured[int(u)]) for u in per_unit["unit"]
    ]
    job.out["mirror"] = Mirror(overall=overall, units=_gaps(per_unit))


def risk(job: Job) -> None:
    """Strain and recovery per location (shown figures only), flags and the link with
    absenteeism."""
    inst = job.require_employees()
    table_e = job.figures.get("employee")
    missing = [s for s in RISK_SCALES if s not in job.scales]
    if table_e is None or missing:
        names = ", ".join(missing)
        raise NotAvailable(
            f"the employee questionnaire has no answered scales for {names}",
            f"de medewerkersvragenlijst heeft geen beantwoorde schalen voor {names}",
        )
    specs = inst.scale_specs()
    found = {s: job.employee_at_locations(s, job.latest) for s in RISK_SCALES}
    measured = job.employee_units(job.latest)
    table = pd.DataFrame(
        [
            {
                "unit": loc,
                **{s: found[s][loc][0] if loc in found[s] else None for s in RISK_SCALES},
                "employee_units": [] if units == (loc,) else list(units),
            }
            for loc, units in measured.items()
        ],
        columns=["unit", *RISK_SCALES, "employee_units"],
    )
    table[RISK_SCALES] = table[RISK_SCALES].astype(float)
    table = table.dropna(how="all", subset=RISK_SCALES)
    outcomes = job.data.outcomes
    for metric in ("absenteeism", "turnover"):
        o = outcomes[(outcomes["metric"] == metric) & (outcomes["period"] == job.latest)]
        table[metric] = table["unit"].map(o.set_index("unit_id")["value"])
    outcome_cols = [m for m in ("absenteeism", "turnover") if table[m].notna().any()]
    flags = A.risk_flags(
        table,
        thresholds=A.RiskThresholds.for_scale(
            min(specs[s].min for s in RISK_SCALES), max(specs[s].max for s in RISK_SCALES)
        ),
        unit="unit",
        dissonance="emotional_dissonance",
        exhaustion="exhaustion",
        recovery="recovery",
        outcomes=outcome_cols,
    )
    link = None
    if "absenteeism" in outcome_cols:
        link = RiskOutcomeLink.model_validate(
            jsonable(A.risk_outcome_link(flags, "risk_level", "absenteeism"))
        )
    flags["employee_units"] = flags["unit"].map(table.set_index("unit")["employee_units"])
    units = [RiskUnit.model_validate(r) for r in records(flags)]
    job.out["risk"] = Risk(units=units, absenteeism_link=link)


def ambition(job: Job) -> None:
    """What customer grade is reachable per location, from the link and the best peers."""
    panel = job.locations
    if panel.empty:
        raise NotAvailable(
            "realistic ambition needs an employee and a customer survey",
            "een realistische ambitie vraagt om een medewerkers- en een klantenquête",
        )
    latest = panel[panel["wave"] == job.latest].dropna(subset=["engagement", "grade"])
    enough_locations(latest, 3, "realistic ambition", "een realistische ambitie")
    grade_range = format_range(job.require_grade().format_of(GRADE_ITEM)) or (1, 10)
    result = A.reachable_target(
        latest, "engagement", "grade", unit="location", peers="region", outcome_range=grade_range
    )
    measured = dict(zip(latest["location"], latest["employee_units"], strict=True))
    rows = records(result)
    for row in rows:
        loc = int(str(row["location"]))
        units = tuple(measured[loc])
        row["employee_units"] = [] if units == (loc,) else list(units)
    job.out["ambition"] = [AmbitionUnit.model_validate(r) for r in rows]
