"""The dashboard pages: what they show, their JSON twins, charts without inline script,
the Vega bundle from our own server, and figures taken from the protected results only."""

from __future__ import annotations

import ast
import copy
import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

import spiegel.services.dashboards as service
import spiegel.web.routers.api as api_router
import spiegel.web.routers.dashboards as dash_router
from spiegel.services.dashboards import DashboardData, ResultsCache, Scope
from spiegel.store.db import session_factory, transaction
from spiegel.store.models import AnalysisRun, Organisation, StaffRole
from spiegel.web.templating import TEMPLATE_DIR
from tests.web.dash_helpers import Demo, as_user, client_for, demo, shared_engine
from tests.web.helpers import Html

EN = {"accept-language": "en"}


@pytest.fixture(scope="module")
def world() -> Demo:
    return demo()


@pytest.fixture(scope="module")
def client(world: Demo) -> Iterator[TestClient]:
    yield from client_for(world.url)


@pytest.fixture
def admin(client: TestClient, world: Demo) -> TestClient:
    return as_user(client, world.accounts["admin"])


# --- pages ----------------------------------------------------------------------------------


def test_overview_shows_the_top_of_the_tree_with_figures_from_the_results(
    admin: TestClient, world: Demo
) -> None:
    page = Html.of(admin.get("/dash", headers=EN))
    assert page.text("h1") == "Overview"
    root = next(u for u, row in world.units.items() if row["parent_id"] is None)
    regions = world.children(root)
    rows = page.all("#scores tbody tr")
    assert len(rows) == 1 + len(regions)
    assert str(world.units[root]["name"]) in page.text("#scores tbody th")
    twin = admin.get("/dash", params={"format": "json"}).json()
    assert [r["unit"]["id"] for r in twin["rows"]] == [root, *regions]
    first = twin["rows"][0]["employees"]
    stored = world.cell(root)
    assert stored is not None
    assert first["visible"] is True and first["n"] == stored.n
    assert first["values"]["engagement"] == pytest.approx(stored.value("engagement"))
    assert twin["response"][-1]["wave"] == world.results.wave
    assert [c["key"] for c in twin["charts"]] == ["heatmap"]


def test_hidden_cells_have_no_numbers_and_say_why(admin: TestClient, world: Demo) -> None:
    hidden = [u for u in world.units if (c := world.cell(u)) is not None and not c.visible]
    assert hidden, "the demo should have hidden cells"
    target = world.cell(hidden[0])
    assert target is not None and target.hidden is not None
    parent = world.units[target.unit]["parent_id"]
    twin = admin.get("/dash", params={"format": "json", "parent": parent}).json()
    row = next(r for r in twin["rows"] if r["unit"]["id"] == target.unit)
    assert row["employees"] == {
        "visible": False,
        "n": None,
        "values": {},
        "reason_code": target.hidden.code,
        "hidden": {},
        "response_rate": None,
    }
    page = Html.of(admin.get("/dash", params={"parent": parent}, headers=EN))
    cell = page.text("td.hidden-cell")
    assert "Fewer than 5 respondents" in cell or "cannot be worked out" in cell


def test_wave_selector_and_drill_down(admin: TestClient, world: Demo) -> None:
    first = world.results.waves[0]
    page = Html.of(admin.get("/dash", params={"wave": first}, headers=EN))
    assert page.attr("select#wave option[selected]", "value") == first
    twin = admin.get("/dash", params={"wave": first, "format": "json"}).json()
    assert twin["wave"] == first
    assert admin.get("/dash", params={"wave": "1999-H1"}).status_code == 400
    region = world.of_kind("region")[0]
    twin = admin.get("/dash", params={"parent": region, "format": "json"}).json()
    assert twin["parent"]["id"] == region
    assert {r["unit"]["id"] for r in twin["rows"]} == {region, *world.children(region)}
    assert [b["id"] for b in twin["breadcrumbs"]] == [world.units[region]["parent_id"]]


