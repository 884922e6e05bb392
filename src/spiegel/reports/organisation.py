"""The organisation report (and a unit's report) from a protected results document.

The renderer receives the results of ``spiegel analyze``: unit figures are the privacy
gate's visible cells only; hidden cells carry a reason and no number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from spiegel.reports import charts
from spiegel.reports.text import t

Results = Mapping[str, object]
HEATMAP_ROWS = 40  # units per heatmap, so each fits a printed page


@dataclass
class Chart:
    """A chart as Vega-Lite spec (for the web) and as SVG (for HTML and PDF)."""

    spec: dict[str, object]
    svg: str


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[dict[str, object]] = field(default_factory=list)
    missing: str | None = None


def _f(value: object, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _records(results: Results, key: str) -> list[dict[str, object]]:
    value = results.get(key)
    return list(value) if isinstance(value, list) else []  # type: ignore[arg-type]


def _chart(spec: dict[str, object]) -> Chart:
    return Chart(spec=spec, svg=charts.to_svg(spec))


def _table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], caption: str = ""
) -> dict[str, object]:
    return {
        "columns": list(columns),
        "rows": [[_f(v) for v in r] for r in rows],
        "caption": caption,
    }


class ReportBuilder:
    """Builds the report sections in one language."""

    def __init__(self, results: Results, lang: str = "nl", unit: int | None = None) -> None:
        if lang not in ("nl", "en"):
            raise ValueError(f"language must be nl or en, not {lang!r}")
        self.r = results
        self.lang = lang
        self.unit = unit
        units = pd.DataFrame(_records(results, "units"))
        self.units = units.set_index("id") if len(units) else units
        self.errors: Mapping[str, str] = results.get("errors", {}) or {}  # type: ignore[assignment]
        self.scale_titles = {
            s["name"]: (s.get("title") or {}).get(lang, s["name"])  # type: ignore[union-attr]
            for s in _records(results, "scales")
        }
        self.item_titles: Mapping[str, Mapping[str, str]] = results.get("item_titles", {}) or {}  # type: ignore[assignment]

    def name(self, unit_id: object) -> str:
        try:
            return str(self.units.loc[int(unit_id), "name"])  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError):
            return str(unit_id)

    def item(self, item_id: str) -> str:
        text = self.item_titles.get(item_id, {}).get(self.lang, item_id)
        return text if len(text) < 60 else item_id

    def _missing(self, key: str, *steps: str) -> str | None:
        for step in steps:
            if step in self.errors:
                return f"{t('not_available', self.lang)}: {self.errors[step]}"
        return None

    # -- sections -------------------------------------------------------------------------
    def sections(self) -> list[Section]:
        builders = [
            self.summary,
            self.response,
            self.heatmap,
            self.linkage,
            self.drivers,
            self.mirror,
            self.moments,
            self.risk,
            self.ambition,
            self.comments,
            self.privacy,
        ]
        out = []
        for build in builders:
            try:
                out.append(build())
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                name = build.__name__
                out.append(
                    Section(
                        name, t(name, self.lang), missing=f"{t('not_available', self.lang)} ({exc})"
                    )
                )
        return out

    def summary(self) -> Section:
        nl = self.lang == "nl"
        s = Section("summary", t("summary", self.lang))
        resp = _records(self.r, "response")
        if resp:
            last = resp[-1]
            rate = last.get("response_rate")
            s.paragraphs.append(
                (
                    f"In meting {last['wave']} vulden {last['employees']} medewerkers de vragenlijst in"
                    + (f" ({_f(100 * rate, 0)}% respons)" if isinstance(rate, float) else "")
                    + f" en gaven {last['customers']} klanten hun oordeel."
                )
                if nl
                else (
                    f"In wave {last['wave']}, {last['employees']} employees answered the survey"
                    + (f" ({_f(100 * rate, 0)}% response)" if isinstance(rate, float) else "")
                    + f" and {last['customers']} customers gave their view."
                )
            )
        overall = _records(self.r, "customer_overall")
        if overall:
            last = overall[-1]
            grade, nps = last["grade"], last["nps"]  # type: ignore[index]
            s.paragraphs.append(
                f"Klanten geven gemiddeld een {_f(grade['mean'], 1)} (95%-BI {_f(grade['ci_low'], 1)}–{_f(grade['ci_high'], 1)}); "  # type: ignore[index]
                f"de Net Promoter Score is {_f(nps['nps'], 0)} ({_f(nps['ci_low'], 0)} tot {_f(nps['ci_high'], 0)})."  # type: ignore[index]
                if nl
                else f"Customers give an average grade of {_f(grade['mean'], 1)} (95% CI {_f(grade['ci_low'], 1)}–{_f(grade['ci_high'], 1)}); "  # type: ignore[index]
                f"the Net Promoter Score is {_f(nps['nps'], 0)} ({_f(nps['ci_low'], 0)} to {_f(nps['ci_high'], 0)})."  # type: ignore[index]
            )
        link = (self.r.get("linkage") or {}).get("unit")  # type: ignore[union-attr]
        if link:
            r, lo, hi, n = (
                link["pearson_r"],
                link["pearson_ci_low"],
                link["pearson_ci_high"],
                link["n_units"],
            )
            slope = link["slope"]
            s.paragraphs.append(
                f"Op locaties waar medewerkers bevlogener zijn, geven klanten hogere cijfers: r = {_f(r)} "
                f"(95%-BI {_f(lo)} tot {_f(hi)}) over {n} locaties. Eén punt meer bevlogenheid gaat samen "
                f"met {_f(slope)} punt hoger klantcijfer."
                if nl
                else f"Where employees are more engaged, customers give higher grades: r = {_f(r)} "
                f"(95% CI {_f(lo)} to {_f(hi)}) across {n} locations. One point more engagement goes "
                f"with a {_f(slope)} point higher customer grade."
            )
        lagged = self.r.get("lagged")
        if isinstance(lagged, dict):
            coef = {c.get("term"): c for c in lagged.get("coefficients", [])}
            e = coef.get("engagement")
            if e:
                s.paragraphs.append(
                    f"Over de tijd: bevlogenheid in de ene meting voorspelt het klantcijfer in de volgende "
                    f"(b = {_f(e['estimate'])}, 95%-BI {_f(e['ci_low'])} tot {_f(e['ci_high'])}), ook als het "
                    "eerdere klantcijfer is meegenomen."
                    if nl
                    else f"Over time: engagement in one wave predicts the customer grade in the next "
                    f"(b = {_f(e['estimate'])}, 95% CI {_f(e['ci_low'])} to {_f(e['ci_high'])}), "
                    "controlling for the earlier grade."
                )
        drivers = (self.r.get("drivers") or {}).get("engagement")  # type: ignore[union-attr]
        if drivers:
            top = sorted(drivers, key=lambda d: -(d.get("general_dominance") or 0))[:3]
            names = ", ".join(self.scale_titles.get(self._pred(d), self._pred(d)) for d in top)
            s.paragraphs.append(
                f"De sterkste drijfveren van bevlogenheid: {names}."
                if nl
                else f"The strongest drivers of engagement: {names}."
            )
        risk = (self.r.get("risk") or {}).get("units") or []  # type: ignore[union-attr]
        high = [u for u in risk if u.get("risk_level") == "high"]
        if risk:
            s.paragraphs.append(
                f"{len(high)} locatie(s) tonen een risicopatroon van hoge belasting en weinig herstel."
                if nl
                else f"{len(high)} location(s) show a risk pattern of high strain and little recovery."
            )
        return s

    @staticmethod
    def _pred(row: Mapping[str, object]) -> str:
        for key in ("predictor", "index", "driver"):
            if key in row:
                return str(row[key])
        return "?"

    def response(self) -> Section:
        s = Section("response", t("response", self.lang))
        resp = _records(self.r, "response")
        s.tables.append(
            _table(
                [t("wave", self.lang), "n (emp.)", "headcount", "%", "n (cust.)"],
                [
                    [
                        r["wave"],
                        r["employees"],
                        r["headcount"],
                        100 * r["response_rate"] if r.get("response_rate") else None,
                        r["customers"],
                    ]  # type: ignore[operator]
                    for r in resp
                ],
            )
        )
        rel = _records(self.r, "reliability")
        s.tables.append(
            _table(
                [t("scale", self.lang), "items", "n", "Cronbach α", "McDonald ω"],
                [
                    [
                        self.scale_titles.get(r["scale"], r["scale"]),
                        r["items"],
                        r["n"],
                        r["alpha"],
                        r["omega"],
                    ]
                    for r in rel
                ],  # type: ignore[arg-type]
            )
        )
        cfa = self.r.get("cfa")
        if isinstance(cfa, dict):
            s.paragraphs.append(
                f"CFA (vigor, dedication, absorption): χ²({cfa['df']}) = {_f(cfa['chi2'], 1)}, CFI = {_f(cfa['cfi'], 3)}, "
                f"TLI = {_f(cfa['tli'], 3)}, RMSEA = {_f(cfa['rmsea'], 3)} [{_f(cfa['rmsea_ci_low'], 3)}, {_f(cfa['rmsea_ci_high'], 3)}], "
                f"SRMR = {_f(cfa['srmr'], 3)}, n = {cfa['n_used']}."
            )
        agg = _records(self.r, "aggregation")
        s.tables.append(
            _table(
                [t("scale", self.lang), "ICC(1)", "ICC(2)", "median r_wg", "OK"],
                [
                    [
                        self.scale_titles.get(a["scale"], a["scale"]),
                        a.get("icc1"),
                        a.get("icc2"),
                        a.get("median_rwg"),
                        "✓" if a.get("justified") else "✗",
                    ]  # type: ignore[arg-type]
                    for a in agg
                ],
                caption=(
                    "Aggregatie naar locaties is verantwoord bij ICC(1) > .05, ICC(2) > .70 en mediane r_wg > .70 (LeBreton & Senter, 2008)."
                    if self.lang == "nl"
                    else "Aggregating to locations is justified with ICC(1) > .05, ICC(2) > .70 and median r_wg > .70 (LeBreton & Senter, 2008)."
                ),
            )
        )
        return s

    def _unit_rows(self, key: str) -> pd.DataFrame:
        frame = pd.DataFrame(_records(self.r, key))
        if frame.empty:
            return frame
        if "role_group" in frame:
            frame = frame[frame["role_group"].isna()]
        return frame[frame["wave"] == self.r.get("wave")]

    def heatmap(self) -> Section:
        s = Section("heatmap", t("heatmap", self.lang))
        frame = self._unit_rows("unit_scores")
        kinds = self.units["kind"] if len(self.units) else pd.Series(dtype=str)
        frame = frame[
            frame["unit"].map(lambda u: kinds.get(u) in ("organisation", "region", "location"))
        ]
        if self.unit is not None:
            frame = frame[frame["unit"].isin(self._subtree(self.unit))]
        scales = [x["name"] for x in _records(self.r, "scales") if x.get("max", 5) <= 5]
        long = frame.melt(
            id_vars=["unit", "visible", "n"],
            value_vars=[c for c in scales if c in frame],
            var_name="scale",
            value_name="mean",
        )
        long["unit_name"] = long["unit"].map(self.name)
        long["scale_title"] = long["scale"].map(lambda c: self.scale_titles.get(c, c))
        long["label"] = long["mean"].map(lambda v: None if pd.isna(v) else f"{v:.1f}")
        # Colour says good (green) or worrying (red): for strain, a high score is worrying.
        strain = set((self.r.get("scale_groups") or {}).get("strain", []))  # type: ignore[union-attr]
        long["colour"] = long["mean"].where(~long["scale"].isin(strain), 6 - long["mean"])
        order = list(dict.fromkeys(long["unit"]))
        for start in range(0, len(order), HEATMAP_ROWS):
            chunk = long[long["unit"].isin(order[start : start + HEATMAP_ROWS])]
            spec = charts.heatmap(
                chunk,
                "unit_name",
                "scale_title",
                "colour",
                "label",
                (1, 5),
                t("unit", self.lang),
                t("scale", self.lang),
                t("too_few", self.lang),
            )
            s.charts.append(_chart(spec))
        hidden = frame[~frame["visible"]]
        if len(hidden):
            s.paragraphs.append(
                (
                    "Grijze cellen zijn verborgen om de anonimiteit te beschermen: "
                    if self.lang == "nl"
                    else "Grey cells are hidden to protect anonymity: "
                )
                + "; ".join(
                    f"{self.name(u)} ({reason})"
                    for u, reason in zip(
                        hidden["unit"],
                        hidden["reason_nl" if self.lang == "nl" else "reason"],
                        strict=False,
                    )
                )
            )
        return s

    def _subtree(self, unit: int) -> set[int]:
        out = {unit}
        changed = True
        while changed:
            changed = False
            for uid, parent in self.units["parent_id"].items():
                if (
                    parent is not None
                    and not pd.isna(parent)
                    and int(parent) in out
                    and int(uid) not in out
                ):  # type: ignore[call-overload]
                    out.add(int(uid))  # type: ignore[call-overload]
                    changed = True
        return out

    def linkage(self) -> Section:
        s = Section("linkage", t("linkage", self.lang), missing=self._missing("linkage", "linkage"))
        link = self.r.get("linkage")
        if not isinstance(link, dict):
            return s
        points = pd.DataFrame(link.get("points", []))
        fit = pd.DataFrame(link.get("fit", []))
        if len(points):
            spec = charts.scatter_with_fit(
                points,
                "engagement",
                "grade",
                "name",
                fit,
                t("engagement", self.lang),
                t("grade", self.lang),
                size="n_customers",
            )
            s.charts.append(_chart(spec))
        u = link.get("unit", {})
        s.paragraphs.append(
            f"Pearson r = {_f(u.get('pearson_r'))} [{_f(u.get('pearson_ci_low'))}, {_f(u.get('pearson_ci_high'))}], "
            f"Spearman ρ = {_f(u.get('spearman_rho'))}, slope = {_f(u.get('slope'))} "
            f"(bootstrap 95% CI {_f(u.get('boot_ci_low'))} – {_f(u.get('boot_ci_high'))}), n = {u.get('n_units')}."
        )
        roles = link.get("role_groups", {}).get("coefficients", [])
        roles = [r for r in roles if str(r.get("role", r.get("term"))).startswith("eng_")]
        if roles:
            table = pd.DataFrame(roles)
            table["label"] = table["role"].str.replace("eng_", "", regex=False)
            est = "std_estimate" if "std_estimate" in table else "estimate"
            s.charts.append(
                _chart(
                    charts.forest(
                        table, "label", "estimate", "ci_low", "ci_high", t("coefficient", self.lang)
                    )
                )
            )
            s.paragraphs.append(
                (
                    "Per rolgroep, samen in één regressie (klantcijfer in de volgende meting op "
                    "bevlogenheid nu, gecorrigeerd voor het huidige cijfer; gestandaardiseerd): "
                    if self.lang == "nl"
                    else "By role group, together in one regression (the grade in the next wave on "
                    "engagement now, controlling for the current grade; standardised): "
                )
                + ", ".join(f"{r['label']} {_f(r[est])}" for r in table.to_dict("records"))
            )
        lagged = self.r.get("lagged")
        if isinstance(lagged, dict):
            rows = [c for c in lagged.get("coefficients", []) if c.get("term") != "intercept"]
            s.tables.append(
                _table(
                    ["t → t+1", "b", "se", "p", "95% CI"],
                    [
                        [
                            c["term"],
                            c["estimate"],
                            c["se"],
                            c["p"],
                            f"{_f(c['ci_low'])} – {_f(c['ci_high'])}",
                        ]
                        for c in rows
                    ],
                    caption=f"Lagged regression, n = {lagged.get('n_pairs')} ({lagged.get('se_type')} SE)",
                )
            )
        clpm = self.r.get("cross_lagged")
        if isinstance(clpm, dict):
            est = [e for e in clpm.get("estimates", []) if e.get("kind") == "cross-lagged"]
            s.tables.append(
                _table(
                    ["path", "waves", "b", "se", "p", "β"],
                    [
                        [
                            f"{e['rhs']} → {e['lhs']}",
                            f"{e.get('wave_from')} → {e.get('wave_to')}",
                            e["estimate"],
                            e["se"],
                            e["p"],
                            e.get("std"),
                        ]
                        for e in est
                    ],
                    caption=f"{clpm.get('model')}: χ²({clpm.get('df')}) = {_f(clpm.get('chi2'), 1)}, CFI = {_f(clpm.get('cfi'), 3)}, RMSEA = {_f(clpm.get('rmsea'), 3)}, n = {clpm.get('n_units')}",
                )
            )
        ml = self.r.get("multilevel")
        if isinstance(ml, dict):
            fe = [
                f
                for f in ml.get("fixed_effects", [])
                if f.get("term", f.get("index")) != "Intercept"
            ]
            if fe:
                f0 = fe[0]
                s.paragraphs.append(
                    f"Multilevel (klanten binnen locaties, REML): b = {_f(f0.get('estimate'))} [{_f(f0.get('ci_low'))}, {_f(f0.get('ci_high'))}], ICC = {_f(ml.get('icc'))}, "
                    f"{ml.get('n_customers')} klanten in {ml.get('n_units')} locaties."
                    if self.lang == "nl"
                    else f"Multilevel (customers within locations, REML): b = {_f(f0.get('estimate'))} [{_f(f0.get('ci_low'))}, {_f(f0.get('ci_high'))}], ICC = {_f(ml.get('icc'))}, "
                    f"{ml.get('n_customers')} customers in {ml.get('n_units')} locations."
                )
        return s

    def drivers(self) -> Section:
        s = Section("drivers", t("drivers", self.lang), missing=self._missing("drivers", "drivers"))
        d = self.r.get("drivers")
        if not isinstance(d, dict):
            return s
        for key, title in (
            ("engagement", t("engagement", self.lang)),
            ("grade", t("grade", self.lang)),
        ):
            rows = d.get(key)
            if not rows:
                continue
            table = pd.DataFrame(rows)
            table["driver"] = [self._pred(r) for r in rows]
            table["label"] = table["driver"].map(lambda x: self.scale_titles.get(x) or self.item(x))
            table = table.sort_values("general_dominance", ascending=False)
            s.paragraphs.append(f"{title}: R² = {_f(d.get(key + '_r2'), 3)}")
            low = (
                "general_dominance_ci_low"
                if table["general_dominance_ci_low"].notna().any()
                else None
            )
            s.charts.append(
                _chart(
                    charts.bars(
                        table,
                        "label",
                        "general_dominance",
                        t("importance", self.lang),
                        low,
                        "general_dominance_ci_high" if low else None,
                    )
                )
            )
            perf = "performance" if "performance" in table else None
            quad = "quadrant" if "quadrant" in table else None
            if perf and quad:
                s.charts.append(
                    _chart(
                        charts.quadrants(
                            table,
                            "label",
                            "general_dominance",
                            perf,
                            quad,
                            float(table["general_dominance"].median()),
                            float(table[perf].median()),
                            t("importance", self.lang),
                            t("score", self.lang),
                        )
                    )
                )
        return s

    def mirror(self) -> Section:
        s = Section("mirror", t("mirror", self.lang), missing=self._missing("mirror", "mirror"))
        m = self.r.get("mirror")
        if not isinstance(m, dict):
            return s
        overall = pd.DataFrame(m.get("overall", []))
        if len(overall):
            overall["label_txt"] = overall["aspect"].map(self.item)
            s.charts.append(
                _chart(
                    charts.dumbbell(
                        overall,
                        "label_txt",
                        "mean_customer",
                        "mean_employee",
                        t("customers", self.lang),
                        t("employees", self.lang),
                        t("score", self.lang),
                    )
                )
            )
            s.tables.append(
                _table(
                    ["aspect", "customers", "employees", "gap", "95% CI", "d", ""],
                    [
                        [
                            self.item(r["aspect"]),
                            r["mean_customer"],
                            r["mean_employee"],
                            r["gap"],
                            f"{_f(r['ci_low'])} – {_f(r['ci_high'])}",
                            r.get("cohens_d", r.get("d")),
                            r["label"],
                        ]
                        for r in overall.to_dict("records")
                    ],
                )
            )
        units = pd.DataFrame(m.get("units", []))
        if len(units):
            flagged = units[units["label"].isin(["blind spot", "hidden strength"])]
            if self.unit is not None:
                flagged = units[units["unit"].astype(int).isin(self._subtree(self.unit))]
            s.tables.append(
                _table(
                    [t("unit", self.lang), "aspect", "customers", "employees", "gap", ""],
                    [
                        [
                            self.name(r["unit"]),
                            self.item(r["aspect"]),
                            r["mean_customer"],
                            r["mean_employee"],
                            r["gap"],
                            r["label"],
                        ]
                        for r in flagged.head(40).to_dict("records")
                    ],
                    caption="Blinde vlekken en verborgen sterktes per locatie"
                    if self.lang == "nl"
                    else "Blind spots and hidden strengths by location",
                )
            )
        return s

    def moments(self) -> Section:
        s = Section("mot", t("mot", self.lang), missing=self._missing("mot", "customer"))
        mot = pd.DataFrame(_records(self.r, "moments_of_truth"))
        if len(mot):
            mot["label"] = mot["aspect"].map(self.item)
            s.charts.append(
                _chart(
                    charts.bars(mot, "label", "mean", t("grade", self.lang), "ci_low", "ci_high")
                )
            )
        return s

    def risk(self) -> Section:
        s = Section("risk", t("risk", self.lang), missing=self._missing("risk", "risk"))
        risk = self.r.get("risk")
        if not isinstance(risk, dict):
            return s
        units = [u for u in risk.get("units", []) if u.get("risk_level") in ("high", "watch")]
        if self.unit is not None:
            units = [u for u in units if int(u["unit"]) in self._subtree(self.unit)]
        s.tables.append(
            _table(
                [t("unit", self.lang), "level", "reason", "absenteeism %", "turnover %"],
                [
                    [
                        self.name(u["unit"]),
                        u["risk_level"],
                        u["reason"],
                        u.get("absenteeism"),
                        u.get("turnover"),
                    ]
                    for u in units
                ],
            )
        )
        link = risk.get("absenteeism_link")
        if isinstance(link, dict):
            s.paragraphs.append(
                f"Verzuim bij risicolocaties {_f(link.get('mean_flagged'))}% tegen {_f(link.get('mean_other'))}% elders (p = {_f(link.get('p'), 3)})."
                if self.lang == "nl"
                else f"Absenteeism at risk locations {_f(link.get('mean_flagged'))}% against {_f(link.get('mean_other'))}% elsewhere (p = {_f(link.get('p'), 3)})."
            )
        return s

    def ambition(self) -> Section:
        s = Section(
            "ambition", t("ambition", self.lang), missing=self._missing("ambition", "ambition")
        )
        rows = _records(self.r, "ambition")
        if self.unit is not None:
            rows = [r for r in rows if int(r["location"]) in self._subtree(self.unit)]  # type: ignore[call-overload]
        if rows:
            table = pd.DataFrame(rows)
            table["label"] = table["location"].map(self.name)
            top = table.sort_values("reachable", ascending=False).head(25)
            s.charts.append(
                _chart(
                    charts.dumbbell(
                        top,
                        "label",
                        "current",
                        "reachable",
                        t("current", self.lang),
                        t("reachable", self.lang),
                        t("grade", self.lang),
                    )
                )
            )
            s.tables.append(
                _table(
                    [
                        t("unit", self.lang),
                        t("current", self.lang),
                        t("reachable", self.lang),
                        "reason",
                    ],
                    [
                        [r["label"], r["current"], r["reachable"], r.get("reason")]
                        for r in table.to_dict("records")
                    ],
                )
            )
        return s

    def comments(self) -> Section:
        s = Section("comments", t("comments", self.lang))
        comments = self.r.get("comments")
        if not isinstance(comments, dict):
            return s
        for audience, by_unit in comments.items():
            for unit, texts in list(by_unit.items())[: (50 if self.unit else 3)]:
                if self.unit is not None and int(unit) not in self._subtree(self.unit):
                    continue
                s.tables.append(
                    _table([f"{self.name(unit)} ({audience})"], [[x] for x in texts[:8]])
                )
        return s

    def privacy(self) -> Section:
        s = Section("privacy", t("privacy", self.lang))
        p = self.r.get("privacy", {})
        summary = self.r.get("privacy_summary", {})
        s.paragraphs.append(
            f"Geen cijfer over een groep van minder dan {p.get('min_scores')} respondenten; opmerkingen pas vanaf {p.get('min_comments')}. "
            + " ".join(
                f"{k}: {v.get('hidden_too_few')} cellen te klein, {v.get('hidden_complementary')} extra verborgen tegen terugrekenen."
                for k, v in summary.items()
            )  # type: ignore[union-attr]
            if self.lang == "nl"
            else f"No figure about a group of fewer than {p.get('min_scores')} respondents; comments only from {p.get('min_comments')}. "
            + " ".join(
                f"{k}: {v.get('hidden_too_few')} cells too small, {v.get('hidden_complementary')} more hidden against subtraction."
                for k, v in summary.items()
            )  # type: ignore[union-attr]
        )
        return s
