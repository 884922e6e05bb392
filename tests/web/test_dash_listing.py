"""Long dashboard tables: filter (region, unit type, name), sort, page, all on the server
from the query string (so they work without JavaScript), inside the viewer's scope; the
mirror as one line per location; a unit against its region and the organisation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from spiegel.services.dashboards import PER_PAGE, DashboardData, ListQuery, Scope
from spiegel.services.dashboards.compare import verdict
from spiegel.services.dashboards.listing import BadQuery, region_of, sort_rows
from tests.web.dash_helpers import Demo, as_user, client_for, demo
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


def _json(client: TestClient, path: str, **params: object) -> dict[str, object]:
    r = client.get(path, params={**params, "format": "json"}, headers=EN)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert isinstance(body, dict)
    return body


def _ids(rows: object) -> list[int]:
    assert isinstance(rows, list)
    return [int(r["unit"]["id"]) for r in rows]


def _region(world: Demo, unit: int) -> int | None:
    node: object = unit
    while node is not None:
        row = world.units[int(node)]  # type: ignore[call-overload]
        if row["kind"] == "region":
            return int(node)  # type: ignore[call-overload]
        node = row["parent_id"]
    return None


# --- the query string -------------------------------------------------------------------------


def test_the_query_string_is_read_as_a_form_sends_it() -> None:
    assert ListQuery.parse({}) == ListQuery()
    empty = {"region": "", "type": "", "q": " ", "sort": "", "dir": "", "page": ""}
    assert ListQuery.parse(empty) == ListQuery()
    q = ListQuery.parse({"region": "7", "type": "bso", "q": "Assen", "sort": "gap", "dir": "desc"})
    assert q == ListQuery(region=7, unit_type="bso", q="Assen", sort="gap", desc=True)
    assert q.filtered
    assert ListQuery.parse({"page": "all"}).page == 0
    assert ListQuery.parse({"page": "3"}).page == 3
    for params in ({"page": "0"}, {"page": "x"}, {"region": "R01"}, {"dir": "up"}):
        with pytest.raises(BadQuery):
            ListQuery.parse(params)
    with pytest.raises(BadQuery, match="q"):
        ListQuery.parse({"q": "x" * 101})


def test_rows_without_a_value_sort_last_both_ways() -> None:
    rows = [{"v": 2.0}, {"v": None}, {"v": 3.0}, {"v": 1.0}]
    up = sort_rows(rows, lambda r: r["v"], desc=False)
    down = sort_rows(rows, lambda r: r["v"], desc=True)
    assert [r["v"] for r in up] == [1.0, 2.0, 3.0, None]
    assert [r["v"] for r in down] == [3.0, 2.0, 1.0, None]


def test_an_interval_decides_the_verdict() -> None:
    assert verdict(0.1, 0.5) == "higher"
    assert verdict(-0.5, -0.1) == "lower"
    assert verdict(-0.1, 0.5) == "unclear"
    assert verdict(None, None) == "none"


# --- overview ---------------------------------------------------------------------------------


def test_overview_filters_by_region_at_every_depth(admin: TestClient, world: Demo) -> None:
    region = world.of_kind("region")[-1]
    body = _json(admin, "/dash", region=region, page="all")
    shown = _ids(body["shown"])
    inside = [u for u in world.units if _region(world, u) == region]
    assert sorted(shown) == sorted(inside)
    listing = body["listing"]
    assert isinstance(listing, dict)
    assert listing["total"] == len(inside)
    assert listing["available"] == len(world.units)
    # the API (no query) is what it was: the top of the tree
    assert _ids(body["rows"])[0] == next(u for u, r in world.units.items() if not r["parent_id"])


def test_overview_search_and_unit_type(admin: TestClient, world: Demo) -> None:
    location = world.of_kind("location")[0]
    word = str(world.units[location]["name"]).split()[-1]
    body = _json(admin, "/dash", q=word.upper(), page="all")
    shown = _ids(body["shown"])
    assert location in shown
    assert all(word.casefold() in str(world.units[u]["name"]).casefold() for u in shown)
    kind = str(world.units[location]["unit_type"])
    typed = _ids(_json(admin, "/dash", type=kind, page="all")["shown"])
    assert typed and all(world.units[u]["unit_type"] == kind for u in typed)
    assert len(typed) == sum(1 for r in world.units.values() if r["unit_type"] == kind)


def test_overview_sorts_and_pages(admin: TestClient, world: Demo) -> None:
    # every team and location: more than a page
    kind = "groep" if any(r["unit_type"] == "groep" for r in world.units.values()) else None
    params: dict[str, object] = {"type": kind} if kind else {"q": "e"}
    first = _json(admin, "/dash", **params, sort="engagement", dir="desc")
    listing = first["listing"]
    assert isinstance(listing, dict) and listing["total"] > PER_PAGE
    assert listing["pages"] == -(-listing["total"] // PER_PAGE)
    rows = first["shown"]
    assert isinstance(rows, list) and len(rows) == PER_PAGE
    values = [r["employees"]["values"].get("engagement") for r in rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)
    assert values[: len(present)] == present  # hidden cells last
    ordered = {"sort": "engagement", "dir": "desc"}
    every = _ids(_json(admin, "/dash", **params, **ordered, page="all")["shown"])
    paged: list[int] = []
    for page in range(1, int(listing["pages"]) + 1):
        paged += _ids(
            _json(admin, "/dash", **params, sort="engagement", dir="desc", page=page)["shown"]
        )
    assert paged == every and len(set(every)) == listing["total"]
    # a page past the end shows the last one
    past = _json(admin, "/dash", **params, page=999)["listing"]
    assert isinstance(past, dict) and past["page"] == listing["pages"]


def test_overview_column_groups_keep_the_table_narrow(admin: TestClient, world: Demo) -> None:
    widths = {}
    for group in ("engagement", "drivers", "strain"):
        page = Html.of(admin.get("/dash", params={"columns": group}, headers=EN))
        widths[group] = len(page.all("#scores thead th"))
    assert max(widths.values()) <= 11
    assert admin.get("/dash", params={"columns": "all"}).status_code == 400


def test_the_pages_work_without_javascript(admin: TestClient, world: Demo) -> None:
    """The filter is a GET form, sorting and paging are plain links."""
    page = Html.of(admin.get("/dash/mirror", headers=EN))
    form = page.one("form.filter-form").etree_element
    assert form.get("method") == "get" and form.get("action") == "/dash/mirror"
    names = {e.get("name") for e in form.iter() if e.get("name")}
    assert {"type", "q"} <= names
    assert ("region" in names) == (len(world.of_kind("region")) > 1)
    sort_links = [a.etree_element.get("href") for a in page.all("thead a.sort")]
    assert any("sort=blind_spots" in h for h in sort_links)
    assert page.one('th[aria-sort="descending"]')
    types = [str(r["unit_type"]) for r in world.units.values()]
    common = max(set(types), key=types.count)
    assert types.count(common) > PER_PAGE
    paged = Html.of(admin.get("/dash", params={"type": common}, headers=EN))
    pager = [a.etree_element.get("href") for a in paged.all("nav.pager a")]
    assert any("page=2" in h and "type=" in h for h in pager)
    assert any("page=all" in h for h in pager)
    assert len(paged.all("#scores tbody tr")) == PER_PAGE


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/dash", {"sort": "nope"}, "sort"),
        ("/dash/risk", {"page": "0"}, "page"),
        ("/dash/mirror", {"type": "no such type"}, "type"),
        ("/dash/ambition", {"dir": "sideways"}, "dir"),
    ],
)
def test_bad_query_gets_a_clear_message(
    admin: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    r = admin.get(path, params={**params, "format": "json"}, headers=EN)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["field"] == field and f"“{field}”" in error["message"]


# --- mirror, risk, ambition -------------------------------------------------------------------


def test_mirror_is_one_line_per_location_with_aspects_on_demand(
    admin: TestClient, world: Demo
) -> None:
    body = _json(admin, "/dash/mirror", page="all")
    summary = body["locations"]
    assert isinstance(summary, list)
    stored = world.results.mirror
    assert stored is not None
    locations = {g.unit for g in stored.units}
    assert {r["unit"]["id"] for r in summary} == locations
    for r in summary:
        gaps = [g for g in stored.units if g.unit == r["unit"]["id"]]
        assert r["aspects"] == len(gaps)
        assert r["blind_spots"] == sum(g.label == "blind spot" for g in gaps)
        assert (
            r["blind_spots"] + r["hidden_strengths"] + r["aligned"] + r["unclear"] == r["aspects"]
        )
        biggest = max(gaps, key=lambda g: abs(g.gap or 0.0))
        assert r["largest"]["gap"] == pytest.approx(biggest.gap)
    counts = [r["blind_spots"] for r in summary]
    assert counts == sorted(counts, reverse=True)  # the default: most blind spots first
    page = Html.of(admin.get("/dash/mirror", headers=EN))
    assert len(page.all("#mirror-summary tbody tr")) == min(PER_PAGE, len(locations))
    assert not page.all("#detail")
    chosen = summary[0]["unit"]["id"]
    detail = _json(admin, "/dash/mirror", unit=chosen)
    assert detail["detail"]["id"] == chosen
    assert len(detail["detail_rows"]) == summary[0]["aspects"]
    assert {c["table"] for c in detail["charts"]} == {"detail_rows"}
    assert Html.of(admin.get("/dash/mirror", params={"unit": chosen}, headers=EN)).one("#detail")


@pytest.mark.parametrize("path", ["/dash/risk", "/dash/ambition"])
def test_risk_and_ambition_filter_sort_and_page(admin: TestClient, world: Demo, path: str) -> None:
    everything = _json(admin, path, page="all")
    rows = everything["shown"]
    assert isinstance(rows, list) and rows
    region = _region(world, rows[0]["unit"]["id"])
    assert region is not None
    some = _json(admin, path, region=region, page="all")["shown"]
    assert _ids(some) == [u for u in _ids(rows) if _region(world, u) == region]
    key, field = ("exhaustion", "exhaustion") if path.endswith("risk") else ("current", "current")
    up = [r[field] for r in _json(admin, path, sort=key, page="all")["shown"]]  # type: ignore[union-attr]
    present = [v for v in up if v is not None]
    assert present == sorted(present)
    first = _json(admin, path)["shown"]
    assert isinstance(first, list) and len(first) == min(PER_PAGE, len(rows))


def test_risk_is_sorted_by_level_first(admin: TestClient) -> None:
    rows = _json(admin, "/dash/risk", page="all")["shown"]
    order = {"high": 0, "watch": 1}
    levels = [order.get(r["risk_level"], 2) for r in rows]  # type: ignore[index]
    assert levels == sorted(levels)


# --- scope --------------------------------------------------------------------------------------


def test_filters_stay_inside_the_scope(client: TestClient, world: Demo) -> None:
    account = world.accounts["location_manager"]
    assert account.units is not None
    manager = as_user(client, account)
    other = next(r for r in world.of_kind("region") if r not in account.units)
    assert manager.get("/dash", params={"region": other}).status_code == 403
    assert manager.get("/dash/risk", params={"region": other}).status_code == 403
    outside = next(u for u in world.of_kind("location") if u not in account.units)
    assert manager.get("/dash/mirror", params={"unit": outside}).status_code == 403
    for path in ("/dash", "/dash/mirror", "/dash/risk", "/dash/ambition"):
        body = _json(manager, path, q="e", page="all")
        rows = body.get("shown") or body.get("locations") or []
        assert set(_ids(rows)) <= account.units, path
        listing = body["listing"]
        assert isinstance(listing, dict)
        offered = {int(o["value"]) for o in listing["regions"]}
        assert offered <= account.units, path
    # a region manager sees one region: no region to choose
    regional = as_user(client, world.accounts["region_manager"])
    assert _json(regional, "/dash/risk")["listing"]["regions"] == []  # type: ignore[index]


def test_a_manager_lands_on_their_own_units(client: TestClient, world: Demo) -> None:
    account = world.accounts["location_manager"]
    assert account.units is not None and account.unit_code is not None
    own = world.by_code(account.unit_code)
    body = _json(as_user(client, account), "/dash")
    shown = _ids(body["shown"])
    assert shown[0] == own and set(shown) <= account.units
    compared = body["comparison"]
    assert isinstance(compared, dict)
    assert compared["unit_name"] == world.units[own]["name"]


# --- a unit against its region and the organisation -----------------------------------------


def test_unit_against_region_and_organisation(
    client: TestClient, admin: TestClient, world: Demo
) -> None:
    account = world.accounts["location_manager"]
    assert account.units is not None and account.unit_code is not None
    own = world.by_code(account.unit_code)
    region = _region(world, own)
    root = next(u for u, r in world.units.items() if not r["parent_id"])
    assert region is not None
    body = _json(admin, f"/dash/units/{own}")
    compared = body["comparison"]
    assert isinstance(compared, dict)
    assert compared["has_region"] and compared["region_name"] == world.units[region]["name"]
    results = world.results
    assert results.employee is not None and results.wave is not None
    rows = {r["figure"]: r for r in compared["rows"]}
    for figure in ("engagement", "exhaustion"):
        r = rows[figure]
        org = results.employee.cell(root, results.wave)
        reg = results.employee.cell(region, results.wave)
        mine = results.employee.cell(own, results.wave)
        assert org is not None and reg is not None and mine is not None
        assert r["mean_organisation"] == pytest.approx(org.value(figure))
        assert r["mean_region"] == pytest.approx(reg.value(figure))
        if mine.visible:
            assert r["mean"] == pytest.approx(mine.value(figure))
        else:  # hidden, or its teams together where they stand for it
            assert r["mean"] is None or r["employee_units"]
        if r["mean"] is not None and getattr(results, "differences", None) is None:
            diff = r["vs_organisation"]["difference"]
            assert diff == pytest.approx(r["mean"] - r["mean_organisation"])
    assert rows["exhaustion"]["high_is_bad"] and not rows["engagement"]["high_is_bad"]
    # the manager sees the same figures, without the region's name or a link to it
    manager = as_user(client, account)
    theirs = _json(manager, f"/dash/units/{own}")["comparison"]
    assert isinstance(theirs, dict)
    assert theirs["region_name"] is None

    def figures(rows: object) -> list[dict[str, object]]:
        # the same numbers; only the sentences name "your region" for the manager
        assert isinstance(rows, list)
        return [
            {k: ({**v, "sentence": None} if isinstance(v, dict) else v) for k, v in row.items()}
            for row in rows
        ]

    assert figures(theirs["rows"]) == figures(compared["rows"])
    assert world.units[region]["name"] not in str(theirs["rows"])
    page = manager.get(f"/dash/units/{own}", headers=EN).text
    assert "Its region" in page and f'href="/dash/units/{region}"' not in page
    # the organisation itself has nothing to be compared with
    as_user(client, world.accounts["admin"])
    assert _json(admin, f"/dash/units/{root}")["comparison"] is None


def test_comparison_reads_only_visible_cells(world: Demo) -> None:
    """A hidden cell of the unit gives no mean and no difference."""
    data = DashboardData(1, world.results)
    everyone = Scope(None, True, False)
    hidden = next((u for u in world.of_kind("team") if not world.visible(u)), None)
    if hidden is None:
        pytest.skip("every team is visible in this demo")
    from spiegel.services.dashboards import unit_page

    page = unit_page(data, everyone, "en", hidden)
    assert page.comparison is not None
    for row in page.comparison.rows:
        if row.audience == "employee":
            assert row.mean is None
            assert row.vs_organisation is not None and row.vs_organisation.difference is None
    assert region_of(data, hidden) is not None
