"""Steps that score the answers and protect the unit tables: the figures every other
section is built from."""

from __future__ import annotations

import pandas as pd

from spiegel import analysis as A
from spiegel.results import (
    NPS,
    CustomerWave,
    GradeSummary,
    MomentOfTruth,
    ResponseWave,
    ScaleInfo,
    Title,
)
from spiegel.services.analyze.intervals import with_intervals
from spiegel.services.analyze.job import ENGAGEMENT, GRADE_ITEM, NPS_ITEM, Job, NotAvailable
from spiegel.services.figures import protect_by_figure
from spiegel.services.jsonable import jsonable
from spiegel.services.unit_tables import Figures, expand_to_ancestors


def score(job: Job) -> None:
    """Scale scores per respondent (engagement: the mean of its three scales)."""
    d = job.data
    if d.employee_instrument is None or d.employee.empty:
        raise NotAvailable(
            "no employee survey responses yet", "nog geen antwoorden op een medewerkersenquête"
        )
    specs = d.employee_instrument.scale_specs()
    scores = A.score_scales(d.employee, specs)
    empty = [s for s in specs if scores[s].isna().all()]
    if empty:
        names = ", ".join(empty)
        job.note(
            f"no scores, nobody answered: {names}", f"geen scores, niemand antwoordde: {names}"
        )
    answered = [s for s in specs if s not in empty]
    eng = [s for s in job.groups["engagement"] if s in answered]
    job.scales = list(answered)
    if eng:
        # Engagement: the mean of its scales (all of them answered), on their common range.
        scores[ENGAGEMENT] = scores[eng].mean(axis=1, skipna=False)
        job.scales = [ENGAGEMENT, *answered]
    job.emp = pd.concat([d.employee[["wave", "unit_id", "role_group"]], scores], axis=1)
    job.emp["location"] = job.emp["unit_id"].map(job.location)
    titles = {s.name: s.title.model_dump() for s in d.employee_instrument.scales}
    titles[ENGAGEMENT] = {"nl": "Bevlogenheid", "en": "Engagement"}
    better = {s.name: s.higher_is_better for s in d.employee_instrument.scales}
    ranges = {name: (spec.min, spec.max) for name, spec in specs.items()}
    if eng:
        ranges[ENGAGEMENT] = (min(ranges[s][0] for s in eng), max(ranges[s][1] for s in eng))
    job.out["scales"] = [
        ScaleInfo(
            name=s,
            title=Title(**titles[s]),
            min=ranges[s][0],
            max=ranges[s][1],
            higher_is_better=better.get(s, True),
        )
        for s in job.scales
    ]


def customers(job: Job) -> None:
    """The customers' answers, with the location each belongs to."""
    cust = job.data.customer.copy()
    cust["location"] = cust["unit_id"].map(job.location)
    job.cust = cust


def unit_tables(job: Job) -> None:
    """Employee scale means per unit and wave (and role group at the top), protected per
    figure; the mirror questions are protected with them for the mirror section."""
    if job.emp.empty:
        raise NotAvailable(
            "no employee survey responses yet", "nog geen antwoorden op een medewerkersenquête"
        )
    mirror_items = list(dict.fromkeys(e for _c, e in job.mirror_pairs()))
    emp = job.emp.copy()
    for item in mirror_items:
        emp[item] = job.data.employee[item].astype(float)
    units = job.data.units
    top = set(units.loc[units["kind"] == "organisation", "id"])
    protected = protect_by_figure(
        emp,
        units,
        [*job.scales, *mirror_items],
        job.settings,
        split="role_group",
        split_units=top,
        # Of a location and its only team, which differ by the few people attached to the
        # location directly, keep the team: its results are what a team discusses. The
        # team's figures then stand for the location (Job.employee_units).
        hide_first="higher",
    )
    job.figures["employee"] = protected
    emp["below_location"] = emp["location"].notna() & (emp["unit_id"] != emp["location"])
    job.staff = emp
    # Each shown mean with its 95% interval: trends and comparisons show how sure it is.
    job.out["employee"] = with_intervals(protected.to_table(job.scales), emp, units, job.scales)
    # Active employees per unit subtree (HR data, not answers): with a visible cell's n it
    # gives the response rate; a hidden cell shows neither.
    heads = job.data.headcount
    if len(heads):
        expanded = expand_to_ancestors(heads, units)
        per_unit = expanded.groupby("group_unit")["n"].sum()
        units_, counts = per_unit.index.tolist(), per_unit.tolist()
        job.out["headcount"] = {int(u): int(n) for u, n in zip(units_, counts, strict=True)}


