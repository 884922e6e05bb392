"""What the dashboards show: each page's context, built from the stored results document and
cut down to what the viewer may see.

The results document of ``spiegel analyze`` (see ``docs/results-schema.md``) has passed the
privacy gate: every unit figure in it is a visible cell, hidden cells carry a reason code and
no number. This module only *selects* from it; it computes no statistic about a group and
reads no responses. The rules of selection:

* a viewer with a unit scope (manager, member) gets only rows whose unit lies in the scope;
  units outside it are not named, not counted and not linked;
* organisation-wide statistics (response rates, reliability, linkage model, drivers,
  the overall mirror, the absenteeism link, privacy summary) only for viewers who see
  every unit (admin, analyst);
* a member sees a unit of their scope only when its cell of the latest wave is visible;
* free-text reasons written by the analysis can name units (``in region R01``), so hidden
  cells are described by their reason code alone.

The parsed results of a run are cached per (organisation, run id) in :class:`ResultsCache`;
built page contexts are cached per (page, arguments, language, scope) on the parsed results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine, func, select

from spiegel._lazy import lazy_module
from spiegel.store.db import session_factory
from spiegel.store.models import AnalysisRun, StaffRole

if TYPE_CHECKING:
    import pandas as pd

    from spiegel.reports import charts
    from spiegel.reports import text as wording
else:  # loaded by the first dashboard page; starting a server needs none of them
    pd = lazy_module("pandas")
    charts = lazy_module("spiegel.reports.charts")
    wording = lazy_module("spiegel.reports.text")

__all__ = [
    "PAGES",
    "DashboardData",
    "NoResults",
    "OutOfScope",
    "PageBuilder",
    "ResultsCache",
    "Scope",
    "UnitNotFound",
    "Viewer",
]

Row = dict[str, object]
Context = dict[str, object]

ORGANISATION_ROLES = frozenset({StaffRole.ADMIN, StaffRole.ANALYST})
HIDDEN_REASONS = ("too_few", "complementary", "consistency")
LABELS: dict[str, dict[str, str]] = {
    "trend": {"nl": "Meting", "en": "Wave"},
    "moment": {"nl": "Cijfer (1-10)", "en": "Grade (1-10)"},
}


def _label(key: str, lang: str) -> str:
    if key in LABELS:
        return LABELS[key][lang]
    return wording.t(key, lang)


class NoResults(LookupError):
    """The organisation has no stored analysis yet."""


class UnitNotFound(LookupError):
    """No unit with this id in the results."""


class OutOfScope(PermissionError):
    """The viewer may not see this unit or this page."""


class Viewer(Protocol):
    """Who is looking (``spiegel.web.auth.Principal`` is one)."""

    @property
    def role(self) -> StaffRole: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def units(self) -> frozenset[int] | None: ...


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: ``units`` (``None``: every unit), whether organisation-wide
    statistics are shown, and whether hidden cells make a unit invisible (members)."""

    units: frozenset[int] | None
    organisation: bool
    visible_only: bool

    @classmethod
    def of(cls, viewer: Viewer) -> Scope:
        everything = viewer.units is None and viewer.role in ORGANISATION_ROLES
        return cls(
            units=None if everything else frozenset(viewer.units or ()),
            organisation=everything,
            visible_only=viewer.role == StaffRole.MEMBER,
        )