def test_unit_page(admin: TestClient, world: Demo) -> None:
    location = world.accounts["location_manager"].units
    assert location is not None
    loc = next(u for u in location if world.units[u]["kind"] == "location")
    page = Html.of(admin.get(f"/dash/units/{loc}", headers=EN))
    assert page.text("h1") == world.units[loc]["name"]
    headings = page.text("h2")
    for heading in (
        "Scores",
        "Moments of truth",
        "Mirror",
        "Risk",
        "Realistic ambition",
        "Comments",
    ):
        assert heading in headings
    twin = admin.get(f"/dash/units/{loc}", params={"format": "json"}).json()
    assert [p["wave"] for p in twin["trend"]] == world.results.waves
    assert {c["unit"]["id"] for c in twin["comments"]} <= {loc}
    for c in world.results.comments:
        if c.unit != loc:
            continue
        (shown,) = [g for g in twin["comments"][0]["groups"] if g["audience"] == c.audience]
        assert shown["n"] == c.n
        # equal comments once, most often given first, at most 25
        stored = sorted(
            ((c.texts[i], c.count(i)) for i in range(len(c.texts))), key=lambda x: -x[1]
        )
        assert [(i["text"], i["count"]) for i in shown["items"]] == stored[:25]
    assert {r["unit"]["id"] for r in twin["mirror"]} == {loc}
    assert twin["risk"][0]["unit"]["id"] == loc
    assert "reason" not in twin["ambition"][0]  # the stored reason names the region
    assert {c["key"] for c in twin["charts"]} == {"trend", "moments"}


@pytest.mark.parametrize(
    "path", ["/dash/linkage", "/dash/drivers", "/dash/mirror", "/dash/risk", "/dash/ambition"]
)
def test_topic_pages_render_with_tables_for_their_charts(admin: TestClient, path: str) -> None:
    r = admin.get(path, headers=EN)
    assert r.status_code == 200
    page = Html.of(r)
    assert page.one("h1")
    assert page.all("table.figures")
    specs = page.all("script.vega-spec")
    twin = admin.get(path, params={"format": "json"}, headers=EN).json()
    assert len(specs) == len(twin["charts"])
    for script, chart in zip(specs, twin["charts"], strict=True):
        assert script.etree_element.get("type") == "application/json"
        spec = json.loads("".join(script.etree_element.itertext()))
        assert spec == chart["spec"]
        assert "vega-lite" in str(spec["$schema"])
        target = script.etree_element.get("data-target")
        assert page.one(f"#{target}").etree_element.get("role") == "img"


def test_linkage_and_drivers_show_the_stored_statistics(admin: TestClient, world: Demo) -> None:
    twin = admin.get("/dash/linkage", params={"format": "json"}).json()
    link = world.results.linkage
    assert link is not None and world.results.drivers is not None
    assert twin["model"]["pearson_r"] == pytest.approx(link.unit.pearson_r)
    assert len(twin["points"]) == len(link.points)
    drivers = admin.get("/dash/drivers", params={"format": "json"}).json()
    stored = world.results.drivers.engagement
    top = max(stored, key=lambda d: d.general_dominance or 0.0)
    assert drivers["outcomes"][0]["drivers"][0]["driver"] == top.predictor


def test_pages_in_dutch(admin: TestClient) -> None:
    page = Html.of(admin.get("/dash/risk", headers={"accept-language": "nl"}))
    assert page.lang == "nl"
    assert page.text("h1") == "Risico"
    assert "Drijfveren" in page.text("nav.staff-nav")


def test_no_inline_script_or_style(admin: TestClient, world: Demo) -> None:
    unit = world.of_kind("location")[0]
    for path in ("/dash", f"/dash/units/{unit}", "/dash/linkage", "/dash/drivers"):
        r = admin.get(path)
        assert "script-src 'self'" in r.headers["content-security-policy"]
        page = Html.of(r)
        for script in page.all("script"):
            element = script.etree_element
            assert element.get("src") or element.get("type") == "application/json", path
        assert not page.all("style") and not page.all("[style]")
        modules = [s.etree_element.get("src") for s in page.all("script[src]")]
        assert modules[0].startswith("/dash/vendor/vega-")
        assert modules[1].startswith("/static/charts.js?v=")