def customer(job: Job) -> None:
    """Customer figures per unit and wave, protected per figure; the organisation's grade,
    NPS and moments of truth."""
    inst = job.require_customers()
    mot = job.customer_items("moments_of_truth")
    aspects = job.customer_items("aspects")
    cust = job.cust.copy()
    figures = [i for i in (GRADE_ITEM,) if i in cust]
    extra: Figures = {}
    if NPS_ITEM in cust:
        cust["promoter"] = (cust[NPS_ITEM] >= 9).astype(float).where(cust[NPS_ITEM].notna())
        cust["detractor"] = (cust[NPS_ITEM] <= 6).astype(float).where(cust[NPS_ITEM].notna())
        cust["nps"] = 100 * (cust["promoter"] - cust["detractor"])
        figures += [NPS_ITEM, "promoter", "detractor"]
        extra = {"nps": "nps"}
    figures += [*mot, *aspects]
    if not figures:
        raise NotAvailable(
            "the customer questionnaire has no grades or ratings to report",
            "de klantvragenlijst heeft geen cijfers of oordelen om te tonen",
        )
    protected = protect_by_figure(cust, job.data.units, figures, job.settings, extra=extra)
    job.figures["customer"] = protected
    job.out["customer"] = protected.to_table([*figures, *extra])
    overall = []
    for wave in job.data.waves:
        w = cust[cust["wave"] == wave]
        grade = nps = None
        if GRADE_ITEM in cust and job.org_shown("customer", GRADE_ITEM, wave):
            grade = GradeSummary.model_validate(jsonable(A.grade_summary(w[GRADE_ITEM])))
        if NPS_ITEM in cust and job.org_shown("customer", NPS_ITEM, wave):
            nps = NPS.model_validate(jsonable(A.nps(w[NPS_ITEM], method="adjusted_wald")))
        if grade is not None or nps is not None:
            overall.append(CustomerWave(wave=wave, grade=grade, nps=nps))
    job.out["customer_overall"] = overall
    shown = [m for m in mot if job.org_shown("customer", m)]
    if shown:
        latest = cust[cust["wave"] == job.latest]
        rows = jsonable(A.moments_of_truth(latest, shown))
        job.out["moments_of_truth"] = [MomentOfTruth.model_validate(r) for r in rows]  # type: ignore[union-attr]
    # What results call each item: its short title, else its question (spiegel.results.labels).
    titled = [i for i in (GRADE_ITEM, NPS_ITEM, *mot, *aspects) if inst.has_item(i)]
    job.out["item_titles"] = {i: Title(**inst.item(i).label.model_dump()) for i in titled}


def response(job: Job) -> None:
    """Respondents per wave for the organisation as a whole (counts only when its cell
    passed the gate) against the headcount."""
    heads = int(job.data.headcount["n"].sum())
    rows = []
    for wave in job.data.waves:
        n_emp = job.org_count("employee", wave)
        rows.append(
            ResponseWave(
                wave=wave,
                employees=n_emp,
                headcount=heads,
                response_rate=n_emp / heads if heads and n_emp is not None else None,
                customers=job.org_count("customer", wave),
            )
        )
    job.out["response"] = rows
