"""Analyse an organisation: every method of ``spiegel.analysis``, then the privacy gate.

The result is one JSON document (schema ``spiegel.results/1``, described in
``docs/results-schema.md``) holding only protected figures: unit-level numbers come from
the privacy gate's visible cells; organisation-wide statistics are computed over every
respondent and shown only when the organisation itself passes the minimum. Reports,
dashboards and ``--json`` read this document, never the raw data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sqlalchemy import Engine

from spiegel import analysis as A
from spiegel.instruments import get_instrument
from spiegel.privacy import PrivacySettings, protect_comments
from spiegel.services.dataset import (
    OrganisationData,
    ancestors,
    load_organisation,
    location_of,
)
from spiegel.services.figures import ProtectedFigures, protect_by_figure
from spiegel.services.jsonable import JSON, jsonable
from spiegel.services.unit_tables import expand_to_ancestors
from spiegel.store.db import transaction
from spiegel.store.models import AnalysisRun, Organisation
from spiegel.store.organisation import get_organisation

SCHEMA = "spiegel.results/1"
ENGAGEMENT = "engagement"
GRADE_ITEM = "overall_grade"
NPS_ITEM = "recommend"
ROLE_GROUPS = ("senior_management", "manager", "front_line", "back_office")
ENGAGEMENT_MODEL = "vigor =~ {vigor}\ndedication =~ {dedication}\nabsorption =~ {absorption}"


@dataclass
class Step:
    """A named analysis step, its time, and the error that stopped it (if any)."""

    name: str
    seconds: float
    error: str | None = None


def _as_dict(value: JSON) -> dict[str, JSON]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a result object, got {type(value).__name__}")
    return value


def scale_groups() -> dict[str, list[str]]:
    """Scale names of the built-in engagement, drivers and strain instruments."""
    return {
        group: [s.name for s in get_instrument(group).scales]
        for group in ("engagement", "drivers", "strain")
    }


def privacy_settings(data: OrganisationData) -> PrivacySettings:
    known = {"min_scores", "min_comments", "min_360_group"}
    values = {k: v for k, v in data.privacy.items() if k in known}
    return PrivacySettings(**values)  # type: ignore[arg-type]


class Analysis:
    """Runs the steps on one organisation's data and collects the results document."""

    def __init__(
        self,
        data: OrganisationData,
        n_boot: int = 500,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.data = data
        self.n_boot = n_boot
        self.progress = progress or (lambda _name: None)
        self.settings = privacy_settings(data)
        self.steps: list[Step] = []
        self.results: dict[str, JSON] = {}
        self.groups = scale_groups()
        self.location = location_of(data.units)
        self.emp = pd.DataFrame()
        self.cust = pd.DataFrame()
        self.scales: list[str] = []
        self.locations = pd.DataFrame()
        self.figures: dict[str, ProtectedFigures] = {}
        roots = data.units.loc[data.units["parent_id"].isna(), "id"]
        self.root = int(roots.iloc[0]) if len(roots) else None

    # -- running -------------------------------------------------------------------------
    def run(self) -> dict[str, JSON]:
        for name, fn in [
            ("scores", self.score),
            ("unit_tables", self.unit_tables),
            ("customer", self.customer),
            ("response", self.response),
            ("reliability", self.reliability),
            ("factor_model", self.factor_model),
            ("aggregation", self.aggregation),
            ("location_panel", self.location_panel),
            ("linkage", self.linkage),
            ("lagged", self.lagged),
            ("cross_lagged", self.cross_lagged),
            ("multilevel", self.multilevel),
            ("drivers", self.drivers),
            ("mirror", self.mirror),
            ("risk", self.risk),
            ("ambition", self.ambition),
            ("comments", self.comments),
        ]:
            self.progress(name)
            start = time.perf_counter()
            error = None
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fn()
            except (ValueError, np.linalg.LinAlgError, KeyError, RuntimeError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                self.results.setdefault("errors", {})[name] = error  # type: ignore[index]
            self.steps.append(Step(name, time.perf_counter() - start, error))
        self.results.update(self.header())
        return self.results

    def header(self) -> dict[str, JSON]:
        d = self.data
        units = d.units.assign(parent_id=d.units["parent_id"].astype("float"))
        return {
            "schema": SCHEMA,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "organisation": {"slug": d.organisation, "name": d.organisation_name},
            "waves": list(d.waves),
            "wave": d.waves[-1] if d.waves else None,
            "privacy": {
                "min_scores": self.settings.min_scores,
                "min_comments": self.settings.min_comments,
                "min_360_group": self.settings.min_360_group,
            },
            "units": jsonable(
                units[["id", "code", "name", "kind", "unit_type", "parent_id", "depth"]]
            ),
            "scale_groups": jsonable(self.groups),
            "steps": [jsonable(s) for s in self.steps],
        }

    @property
    def latest(self) -> str:
        return self.data.waves[-1]

    def _org_ok(self, n: int) -> bool:
        return n >= self.settings.min_scores

    def _org_shown(self, audience: str, figure: str, wave: str | None = None) -> bool:
        """True when the organisation's own cell of ``figure`` passed the gate."""
        table = self.figures.get(audience)
        if table is None or self.root is None:
            return False
        return table.shown(self.root, wave or self.latest, figure)

    def _location_shown(self, audience: str, figure: str, wave: str | None = None) -> set[int]:
        """Locations whose ``figure`` passed the gate in ``wave`` (default: the latest)."""
        table = self.figures.get(audience)
        if table is None:
            return set()
        locs = [
            u
            for u, k in zip(self.data.units["id"], self.data.units["kind"], strict=True)
            if k == "location"
        ]
        shown = table.wide(wave or self.latest, [figure], locs)[figure].dropna()
        return {int(u) for u in shown.index}

    # -- steps -----------------------------------------------------------------------------
    def score(self) -> None:
        d = self.data
        if d.employee_instrument is None or d.employee.empty:
            raise ValueError("no employee survey responses to analyse")
        specs = d.employee_instrument.scale_specs()
        scores = A.score_scales(d.employee, specs)
        self.scales = list(specs)
        eng = [s for s in self.groups["engagement"] if s in scores.columns]
        scores[ENGAGEMENT] = scores[eng].mean(axis=1, skipna=False)
        self.scales = [ENGAGEMENT, *self.scales]
        self.emp = pd.concat([d.employee[["wave", "unit_id", "role_group"]], scores], axis=1)
        self.emp["location"] = self.emp["unit_id"].map(self.location)
        cust = d.customer.copy()
        cust["location"] = cust["unit_id"].map(self.location)
        self.cust = cust
        titles = {s.name: s.title.model_dump() for s in d.employee_instrument.scales}
        titles[ENGAGEMENT] = {"nl": "Bevlogenheid", "en": "Engagement"}
        ranges = {name: (spec.min, spec.max) for name, spec in specs.items()}
        ranges[ENGAGEMENT] = ranges[eng[0]] if eng else (1.0, 5.0)
        self.results["scales"] = [
            {"name": s, "title": titles.get(s), "min": ranges[s][0], "max": ranges[s][1]}
            for s in self.scales
        ]

    def response(self) -> None:
        d = self.data
        heads = int(d.headcount["n"].sum())
        rows = []
        for wave in d.waves:
            # Counts of the organisation as a whole, shown only when its cell passed.
            n_emp = self._org_count("employee", wave)
            n_cust = self._org_count("customer", wave)
            rows.append(
                {
                    "wave": wave,
                    "employees": n_emp,
                    "headcount": heads,
                    "response_rate": n_emp / heads if heads and n_emp is not None else None,
                    "customers": n_cust,
                }
            )
        self.results["response"] = rows

    def _org_count(self, audience: str, wave: str) -> int | None:
        table = self.figures.get(audience)
        row = None if table is None or self.root is None else table.row(self.root, wave)
        return int(row["n"]) if row is not None and bool(row["visible"]) else None

    def _latest_items(self, scale: str) -> pd.DataFrame:
        specs = self.data.employee_instrument.scale_specs()  # type: ignore[union-attr]
        latest = self.data.employee[self.data.employee["wave"] == self.latest]
        items = latest[list(specs[scale].items)].astype(float).copy()
        for item in specs[scale].reverse:
            items[item] = specs[scale].min + specs[scale].max - items[item]
        return items

    def reliability(self) -> None:
        rows = []
        for scale in self.scales:
            if scale == ENGAGEMENT:
                continue
            items = self._latest_items(scale)
            if len(items.columns) < 2:
                continue
            alpha = A.cronbach_alpha(items)
            if not self._org_ok(alpha.n_used):
                continue
            omega = A.mcdonald_omega(items) if len(items.columns) >= 3 else float("nan")
            rows.append(
                {
                    "scale": scale,
                    "items": len(items.columns),
                    "n": alpha.n_used,
                    "alpha": alpha.alpha,
                    "omega": omega,
                }
            )
        self.results["reliability"] = jsonable(rows)

    def factor_model(self) -> None:
        specs = self.data.employee_instrument.scale_specs()  # type: ignore[union-attr]
        parts = {s: " + ".join(specs[s].items) for s in ("vigor", "dedication", "absorption")}
        model = ENGAGEMENT_MODEL.format(**parts)
        latest = self.data.employee[self.data.employee["wave"] == self.latest]
        items = [i for s in parts for i in specs[s].items]
        result = A.cfa(latest[items].astype(float), model)
        if not self._org_ok(result.n_used):
            raise ValueError(f"fewer than {self.settings.min_scores} complete answers")
        out = _as_dict(jsonable(result))
        out["model"] = model
        self.results["cfa"] = out

    def aggregation(self) -> None:
        latest = self.emp[(self.emp["wave"] == self.latest) & self.emp["location"].notna()]
        specs = self.data.employee_instrument.scale_specs()  # type: ignore[union-attr]
        rows = []
        for scale in self.scales:
            spec = specs.get(scale)
            options = int(spec.max - spec.min + 1) if spec else 5
            check = A.check_aggregation(latest, unit="location", value=scale, options=options)
            rows.append({"scale": scale, **jsonable(check)})  # type: ignore[dict-item]
        self.results["aggregation"] = rows

    def _mirror_pairs(self) -> list[tuple[str, str]]:
        """(customer item, employee item) of each mirror pair both surveys hold."""
        emp_inst, cust_inst = self.data.employee_instrument, self.data.customer_instrument
        if emp_inst is None or cust_inst is None:
            return []
        pairs = emp_inst.mirror_pairs_for(cust_inst) or cust_inst.mirror_pairs_for(emp_inst)
        return [
            (p.customer_item, p.employee_item)
            for p in pairs
            if p.employee_item in self.data.employee and p.customer_item in self.data.customer
        ]

    def unit_tables(self) -> None:
        mirror_items = list(dict.fromkeys(e for _c, e in self._mirror_pairs()))
        emp = self.emp.copy()
        for item in mirror_items:
            emp[item] = self.data.employee[item].astype(float)
        top = set(self.data.units.loc[self.data.units["kind"] == "organisation", "id"])
        protected = protect_by_figure(
            emp,
            self.data.units,
            [*self.scales, *mirror_items],
            self.settings,
            split="role_group",
            split_units=top,
        )
        self.figures["employee"] = protected
        frame = protected.frame.drop(columns=mirror_items)
        frame["hidden_figures"] = [
            ({k: v for k, v in h.items() if k not in mirror_items} or None) if h else None
            for h in frame["hidden_figures"]
        ]
        summary = protected.summary
        self.results["unit_scores"] = jsonable(frame)
        # Active employees per unit subtree (HR data, not answers): with a visible cell's n
        # it gives the response rate; a hidden cell shows neither.
        heads = self.data.headcount
        if len(heads):
            expanded = expand_to_ancestors(heads, self.data.units)
            per_unit = expanded.groupby("group_unit")["n"].sum()
            self.results["unit_headcount"] = {str(int(u)): int(n) for u, n in per_unit.items()}
        self.results.setdefault("privacy_summary", {})["employee"] = summary  # type: ignore[index]

    def customer(self) -> None:
        if self.cust.empty:
            raise ValueError("no customer survey responses to analyse")
        inst = self.data.customer_instrument
        if inst is None:
            raise ValueError("no customer survey to analyse")
        mot = list(inst.scale("moments_of_truth").item_ids)
        aspects = list(inst.scale("aspects").item_ids)
        cust = self.cust.copy()
        cust["promoter"] = (cust[NPS_ITEM] >= 9).astype(float).where(cust[NPS_ITEM].notna())
        cust["detractor"] = (cust[NPS_ITEM] <= 6).astype(float).where(cust[NPS_ITEM].notna())
        protected = protect_by_figure(
            cust,
            self.data.units,
            [GRADE_ITEM, NPS_ITEM, "promoter", "detractor", *mot, *aspects],
            self.settings,
        )
        self.figures["customer"] = protected
        frame = protected.frame
        frame["nps"] = 100 * (frame["promoter"] - frame["detractor"])
        self.results["unit_customer"] = jsonable(frame)
        self.results.setdefault("privacy_summary", {})["customer"] = (  # type: ignore[index]
            protected.summary
        )
        overall = []
        for wave in self.data.waves:
            w = cust[cust["wave"] == wave]
            entry: dict[str, JSON] = {"wave": wave}
            if self._org_shown("customer", GRADE_ITEM, wave):
                entry["grade"] = jsonable(A.grade_summary(w[GRADE_ITEM]))
            if self._org_shown("customer", NPS_ITEM, wave):
                entry["nps"] = jsonable(A.nps(w[NPS_ITEM], method="adjusted_wald"))
            if len(entry) > 1:
                overall.append(entry)
        self.results["customer_overall"] = overall
        latest = cust[cust["wave"] == self.latest]
        shown_mot = [m for m in mot if self._org_shown("customer", m)]
        mots = A.moments_of_truth(latest, shown_mot) if shown_mot else pd.DataFrame()
        titles = {i: inst.item(i).text.model_dump() for i in mot + aspects}
        self.results["moments_of_truth"] = jsonable(mots)
        self.results["item_titles"] = titles  # type: ignore[assignment]

    def location_panel(self) -> None:
        """Per location and wave: engagement, role-group engagement, grade, NPS, n."""
        emp = self.emp[self.emp["location"].notna()]
        e = emp.groupby(["location", "wave"]).agg(
            engagement=(ENGAGEMENT, "mean"), n_employees=(ENGAGEMENT, "size")
        )
        c = (
            self.cust[self.cust["location"].notna()]
            .groupby(["location", "wave"])
            .agg(grade=(GRADE_ITEM, "mean"), n_customers=(GRADE_ITEM, "size"))
        )
        panel = e.join(c, how="outer").reset_index()
        panel["location"] = panel["location"].astype(int)
        # Only figures that passed the gate enter the models over locations: a model's
        # estimates, with the points shown beside it, could otherwise be solved for a
        # hidden location's figures.
        for column, audience, figure, count in (
            ("engagement", "employee", ENGAGEMENT, "n_employees"),
            ("grade", "customer", GRADE_ITEM, "n_customers"),
        ):
            shown = self._shown(audience, figure)
            keys = list(zip(panel["location"], panel["wave"].astype(str), strict=True))
            panel[column] = [shown.get(k, np.nan) for k in keys]
            panel.loc[panel[column].isna(), count] = np.nan
        panel = panel.join(self._role_engagement(), on=["location", "wave"])
        units = self.data.units.set_index("id")
        panel["name"] = panel["location"].map(units["name"])
        panel["region"] = panel["location"].map(
            lambda u: (
                units.loc[int(units.loc[u, "parent_id"]), "code"]
                if pd.notna(units.loc[u, "parent_id"])
                else None
            )
        )
        self.locations = panel

    def _shown(self, audience: str, figure: str) -> dict[tuple[int, str], float]:
        """``figure`` of every location and wave where it passed the gate."""
        table = self.figures.get(audience)
        if table is None:
            return {}
        locs = self.data.units.loc[self.data.units["kind"] == "location", "id"].astype(int)
        out: dict[tuple[int, str], float] = {}
        for wave in self.data.waves:
            values = table.wide(wave, [figure], locs)[figure].dropna()
            out.update({(int(u), wave): float(v) for u, v in values.items()})
        return out

    def _role_engagement(self) -> pd.DataFrame:
        """Engagement of each role group per location and wave.

        A role group present in the location (its teams included) is measured there. One
        that is not (senior management, back office) is measured over everyone in that
        role attached directly to the units above the location (its region, the
        organisation): their engagement applies to every location below them.
        """
        units = self.data.units
        emp = self.emp.dropna(subset=["role_group", ENGAGEMENT])
        expanded = expand_to_ancestors(emp[["unit_id", "wave", "role_group", ENGAGEMENT]], units)
        inside = expanded.groupby(["group_unit", "wave", "role_group"])[ENGAGEMENT].mean()
        inside_lookup = inside.to_dict()
        direct = emp.groupby(["unit_id", "wave", "role_group"])[ENGAGEMENT].agg(["sum", "count"])
        direct_lookup = {k: (float(v["sum"]), int(v["count"])) for k, v in direct.iterrows()}
        chains = ancestors(units)
        loc_ids = sorted({int(x) for x in self.emp["location"].dropna()})
        rows = []
        for wave in self.data.waves:
            for loc in loc_ids:
                row: dict[str, object] = {"location": loc, "wave": wave}
                for role in ROLE_GROUPS:
                    value = inside_lookup.get((loc, wave, role), np.nan)
                    if np.isnan(value):
                        above = [direct_lookup.get((a, wave, role)) for a in chains[loc][:-1]]
                        total = sum(x[0] for x in above if x)
                        count = sum(x[1] for x in above if x)
                        value = total / count if count else np.nan
                    row[f"eng_{role}"] = value
                rows.append(row)
        return pd.DataFrame(rows).set_index(["location", "wave"])

    def _latest_locations(self) -> pd.DataFrame:
        p = self.locations
        return p[p["wave"] == self.latest]

    def linkage(self) -> None:
        latest = self._latest_locations().dropna(subset=["engagement", "grade"])
        result = A.unit_linkage(
            latest, "engagement", "grade", weights="n_customers", n_boot=self.n_boot
        )
        # The points are exactly the locations the model was fitted to (both figures shown).
        points = latest[["location", "name", "engagement", "grade", "n_customers"]]
        xs = np.linspace(latest["engagement"].min(), latest["engagement"].max(), 30)
        fit = self._fit_band(latest, xs)
        role_result, role_model = self._role_linkage()
        self.results["linkage"] = {
            "unit": jsonable(result),
            "points": jsonable(points),
            "fit": jsonable(fit),
            "role_groups": jsonable(role_result),
            "role_groups_model": role_model,
        }

    def _role_linkage(self) -> tuple[object, str]:
        """The customer grade on the engagement of each role group, as separate predictors.

        With two waves or more: the grade at t+1 on each role group's engagement at t and
        the grade at t, pooled over consecutive waves (the lagged form, which is how the
        effect works); with one wave: the grade on engagement in the same wave.
        """
        roles = [f"eng_{r}" for r in ROLE_GROUPS]
        panel = self.locations
        waves = self.data.waves
        if len(waves) < 2:
            latest = self._latest_locations().dropna(subset=[*roles, "grade"])
            return A.role_group_linkage(latest, roles, "grade"), "same wave"
        following = dict(itertools.pairwise(waves))
        now = panel[panel["wave"].isin(following)].copy()
        now["next_wave"] = now["wave"].map(following)
        later = panel[["location", "wave", "grade"]].rename(
            columns={"wave": "next_wave", "grade": "grade_next"}
        )
        pairs = now.merge(later, on=["location", "next_wave"]).dropna(
            subset=[*roles, "grade", "grade_next"]
        )
        result = A.role_group_linkage(pairs, [*roles, "grade"], "grade_next")
        return result, "grade at t+1 on engagement at t, controlling for the grade at t"

    @staticmethod
    def _fit_band(frame: pd.DataFrame, xs: np.ndarray) -> pd.DataFrame:
        X = sm.add_constant(frame["engagement"].to_numpy(float))
        w = frame["n_customers"].to_numpy(float)
        model = sm.WLS(frame["grade"].to_numpy(float), X, weights=w).fit()
        pred = model.get_prediction(sm.add_constant(xs)).summary_frame(alpha=0.05)
        return pd.DataFrame(
            {"x": xs, "fit": pred["mean"], "lo": pred["mean_ci_lower"], "hi": pred["mean_ci_upper"]}
        )

    def lagged(self) -> None:
        if len(self.data.waves) < 2:
            raise ValueError("the lagged effect needs two waves or more")
        panel = self.locations.rename(columns={"location": "unit"})
        result = A.lagged_linkage(panel, "engagement", "grade", wave="wave", unit="unit")
        self.results["lagged"] = jsonable(result)

    def cross_lagged(self) -> None:
        if len(self.data.waves) < 2:
            raise ValueError("a cross-lagged panel model needs two waves or more")
        panel = self.locations.rename(columns={"location": "unit"})[
            ["unit", "wave", "engagement", "grade"]
        ]
        result = A.cross_lagged(panel, "engagement", "grade", wave="wave", unit="unit")
        out = _as_dict(jsonable(result))
        out.pop("parameters", None)
        self.results["cross_lagged"] = out

    def multilevel(self) -> None:
        units = self._latest_locations().dropna(subset=["engagement", "grade"])
        units = units[["location", "engagement"]]
        latest_c = self.cust[
            (self.cust["wave"] == self.latest) & self.cust["location"].isin(units["location"])
        ]
        result = A.multilevel_linkage(
            latest_c[["location", GRADE_ITEM]], units, GRADE_ITEM, ["engagement"], "location"
        )
        self.results["multilevel"] = jsonable(result)

    def drivers(self) -> None:
        if not self._org_shown("employee", ENGAGEMENT):
            raise ValueError(f"fewer than {self.settings.min_scores} employees answered")
        latest = self.emp[self.emp["wave"] == self.latest]
        drivers = [s for s in self.groups["drivers"] if s in latest.columns]
        imp = A.relative_importance(latest, ENGAGEMENT, drivers, n_boot=self.n_boot)
        perf = latest[drivers].mean()
        matrix = A.priority_matrix(imp, perf)
        eng = imp.join(matrix.drop(columns=[c for c in matrix.columns if c in imp.columns]))
        out: dict[str, JSON] = {"engagement": jsonable(eng), "engagement_r2": imp.attrs.get("r2")}
        inst = self.data.customer_instrument
        if inst is not None and self._org_shown("customer", GRADE_ITEM):
            c = self.cust[self.cust["wave"] == self.latest]
            mot = [
                i
                for i in inst.scale("moments_of_truth").item_ids
                if i in c.columns and self._org_shown("customer", i)
            ]
            imp_c = A.relative_importance(c, GRADE_ITEM, mot, n_boot=self.n_boot)
            matrix_c = A.priority_matrix(imp_c, c[mot].mean())
            out["grade"] = jsonable(
                imp_c.join(
                    matrix_c.drop(columns=[x for x in matrix_c.columns if x in imp_c.columns])
                )
            )
            out["grade_r2"] = jsonable(imp_c.attrs.get("r2"))
            out["grade_n_dropped"] = jsonable(imp_c.attrs.get("n_dropped"))
        self.results["drivers"] = out

    def _mirror_long(self, pairs: list[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
        e = self.data.employee[self.data.employee["wave"] == self.latest].copy()
        e["location"] = e["unit_id"].map(self.location)
        c = self.cust[self.cust["wave"] == self.latest]
        cust_parts, emp_parts = [], []
        for cust_item, emp_item in pairs:
            cust_parts.append(
                pd.DataFrame({"aspect": cust_item, "value": c[cust_item], "unit": c["location"]})
            )
            emp_parts.append(
                pd.DataFrame({"aspect": cust_item, "value": e[emp_item], "unit": e["location"]})
            )
        return pd.concat(cust_parts, ignore_index=True), pd.concat(emp_parts, ignore_index=True)

    def mirror(self) -> None:
        if self.data.employee_instrument is None or self.data.customer_instrument is None:
            raise ValueError("the mirror needs an employee and a customer survey")
        pairs = self._mirror_pairs()
        if not pairs:
            raise ValueError("the instruments have no mirror pairs")
        # A gap is shown only where both of its means passed the gate, each with the
        # people who answered that item.
        org_pairs = [
            (c, e)
            for c, e in pairs
            if self._org_shown("customer", c) and self._org_shown("employee", e)
        ]
        overall = pd.DataFrame()
        if org_pairs:
            cust, emp = self._mirror_long(org_pairs)
            overall = A.mirror_gaps(cust.drop(columns="unit"), emp.drop(columns="unit"))
        cust, emp = self._mirror_long(pairs)
        per_unit = A.mirror_gaps(
            cust.dropna(subset=["unit"]), emp.dropna(subset=["unit"]), unit="unit"
        )
        shown = {
            (u, c)
            for c, e in pairs
            for u in self._location_shown("customer", c) & self._location_shown("employee", e)
        }
        keep = [
            (int(u), a) in shown for u, a in zip(per_unit["unit"], per_unit["aspect"], strict=True)
        ]
        per_unit = per_unit[keep].drop(columns=["n_dropped"], errors="ignore")
        self.results["mirror"] = {
            "overall": jsonable(overall.drop(columns=["n_dropped"], errors="ignore")),
            "units": jsonable(per_unit.reset_index(drop=True)),
        }

    def risk(self) -> None:
        cols = ["emotional_dissonance", "exhaustion", "recovery"]
        table_e = self.figures.get("employee")
        if table_e is None:
            raise ValueError("no employee survey responses to analyse")
        locs = self.data.units.loc[self.data.units["kind"] == "location", "id"].astype(int)
        table = table_e.wide(self.latest, cols, locs).dropna(how="all")
        table = table.rename_axis("unit").reset_index()
        outcomes = self.data.outcomes
        for metric in ("absenteeism", "turnover"):
            o = outcomes[(outcomes["metric"] == metric) & (outcomes["period"] == self.latest)]
            table[metric] = table["unit"].map(o.set_index("unit_id")["value"])
        outcome_cols = [m for m in ("absenteeism", "turnover") if table[m].notna().any()]
        flags = A.risk_flags(
            table,
            unit="unit",
            dissonance="emotional_dissonance",
            exhaustion="exhaustion",
            recovery="recovery",
            outcomes=outcome_cols,
        )
        out: dict[str, JSON] = {"units": jsonable(flags)}
        if "absenteeism" in outcome_cols:
            link = A.risk_outcome_link(flags, "risk_level", "absenteeism")
            out["absenteeism_link"] = jsonable(link)
        self.results["risk"] = out

    def ambition(self) -> None:
        latest = self._latest_locations().dropna(subset=["engagement", "grade"])
        result = A.reachable_target(
            latest, "engagement", "grade", unit="location", peers="region", outcome_range=(1, 10)
        )
        self.results["ambition"] = jsonable(result)

    def comments(self) -> None:
        texts = self.data.texts
        latest = texts[texts["wave"] == self.latest].copy()
        latest["location"] = latest["unit_id"].map(self.location)
        out: dict[str, JSON] = {}
        for audience, frame in (("customer", self.cust), ("employee", self.emp)):
            n_by_loc = frame[frame["wave"] == self.latest].groupby("location").size()
            group = latest[latest["audience"] == audience]
            by_unit = {}
            for loc, n in n_by_loc.items():
                comments = group.loc[group["location"] == loc, "text"].tolist()
                protected = protect_comments(
                    comments, int(n), self.settings, seed=f"{audience}:{loc}:{self.latest}"
                )
                if protected.visible and protected.texts:
                    by_unit[str(int(loc))] = list(protected.texts)
            out[audience] = by_unit
        self.results["comments"] = out


def up_to_wave(data: OrganisationData, wave: str) -> OrganisationData:
    """The data of the waves up to and including ``wave`` (the one the analysis describes)."""
    if wave not in data.waves:
        raise ValueError(f"no wave {wave!r}; known waves: {', '.join(data.waves) or 'none'}")
    keep = data.waves[: data.waves.index(wave) + 1]
    data.waves = keep
    data.employee = data.employee[data.employee["wave"].isin(keep)].reset_index(drop=True)
    data.customer = data.customer[data.customer["wave"].isin(keep)].reset_index(drop=True)
    data.texts = data.texts[data.texts["wave"].isin(keep)].reset_index(drop=True)
    return data


def analyze(
    engine: Engine,
    organisation: str | None = None,
    n_boot: int = 500,
    progress: Callable[[str], None] | None = None,
    store: bool = True,
    wave: str | None = None,
) -> tuple[dict[str, JSON], list[Step]]:
    """Run every analysis for an organisation; store the protected results document.

    ``wave`` (default: the latest) is the wave the results describe; later waves are
    left out, earlier ones feed the trends and the lagged models.
    """
    data = load_organisation(engine, organisation)
    if not data.waves:
        raise ValueError("no waves yet: import responses with --wave first")
    if wave is not None:
        data = up_to_wave(data, wave)
    job = Analysis(data, n_boot=n_boot, progress=progress)
    results = job.run()
    if store:
        with transaction(engine) as session:
            org: Organisation = get_organisation(session, data.organisation)
            session.add(AnalysisRun(organisation_id=org.id, results=results))
    return results, job.steps