def test_members_and_managers_get_less(client: TestClient, world: Demo) -> None:
    manager = as_user(client, world.accounts["location_manager"])
    twin = manager.get("/dash/linkage", params={"format": "json"}).json()
    assert twin["model"] is None and twin["lagged"] is None
    assert twin["organisation_view"] is False
    assert manager.get("/dash/drivers").status_code == 403
    nav = Html.of(manager.get("/dash", headers=EN)).text("nav.staff-nav")
    assert "Key drivers" not in nav
    overview = manager.get("/dash", params={"format": "json"}).json()
    assert overview["response"] is None and overview["privacy_summary"] is None


def test_no_results_yet(client: TestClient, world: Demo) -> None:
    cache = ResultsCache()
    engine = shared_engine(world.url)
    with pytest.raises(service.NoResults):
        cache.latest(engine, world.organisation_id + 999)


# --- the Vega bundle --------------------------------------------------------------------------


def test_the_chart_bundle_is_served_by_spiegel(admin: TestClient) -> None:
    page = Html.of(admin.get("/dash"))
    src = page.attr("script[src^='/dash/vendor/']", "src")
    assert src
    r = admin.get(src)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert "immutable" in r.headers["cache-control"]
    assert "window.vegaEmbed" in r.text and "expressionInterpreter" in r.text
    assert admin.get("/dash/vendor/vega-0.0.0-vl1.js").status_code == 404
    charts_js = admin.get(page.attr("script[src^='/static/charts.js']", "src") or "")
    assert "vega-spec" in charts_js.text and "expressionInterpreter" in charts_js.text


# --- figures come from the protected results only ------------------------------------------------

SHOWING_FIGURES = (dash_router, api_router)


def _imports(module: object) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text())  # type: ignore[attr-defined]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("module", SHOWING_FIGURES, ids=lambda m: m.__name__)
def test_routes_reach_no_data_but_the_dashboard_service(module: object) -> None:
    imports = _imports(module)
    assert not [i for i in imports if i.startswith(("spiegel.store", "sqlalchemy"))]
    assert not [i for i in imports if i.startswith(("spiegel.analysis", "spiegel.privacy"))]
    assert not [i for i in imports if i.startswith("spiegel.services") and "dashboards" not in i]


def test_the_service_reads_only_stored_results() -> None:
    modules = sorted(Path(service.__file__).parent.glob("*.py"))
    imports: set[str] = set()
    for path in modules:
        imports |= _imports(type("M", (), {"__file__": str(path)}))
    store = {i for i in imports if i.startswith("spiegel.store")}
    assert store == {
        "spiegel.store.db.session_factory",
        "spiegel.store.models.AnalysisRun",
        "spiegel.store.models.StaffRole",
    }
    assert not [i for i in imports if i.startswith(("spiegel.analysis", "spiegel.ingest"))]
    source = "".join(p.read_text() for p in modules)
    assert "text(" not in source and "execute(" not in source
    templates = [p.read_text() for p in (TEMPLATE_DIR / "dash").glob("*.html")]
    assert templates and not any("<script>" in t for t in templates)


def test_a_new_run_is_what_the_pages_show(client: TestClient, world: Demo) -> None:
    """Store a changed copy of the results as a newer run: the pages show its figures (so
    they come from the stored, protected document and nowhere else), hidden cells included."""
    engine = shared_engine(world.url)
    changed = copy.deepcopy(world.document)
    root = next(u for u, row in world.units.items() if row["parent_id"] is None)
    cells = changed["employee"]["cells"]  # type: ignore[index]

    def latest(unit: int) -> dict[str, object]:
        return next(
            c
            for c in cells
            if c["unit"] == unit and c["wave"] == changed["wave"] and c["role_group"] is None
        )

    latest(root)["values"]["engagement"] = 1.2345  # type: ignore[index]
    region = world.children(root)[0]
    latest(region).update(
        n=None, values={}, hidden_figures={}, hidden={"code": "too_few", "minimum": 5}
    )
    with transaction(engine) as s:
        run = AnalysisRun(organisation_id=world.organisation_id, results=changed)
        s.add(run)
        s.flush()
        run_id = run.id
    try:
        admin = as_user(client, world.accounts["admin"])
        twin = admin.get("/dash", params={"format": "json"}).json()
        assert twin["run"]["id"] == run_id
        rows = {r["unit"]["id"]: r for r in twin["rows"]}
        assert rows[root]["employees"]["values"]["engagement"] == 1.2345
        assert rows[region]["employees"]["values"] == {} and rows[region]["employees"]["n"] is None
        api = admin.get("/api/v1/overview").json()
        assert {r["unit"]["id"]: r for r in api["rows"]}[root]["employees"]["values"][
            "engagement"
        ] == 1.2345
    finally:
        with transaction(engine) as s:
            s.delete(s.get(AnalysisRun, run_id))
    twin = as_user(client, world.accounts["admin"]).get("/dash", params={"format": "json"}).json()
    assert twin["run"]["id"] != run_id