def _int(value: object) -> int | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def _records(value: object) -> list[Row]:
    return [dict(r) for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _mapping(value: object) -> dict[str, object]:
    return dict(value) if isinstance(value, dict) else {}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if value != value else float(value)


class DashboardData:
    """One run's results, parsed and indexed for the pages (read-only after construction)."""

    def __init__(self, run_id: int, results: Mapping[str, object], max_pages: int = 512) -> None:
        self.run_id = run_id
        self.r = results
        self.generated_at = str(results.get("generated_at") or "")
        self.waves: list[str] = [str(w) for w in _list(results.get("waves"))]
        self.wave = str(results.get("wave") or (self.waves[-1] if self.waves else ""))
        self.errors = _mapping(results.get("errors"))
        self.min_scores = _mapping(results.get("privacy")).get("min_scores")
        self.units: dict[int, Row] = {}
        self.children: dict[int, list[int]] = {}
        for u in _records(results.get("units")):
            uid = _int(u.get("id"))
            if uid is None:
                continue
            parent = _int(u.get("parent_id"))
            self.units[uid] = {
                "id": uid,
                "code": str(u.get("code")),
                "name": str(u.get("name")),
                "kind": str(u.get("kind")),
                "parent_id": parent,
            }
            if parent is not None:
                self.children.setdefault(parent, []).append(uid)
        self.roots = [u for u, row in self.units.items() if row["parent_id"] not in self.units]
        groups = _mapping(results.get("scale_groups"))
        scales = _records(results.get("scales"))
        self.scale_meta = {str(s["name"]): s for s in scales if "name" in s}
        wanted = ["engagement"] + [
            str(s) for g in ("engagement", "drivers", "strain") for s in _list(groups.get(g))
        ]
        self.scales = [s for s in dict.fromkeys(wanted) if s in self.scale_meta]
        self.scores: dict[str, dict[int, Row]] = {}
        self.role_scores: list[Row] = []
        for row in _records(results.get("unit_scores")):
            uid = _int(row.get("unit"))
            if uid is None:
                continue
            if row.get("role_group") is not None:
                self.role_scores.append(row)
                continue
            self.scores.setdefault(str(row.get("wave")), {})[uid] = row
        self.customer: dict[str, dict[int, Row]] = {}
        for row in _records(results.get("unit_customer")):
            uid = _int(row.get("unit"))
            if uid is not None and row.get("role_group") is None:
                self.customer.setdefault(str(row.get("wave")), {})[uid] = row
        mirror = _mapping(results.get("mirror"))
        self.mirror_overall = _records(mirror.get("overall"))
        self.mirror_units: dict[int, list[Row]] = {}
        for row in _records(mirror.get("units")):
            uid = _int(row.get("unit"))
            if uid is not None:
                self.mirror_units.setdefault(uid, []).append(row)
        risk = _mapping(results.get("risk"))
        self.risk_units = {
            uid: row for row in _records(risk.get("units")) if (uid := _int(row.get("unit")))
        }
        self.absenteeism_link = _mapping(risk.get("absenteeism_link"))
        self.ambition = {
            uid: row
            for row in _records(results.get("ambition"))
            if (uid := _int(row.get("location"))) is not None
        }
        self.comments: dict[str, dict[int, list[str]]] = {}
        for audience, by_unit in _mapping(results.get("comments")).items():
            for key, texts in _mapping(by_unit).items():
                uid = _int(key)
                if uid is not None and isinstance(texts, list):
                    self.comments.setdefault(audience, {})[uid] = [str(x) for x in texts]
        self.linkage = _mapping(results.get("linkage"))
        self.item_titles = _mapping(results.get("item_titles"))
        self._pages: OrderedDict[Hashable, Context] = OrderedDict()
        self._max_pages = max_pages
        self._templates: dict[Hashable, dict[str, object]] = {}
        self._lock = threading.Lock()

    # -- scope -----------------------------------------------------------------------------
    def visible_units(self, scope: Scope) -> frozenset[int]:
        """The unit ids this scope shows (members: only units visible in the latest wave)."""
        ids = frozenset(self.units) if scope.units is None else scope.units & self.units.keys()
        if scope.visible_only:
            latest = self.scores.get(self.wave, {})
            ids = frozenset(u for u in ids if latest.get(u, {}).get("visible") is True)
        return ids

    def subtree(self, unit_id: int) -> list[int]:
        out, stack = [], [unit_id]
        while stack:
            u = stack.pop()
            out.append(u)
            stack.extend(reversed(self.children.get(u, [])))
        return out

    def unit_ref(self, unit_id: int, seen: frozenset[int]) -> Row:
        row = self.units[unit_id]
        return {
            "id": unit_id,
            "code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "has_children": any(c in seen for c in self.children.get(unit_id, [])),
        }

    def scale_title(self, name: str, lang: str) -> str:
        title = self.scale_meta.get(name, {}).get("title")
        if isinstance(title, dict):
            return str(title.get(lang) or title.get("en") or name)
        return name

    def item_title(self, item: str, lang: str) -> str:
        title = self.item_titles.get(item)
        if isinstance(title, dict):
            text = str(title.get(lang) or item)
            return text if len(text) < 70 else item
        return item

    # -- chart templates ----------------------------------------------------------------------
    def template(self, key: Hashable) -> dict[str, object] | None:
        """A chart spec built earlier for ``key`` (its data is replaced before use)."""
        return self._templates.get(key)

    def set_template(self, key: Hashable, spec: dict[str, object]) -> None:
        self._templates[key] = spec

    # -- page cache ------------------------------------------------------------------------
    def page(
        self, key: Hashable, build: Callable[[], Context]
    ) -> Context:  # the context is shared: callers must not change it
        with self._lock:
            found = self._pages.get(key)
            if found is not None:
                self._pages.move_to_end(key)
                return found
        context = build()
        with self._lock:
            self._pages[key] = context
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        return context


class ResultsCache:
    """Parsed results per (organisation, run id), newest few kept. Thread-safe.

    Each lookup asks the database only for the id of the newest run (one indexed query); a
    new analysis therefore shows on the next request, in every worker.
    """

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._data: OrderedDict[tuple[int, int], DashboardData] = OrderedDict()
        self._lock = threading.Lock()

    def latest(self, engine: Engine, organisation_id: int) -> DashboardData:
        """The newest run's results for ``organisation_id`` (``NoResults`` if none)."""
        factory = session_factory(engine)
        with factory() as session:
            run_id = session.scalar(
                select(func.max(AnalysisRun.id)).where(
                    AnalysisRun.organisation_id == organisation_id
                )
            )
            if run_id is None:
                raise NoResults(organisation_id)
            key = (organisation_id, int(run_id))
            with self._lock:
                found = self._data.get(key)
                if found is not None:
                    self._data.move_to_end(key)
                    return found
            results = session.scalar(select(AnalysisRun.results).where(AnalysisRun.id == run_id))
        data = DashboardData(int(run_id), results or {})
        with self._lock:
            self._data[key] = data
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return data


# --- helpers for the pages -------------------------------------------------------------------


def _header(data: DashboardData, scope: Scope, page: str) -> Context:
    return {
        "page": page,
        "run": {"id": data.run_id, "generated_at": data.generated_at},
        "wave": data.wave,
        "waves": data.waves,
        "organisation_view": scope.organisation,
        "min_scores": data.min_scores,
        "charts": [],
    }


def _chart(key: str, spec: dict[str, object], table: str) -> Row:
    """A chart's Vega-Lite spec and which table of the context holds the same figures."""
    return {"key": key, "spec": spec, "table": table}


def _cell(row: Row | None, names: Iterable[str]) -> Row:
    """A cell's figures (empty when hidden) and its reason code."""
    if row is None:
        return {"visible": False, "n": None, "values": {}, "reason_code": "no_data"}
    visible = row.get("visible") is True
    return {
        "visible": visible,
        "n": _int(row.get("n")) if visible else None,
        "values": {k: _number(row.get(k)) for k in names} if visible else {},
        "reason_code": None if visible else _reason(row.get("reason_code")),
    }


def _reason(code: object) -> str:
    return str(code) if code in HIDDEN_REASONS else "hidden"


# --- overview ----------------------------------------------------------------------------------

CUSTOMER_COLUMNS = ("overall_grade", "nps", "recommend")


def overview(
    data: DashboardData, scope: Scope, lang: str, wave: str | None = None, parent: int | None = None
) -> Context:
    """Heatmap of units × scales for ``wave``: ``parent`` and its children (default: the
    top of the viewer's scope), with respondent counts and the customer grade."""
    wave = wave or data.wave
    if wave not in data.waves:
        raise ValueError(f"no wave {wave!r} in the results")
    seen = data.visible_units(scope)
    if parent is not None:
        if parent not in data.units:
            raise UnitNotFound(parent)
        if parent not in seen:
            raise OutOfScope(parent)
    key = ("overview", wave, parent, lang, scope)
    return data.page(key, lambda: _overview(data, scope, lang, wave, parent, seen))


def _tops(data: DashboardData, seen: frozenset[int]) -> list[int]:
    return [u for u in data.units if u in seen and data.units[u]["parent_id"] not in seen]


def _overview(
    data: DashboardData,
    scope: Scope,
    lang: str,
    wave: str,
    parent: int | None,
    seen: frozenset[int],
) -> Context:
    ctx = _header(data, scope, "overview")
    ctx["wave"] = wave
    if parent is None:
        tops = _tops(data, seen)
        if len(tops) == 1:
            parent = tops[0]
            rows_ids = [parent, *[c for c in data.children.get(parent, []) if c in seen]]
        else:
            rows_ids = tops
    else:
        rows_ids = [parent, *[c for c in data.children.get(parent, []) if c in seen]]
    crumbs: list[Row] = []
    if parent is not None:
        node: int | None = data.units[parent]["parent_id"]  # type: ignore[assignment]
        while node is not None and node in seen:
            crumbs.insert(0, data.unit_ref(node, seen))
            node = data.units[node]["parent_id"]  # type: ignore[assignment]
    scores = data.scores.get(wave, {})
    customer = data.customer.get(wave, {})
    rows = []
    means: list[tuple[str, str, float | None]] = []
    for uid in rows_ids:
        row = scores.get(uid)
        visible = row is not None and row.get("visible") is True
        name = str(data.units[uid]["name"])
        for s in data.scales:
            means.append((name, s, _number(row.get(s)) if row is not None and visible else None))
        cell = _cell(row, data.scales)
        if cell["visible"]:  # hidden cells carry nothing, not even an empty rate
            heads = _int(_mapping(data.r.get("unit_headcount")).get(str(uid)))
            n = cell["n"]
            cell["response_rate"] = n / heads if heads and isinstance(n, int) else None
        cust = _cell(customer.get(uid), CUSTOMER_COLUMNS)
        rows.append({"unit": data.unit_ref(uid, seen), "employees": cell, "customers": cust})
    ctx["parent"] = data.unit_ref(parent, seen) if parent is not None else None
    ctx["breadcrumbs"] = crumbs
    ctx["scales"] = [{"name": s, "title": data.scale_title(s, lang)} for s in data.scales]
    ctx["rows"] = rows
    if scope.organisation:
        ctx["response"] = _records(data.r.get("response"))
        ctx["privacy_summary"] = _mapping(data.r.get("privacy_summary"))
    if rows and data.scales:
        ctx["charts"] = [_chart("heatmap", _heatmap(data, lang, means), "rows")]
    return ctx


HEATMAP_ROW_HEIGHT, HEATMAP_PADDING = 18, 20  # as in spiegel.reports.charts.heatmap


def _heatmap(
    data: DashboardData, lang: str, means: list[tuple[str, str, float | None]]
) -> dict[str, object]:
    """The heatmap spec of ``charts.heatmap`` for these cells.

    Altair takes ~0.25 s to build and validate a spec whatever its size, so the spec is
    built once per language and later pages get a copy with their own rows in its one
    inline dataset (the same records ``charts.heatmap`` writes: value, label, text).
    """
    hidden = wording.t("too_few", lang)
    records: list[dict[str, object]] = []
    names: list[str] = []
    # Colour says good (green) or worrying (red): for strain, a high score is worrying.
    low, high = _range(data, data.scales)
    strain = {str(x) for x in _list(_mapping(data.r.get("scale_groups")).get("strain"))}
    for name, scale, mean in means:
        label = None if mean is None else f"{mean:.1f}"
        title = data.scale_title(scale, lang)
        colour = mean if mean is None or scale not in strain else low + high - mean
        records.append(
            {
                "unit_name": name,
                "scale_title": title,
                "mean": colour,
                "label": label,
                "text": label if label is not None else hidden,
            }
        )
        if name not in names:
            names.append(name)
    template = data.template(("heatmap", lang))
    if template is not None:
        spec = dict(template)
        dataset = next(iter(template["datasets"]))  # type: ignore[call-overload]
        spec["datasets"] = {dataset: records}
        spec["height"] = HEATMAP_ROW_HEIGHT * len(names) + HEATMAP_PADDING
        return spec
    frame = pd.DataFrame(records, columns=["unit_name", "scale_title", "mean", "label"])
    frame["mean"] = pd.to_numeric(frame["mean"], errors="coerce")
    spec = charts.heatmap(
        frame,
        "unit_name",
        "scale_title",
        "mean",
        "label",
        (low, high),
        wording.t("unit", lang),
        wording.t("scale", lang),
        hidden,
    )
    datasets = spec.get("datasets")
    if isinstance(datasets, dict) and len(datasets) == 1:
        data.set_template(("heatmap", lang), spec)
    return spec


def _range(data: DashboardData, scales: list[str]) -> tuple[float, float]:
    lows = [_number(data.scale_meta[s].get("min")) for s in scales]
    highs = [_number(data.scale_meta[s].get("max")) for s in scales]
    low = min((v for v in lows if v is not None), default=1.0)
    high = max((v for v in highs if v is not None), default=5.0)
    return low, high


# --- unit page -----------------------------------------------------------------------------------


def unit_page(data: DashboardData, scope: Scope, lang: str, unit_id: int) -> Context:
    """One unit: its scores now and over the waves, customers, mirror, moments of truth,
    risks, ambition and comments (only what lies within the viewer's scope)."""
    if unit_id not in data.units:
        raise UnitNotFound(unit_id)
    seen = data.visible_units(scope)
    if unit_id not in seen:
        raise OutOfScope(unit_id)
    return data.page(
        ("unit", unit_id, lang, scope), lambda: _unit(data, scope, lang, unit_id, seen)
    )


def _unit(
    data: DashboardData, scope: Scope, lang: str, unit_id: int, seen: frozenset[int]
) -> Context:
    ctx = _header(data, scope, "unit")
    ctx["unit"] = data.unit_ref(unit_id, seen)
    parent = data.units[unit_id]["parent_id"]
    parent = _int(data.units[unit_id]["parent_id"])
    ctx["parent"] = data.unit_ref(parent, seen) if parent is not None and parent in seen else None
    ctx["children"] = [data.unit_ref(c, seen) for c in data.children.get(unit_id, []) if c in seen]
    ctx["scales"] = [{"name": s, "title": data.scale_title(s, lang)} for s in data.scales]
    trend = []
    for wave in data.waves:
        trend.append(
            {
                "wave": wave,
                "employees": _cell(data.scores.get(wave, {}).get(unit_id), data.scales),
                "customers": _cell(data.customer.get(wave, {}).get(unit_id), CUSTOMER_COLUMNS),
            }
        )
    ctx["trend"] = trend
    ctx["latest"] = trend[-1] if trend else None
    latest_cust = data.customer.get(data.wave, {}).get(unit_id)
    moments = []
    if latest_cust is not None and latest_cust.get("visible") is True:
        for key, value in latest_cust.items():
            if key.startswith("mot_") and _number(value) is not None:
                moments.append(
                    {"aspect": key, "title": data.item_title(key, lang), "mean": _number(value)}
                )
    ctx["moments"] = moments
    inside = [u for u in data.subtree(unit_id) if u in seen]
    ctx["mirror"] = _mirror_rows(data, inside, lang, seen)
    ctx["risk"] = _risk_rows(data, inside, seen)
    ctx["ambition"] = _ambition_rows(data, inside, seen)
    ctx["comments"] = [
        {"audience": audience, "unit": data.unit_ref(u, seen), "texts": by_unit[u][:25]}
        for audience, by_unit in sorted(data.comments.items())
        for u in inside
        if u in by_unit
    ]
    specs: list[Row] = []
    eng_scales = [
        s for s in data.scales if s in ("engagement", "vigor", "dedication", "absorption")
    ]
    points = []
    for wave in data.waves:
        row = data.scores.get(wave, {}).get(unit_id)
        if row is not None and row.get("visible") is True:
            for s in eng_scales:
                scale = data.scale_title(s, lang)
                points.append({"wave": wave, "scale": scale, "mean": _number(row.get(s))})
    if points:
        specs.append(
            _chart(
                "trend",
                charts.lines(
                    pd.DataFrame(points),
                    "wave",
                    "mean",
                    "scale",
                    _label("trend", lang),
                    wording.t("score", lang),
                ),
                "trend",
            )
        )
    if moments:
        specs.append(
            _chart(
                "moments",
                charts.bars(pd.DataFrame(moments), "title", "mean", _label("moment", lang)),
                "moments",
            )
        )
    ctx["charts"] = specs
    return ctx


def _mirror_rows(
    data: DashboardData, units: Iterable[int], lang: str, seen: frozenset[int]
) -> list[Row]:
    out = []
    for u in units:
        for row in data.mirror_units.get(u, []):
            out.append(
                {
                    "unit": data.unit_ref(u, seen),
                    "aspect": row.get("aspect"),
                    "title": data.item_title(str(row.get("aspect")), lang),
                    "mean_customer": _number(row.get("mean_customer")),
                    "mean_employee": _number(row.get("mean_employee")),
                    "gap": _number(row.get("gap")),
                    "ci_low": _number(row.get("ci_low")),
                    "ci_high": _number(row.get("ci_high")),
                    "label": row.get("label"),
                }
            )
    return out


RISK_FIELDS = (
    "emotional_dissonance",
    "exhaustion",
    "recovery",
    "dissonance_high",
    "exhaustion_high",
    "recovery_low",
    "risk_level",
    "absenteeism",
    "turnover",
)


def _risk_rows(data: DashboardData, units: Iterable[int], seen: frozenset[int]) -> list[Row]:
    out = []
    for u in units:
        row = data.risk_units.get(u)
        if row is not None:
            out.append({"unit": data.unit_ref(u, seen), **{k: row.get(k) for k in RISK_FIELDS}})
    return out


AMBITION_FIELDS = (
    "engagement",
    "engagement_target",
    "current",
    "model_prediction",
    "peer_benchmark",
    "reachable",
    "target",
    "shortfall",
    "flag",
)


def _ambition_rows(data: DashboardData, units: Iterable[int], seen: frozenset[int]) -> list[Row]:
    # The stored free-text reason names the region (a unit the viewer may not see): left out.
    out = []
    for u in units:
        row = data.ambition.get(u)
        if row is not None:
            out.append({"unit": data.unit_ref(u, seen), **{k: row.get(k) for k in AMBITION_FIELDS}})
    return out


# --- topic pages ---------------------------------------------------------------------------


def linkage(data: DashboardData, scope: Scope, lang: str) -> Context:
    """Engagement against the customer grade across locations; the models behind the link
    (fit, role groups, lagged and cross-lagged) for organisation viewers only."""
    return data.page(("linkage", lang, scope), lambda: _linkage(data, scope, lang))


def _linkage(data: DashboardData, scope: Scope, lang: str) -> Context:
    ctx = _header(data, scope, "linkage")
    seen = data.visible_units(scope)
    points = []
    for p in _records(data.linkage.get("points")):
        uid = _int(p.get("location"))
        if uid is not None and uid in seen:
            points.append(
                {
                    "unit": data.unit_ref(uid, seen),
                    "name": data.units[uid]["name"],
                    "engagement": _number(p.get("engagement")),
                    "grade": _number(p.get("grade")),
                    "n_customers": _int(p.get("n_customers")),
                }
            )
    ctx["points"] = points
    fit = None
    if scope.organisation:
        ctx["model"] = _mapping(data.linkage.get("unit"))
        roles = _records(_mapping(data.linkage.get("role_groups")).get("coefficients"))
        # Role-group predictors only (not the intercept or the lagged grade).
        ctx["role_groups"] = [r for r in roles if str(r.get("role", "")).startswith("eng_")]
        ctx["role_groups_model"] = data.linkage.get("role_groups_model")
        ctx["lagged"] = _mapping(data.r.get("lagged"))
        clpm = _mapping(data.r.get("cross_lagged"))
        if clpm:
            clpm["estimates"] = [
                e for e in _records(clpm.get("estimates")) if e.get("kind") == "cross-lagged"
            ]
        ctx["cross_lagged"] = clpm
        ctx["multilevel"] = _mapping(data.r.get("multilevel"))
        fit = pd.DataFrame(_records(data.linkage.get("fit")))
    specs: list[Row] = []
    if points:
        frame = pd.DataFrame(points).drop(columns=["unit"])
        specs.append(
            _chart(
                "scatter",
                charts.scatter_with_fit(
                    frame,
                    "engagement",
                    "grade",
                    "name",
                    fit,
                    wording.t("engagement", lang),
                    wording.t("grade", lang),
                    size="n_customers",
                ),
                "points",
            )
        )
    role_rows = ctx.get("role_groups")
    if isinstance(role_rows, list) and role_rows:
        table = pd.DataFrame(role_rows)
        table["label"] = table["role"].astype(str).str.replace("eng_", "", regex=False)
        specs.append(
            _chart(
                "role_groups",
                charts.forest(
                    table, "label", "estimate", "ci_low", "ci_high", wording.t("coefficient", lang)
                ),
                "role_groups",
            )
        )
    ctx["charts"] = specs
    return ctx


def drivers(data: DashboardData, scope: Scope, lang: str) -> Context:
    """Key drivers of engagement and of the customer grade (organisation-wide statistics)."""
    if not scope.organisation:
        raise OutOfScope("drivers")
    return data.page(("drivers", lang), lambda: _drivers(data, scope, lang))


def _drivers(data: DashboardData, scope: Scope, lang: str) -> Context:
    ctx = _header(data, scope, "drivers")
    d = _mapping(data.r.get("drivers"))
    outcomes = []
    specs: list[Row] = []
    for key in ("engagement", "grade"):
        rows = _records(d.get(key))
        if not rows:
            continue
        for r in rows:
            name = str(r.get("predictor", r.get("driver", "?")))
            r["driver"] = name
            r["title"] = (
                data.scale_title(name, lang)
                if name in data.scale_meta
                else data.item_title(name, lang)
            )
        rows.sort(key=lambda r: -(_number(r.get("general_dominance")) or 0.0))
        outcomes.append({"outcome": key, "r2": _number(d.get(f"{key}_r2")), "drivers": rows})
        table = pd.DataFrame(rows)
        has_ci = (
            "general_dominance_ci_low" in table and table["general_dominance_ci_low"].notna().any()
        )
        specs.append(
            _chart(
                f"{key}_importance",
                charts.bars(
                    table,
                    "title",
                    "general_dominance",
                    wording.t("importance", lang),
                    "general_dominance_ci_low" if has_ci else None,
                    "general_dominance_ci_high" if has_ci else None,
                ),
                f"outcomes.{key}",
            )
        )
        if "performance" in table and "quadrant" in table and table["performance"].notna().any():
            specs.append(
                _chart(
                    f"{key}_priority",
                    charts.quadrants(
                        table,
                        "title",
                        "general_dominance",
                        "performance",
                        "quadrant",
                        float(table["general_dominance"].median()),
                        float(table["performance"].median()),
                        wording.t("importance", lang),
                        wording.t("score", lang),
                    ),
                    f"outcomes.{key}",
                )
            )
    ctx["outcomes"] = outcomes
    ctx["charts"] = specs
    return ctx


def mirror(data: DashboardData, scope: Scope, lang: str) -> Context:
    """Customers' ratings against employees' expectations: overall (organisation viewers)
    and per location in scope."""
    return data.page(("mirror", lang, scope), lambda: _mirror(data, scope, lang))


def _mirror(data: DashboardData, scope: Scope, lang: str) -> Context:
    ctx = _header(data, scope, "mirror")
    seen = data.visible_units(scope)
    units = [u for u in data.units if u in seen and u in data.mirror_units]
    mirror_rows = _mirror_rows(data, units, lang, seen)
    ctx["units"] = mirror_rows
    specs: list[Row] = []
    overall: list[Row] = []
    if scope.organisation:
        overall = [
            {
                **{
                    k: r.get(k)
                    for k in (
                        "aspect",
                        "mean_customer",
                        "mean_employee",
                        "gap",
                        "ci_low",
                        "ci_high",
                        "d",
                        "label",
                    )
                },
                "title": data.item_title(str(r.get("aspect")), lang),
            }
            for r in data.mirror_overall
        ]
        ctx["overall"] = overall
    chart_rows = overall or (mirror_rows if len(units) == 1 else [])
    if chart_rows:
        specs.append(
            _chart(
                "mirror",
                charts.dumbbell(
                    pd.DataFrame(chart_rows)[["title", "mean_customer", "mean_employee"]],
                    "title",
                    "mean_customer",
                    "mean_employee",
                    wording.t("customers", lang),
                    wording.t("employees", lang),
                    wording.t("score", lang),
                ),
                "overall" if overall else "units",
            )
        )
    ctx["charts"] = specs
    return ctx


def risk(data: DashboardData, scope: Scope, lang: str) -> Context:
    """Strain and recovery per location in scope; the link with absenteeism for
    organisation viewers."""
    return data.page(("risk", lang, scope), lambda: _risk(data, scope, lang))


def _risk(data: DashboardData, scope: Scope, lang: str) -> Context:
    ctx = _header(data, scope, "risk")
    seen = data.visible_units(scope)
    rows = _risk_rows(data, [u for u in data.units if u in seen], seen)
    order = {"high": 0, "watch": 1}
    rows.sort(key=lambda r: order.get(str(r.get("risk_level")), 2))
    ctx["units"] = rows
    if scope.organisation:
        ctx["absenteeism_link"] = data.absenteeism_link
    return ctx


def ambition(data: DashboardData, scope: Scope, lang: str) -> Context:
    """Current and reachable customer grade per location in scope."""
    return data.page(("ambition", lang, scope), lambda: _ambition(data, scope, lang))


def _ambition(data: DashboardData, scope: Scope, lang: str) -> Context:
    ctx = _header(data, scope, "ambition")
    seen = data.visible_units(scope)
    rows = _ambition_rows(data, [u for u in data.units if u in seen], seen)
    ctx["units"] = rows
    chartable = [
        {"label": r["unit"]["name"], "current": r["current"], "reachable": r["reachable"]}  # type: ignore[index]
        for r in rows
        if _number(r.get("current")) is not None and _number(r.get("reachable")) is not None
    ]
    if chartable:
        frame = pd.DataFrame(chartable)
        frame = frame.assign(room=frame["reachable"] - frame["current"])
        top = frame.sort_values("room", ascending=False).head(25).drop(columns="room")
        ctx["charts"] = [
            _chart(
                "ambition",
                charts.dumbbell(
                    top,
                    "label",
                    "current",
                    "reachable",
                    wording.t("current", lang),
                    wording.t("reachable", lang),
                    wording.t("grade", lang),
                ),
                "units",
            )
        ]
    return ctx


def unit_list(data: DashboardData, scope: Scope) -> list[Row]:
    """The units the viewer may see, in tree order."""
    seen = data.visible_units(scope)
    out: list[Row] = []
    for root in data.roots:
        for u in data.subtree(root):
            if u in seen:
                out.append(
                    {
                        **data.unit_ref(u, seen),
                        "parent_id": data.units[u]["parent_id"]
                        if data.units[u]["parent_id"] in seen
                        else None,
                    }
                )
    return out


PageBuilder = Callable[[DashboardData, Scope, str], Context]
PAGES: dict[str, PageBuilder] = {
    "linkage": linkage,
    "drivers": drivers,
    "mirror": mirror,
    "risk": risk,
    "ambition": ambition,
}
