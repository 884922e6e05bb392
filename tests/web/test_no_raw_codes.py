"""A person sees titles, never codes: every main results page and the report, rendered
from results stored by this release, hold no instrument code and no snake_case identifier
in their visible text or in the labels of their charts (issue 15)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from spiegel.config import Settings
from spiegel.instruments import get_instrument
from spiegel.reports.render import render_html
from spiegel.results import Results, load_results
from spiegel.services.users import add_user, start_session
from spiegel.store.db import session_factory
from spiegel.store.enums import RoleGroup
from spiegel.store.models import AnalysisRun, Organisation
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE

STORED = Path(__file__).parents[1] / "results" / "data" / "results-2.json"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
BUILTIN = ("customer", "employee", "mirror", "engagement", "drivers", "strain")


def _codes() -> set[str]:
    """Every code a person must not read: item ids and scale names of the built-in
    instruments with an underscore (single words like ``vigor`` are also words) and the
    role groups."""
    codes = {g.value for g in RoleGroup}
    for name in BUILTIN:
        inst = get_instrument(name)
        codes |= {i.id for i in inst.items} | {s.name for s in inst.scales}
    return {c for c in codes if "_" in c}


CODES = _codes()


class _Visible(HTMLParser):
    """The text a person reads: text nodes outside script/style, ``title``/``alt``/
    ``aria-label`` attributes, and the string values of the charts' Vega-Lite data."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: str | None = None
        self._spec = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("title", "alt", "aria-label", "placeholder"):
            if a.get(key):
                self.parts.append(str(a[key]))
        if tag in ("script", "style"):
            self._skip = tag
            self._spec = "vega-spec" in (a.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._skip:
            self._skip = None
            self._spec = False

    def handle_data(self, data: str) -> None:
        if self._skip is None:
            self.parts.append(data)
        elif self._spec:
            self.parts.extend(_spec_strings(json.loads(data)))


def _spec_strings(spec: object) -> list[str]:
    """Strings a chart draws: its titles, and the values of the data fields it encodes
    (a column that is carried along but not drawn is not read by anyone)."""
    fields: set[str] = set()
    rows: list[dict[str, object]] = []
    titles: list[str] = []
    _walk_spec(spec, fields, rows, titles)
    drawn = [v for row in rows for k, v in row.items() if k in fields and isinstance(v, str)]
    return titles + drawn


def _walk_spec(
    node: object, fields: set[str], rows: list[dict[str, object]], titles: list[str]
) -> None:
    if isinstance(node, list):
        for v in node:
            _walk_spec(v, fields, rows, titles)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "text") and isinstance(value, str):
                titles.append(value)
            elif key == "field" and isinstance(value, str):
                fields.add(value)
            elif key == "values" and isinstance(value, list):
                rows += [r for r in value if isinstance(r, dict)]
            elif key == "datasets" and isinstance(value, dict):  # Altair's inlined data
                rows += [
                    r
                    for d in value.values()
                    if isinstance(d, list)
                    for r in d
                    if isinstance(r, dict)
                ]
            else:
                _walk_spec(value, fields, rows, titles)


def raw_codes(html: str) -> set[str]:
    """The codes found in what a person reads of ``html``."""
    parser = _Visible()
    parser.feed(html)
    text = "\n".join(parser.parts)
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    return set(SNAKE.findall(text)) | (words & CODES)


def test_the_checker_finds_codes_and_passes_titles() -> None:
    spec = {
        "data": {"values": [{"label": "mot_pick_up", "aspect": "mot_drop_off"}]},
        "datasets": {"d1": [{"r": "front_line"}]},
        "encoding": {"y": {"field": "label"}, "tooltip": [{"field": "r"}]},
    }
    html = (
        "<p>Ophalen</p><abbr title='senior_management'>x</abbr>"
        f"<script class='vega-spec' type='application/json'>{json.dumps(spec)}</script>"
        "<script>var a_b = 1;</script>"
    )
    assert raw_codes(html) == {"mot_pick_up", "senior_management", "front_line"}
    assert raw_codes("<p>Communicatie, p &lt; 0.001, 95%-BI</p>") == set()


@pytest.fixture(scope="module")
def results() -> Results:
    return load_results(json.loads(STORED.read_text(encoding="utf-8")))


@pytest.fixture
def client(engine: Engine, db_url: str, results: Results) -> Iterator[TestClient]:
    with session_factory(engine)() as s:
        org = Organisation(slug="stored", name="Stored results")
        s.add(org)
        s.flush()
        s.add(AnalysisRun(organisation_id=org.id, results=results.to_json()))
        s.commit()
        admin = add_user(s, org, "admin@example.org", "a-long-enough-password", "admin", None)
        sid = start_session(s, admin)
    settings = Settings(
        database_url=db_url, environment="test", secret_key="test-secret-key-0123456789abcdef"
    )
    with TestClient(create_app(settings)) as c:
        c.cookies.set(SESSION_COOKIE, sid)
        yield c


def test_no_main_page_shows_a_code(client: TestClient, results: Results) -> None:
    location = next(u for u in results.units if u.kind == "location")
    pages = ["/dash", f"/dash/units/{location.id}", "/dash/methods"] + [
        f"/dash/{p}" for p in ("linkage", "drivers", "mirror", "risk", "ambition")
    ]
    found: dict[str, set[str]] = {}
    for path in pages:
        for lang in ("nl", "en"):
            r = client.get(path, params={"lang": lang})
            assert r.status_code == 200, (path, r.text[:300])
            if codes := raw_codes(r.text):
                found[f"{path} ({lang})"] = codes
    assert not found, found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_shows_no_code(results: Results, lang: str) -> None:
    location = next(u for u in results.units if u.kind == "location")
    assert raw_codes(render_html(results, lang=lang)) == set()
    assert raw_codes(render_html(results, lang=lang, unit=location.id)) == set()