# --- the service on both databases ------------------------------------------------------------


def test_results_cache_on_both_databases(engine: Engine, world: Demo) -> None:
    """The cache reads the newest run on SQLite and PostgreSQL, parses it once per run, and
    a scope cuts every page to its units."""
    with transaction(engine) as s:
        org = Organisation(slug="dash-test", name="Dash test")
        s.add(org)
        s.flush()
        s.add(AnalysisRun(organisation_id=org.id, results={"waves": ["w1"], "wave": "w1"}))
        s.add(AnalysisRun(organisation_id=org.id, results=world.document))
        org_id = org.id
    cache = ResultsCache()
    data = cache.latest(engine, org_id)
    assert cache.latest(engine, org_id) is data
    assert data.wave == world.results.wave
    location = world.accounts["location_manager"]
    scope = Scope(units=location.units, organisation=False, visible_only=False)
    seen = data.visible_units(scope)
    assert seen == location.units
    for build in service.PAGES.values():
        if build is service.drivers:
            with pytest.raises(service.OutOfScope):
                build(data, scope, "en")
            continue
        page = build(data, scope, "en")
        assert page.organisation_view is False
    with session_factory(engine)() as s:
        assert s.scalar(select(AnalysisRun.id).where(AnalysisRun.organisation_id == org_id))


def test_scope_of_roles() -> None:
    class Viewer:
        def __init__(self, role: StaffRole, units: frozenset[int] | None) -> None:
            self.role, self.units, self.organisation_id = role, units, 1

    assert Scope.of(Viewer(StaffRole.ANALYST, None)).organisation
    manager = Scope.of(Viewer(StaffRole.MANAGER, frozenset({1, 2})))
    assert not manager.organisation and manager.units == {1, 2} and not manager.visible_only
    assert Scope.of(Viewer(StaffRole.MEMBER, frozenset({3}))).visible_only
    # A manager without a unit sees nothing, never everything.
    assert Scope.of(Viewer(StaffRole.MANAGER, None)).units == frozenset()


def test_page_contexts_are_cached_per_scope(world: Demo) -> None:
    data = DashboardData(1, world.results)
    everyone = Scope(None, True, False)
    first = service.overview(data, everyone, "en")
    assert service.overview(data, everyone, "en") is first
    assert service.overview(data, everyone, "nl") is not first
    some = Scope(frozenset(world.accounts["location_manager"].units or ()), False, False)
    assert service.overview(data, some, "en") is not first
    assert all(
        math.isfinite(v) for r in first.rows for v in r.employees.values.values() if v is not None
    )


def _normalised(spec: dict[str, object]) -> dict[str, object]:
    datasets = spec["datasets"]
    assert isinstance(datasets, dict) and len(datasets) == 1
    ((name, rows),) = datasets.items()
    text = json.dumps({**spec, "datasets": {"d": rows}}, sort_keys=True).replace(name, "d")
    return dict(json.loads(text))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_heatmap_from_the_template_equals_a_fresh_build(world: Demo, lang: str) -> None:
    everyone = Scope(None, True, False)
    region = world.of_kind("region")[0]
    reused = DashboardData(1, world.results)
    service.overview(reused, everyone, lang)  # builds the template on the top rows
    swapped = service.overview(reused, everyone, lang, parent=region).charts[0].spec
    fresh = service.overview(DashboardData(1, world.results), everyone, lang, parent=region)
    assert _normalised(swapped) == _normalised(fresh.charts[0].spec)
