"""A small analysed demo organisation for the dashboard and API tests, built once per test
process (about 30-45 s) and shared by every test module that asks for it, with staff
users of each role, their session ids and API tokens."""

from __future__ import annotations

import functools
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from spiegel.config import Settings, sqlite_url
from spiegel.results import Cell, Results
from spiegel.services.demo import build_demo
from spiegel.services.reporting import latest_results
from spiegel.services.users import add_user, create_token, start_session, unit_scope
from spiegel.store.db import make_engine, session_factory
from spiegel.store.models import Organisation, StaffUser
from spiegel.web.app import create_app
from spiegel.web.auth import SESSION_COOKIE

SECRET = "test-secret-key-for-the-dashboard-tests-0123"
PASSWORD = "a-long-enough-password"


@dataclass(frozen=True)
class Account:
    """A staff user of the demo: how to be them, and what they may see."""

    key: str
    role: str
    unit_code: str | None
    sid: str
    token: str
    units: frozenset[int] | None


@dataclass
class Demo:
    directory: Path
    database: Path
    organisation_id: int
    results: Results
    units: dict[int, dict[str, object]]  # id -> unit row of the results document
    accounts: dict[str, Account] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return sqlite_url(self.database)

    def code(self, unit_id: int) -> str:
        return str(self.units[unit_id]["code"])

    def by_code(self, code: str) -> int:
        return next(u for u, row in self.units.items() if row["code"] == code)

    def children(self, unit_id: int) -> list[int]:
        return [u for u, row in self.units.items() if row["parent_id"] == unit_id]

    def of_kind(self, kind: str) -> list[int]:
        return [u for u, row in self.units.items() if row["kind"] == kind]

    @property
    def document(self) -> dict[str, object]:
        """The stored JSON of the results."""
        return self.results.to_json()

    def cell(self, unit_id: int, audience: str = "employee") -> Cell | None:
        """The unit's cell of the latest wave (everyone)."""
        table = self.results.employee if audience == "employee" else self.results.customer
        assert table is not None and self.results.wave is not None
        return table.cell(unit_id, self.results.wave)

    def visible(self, unit_id: int) -> bool:
        """Whether the unit's employee cell of the latest wave is visible."""
        cell = self.cell(unit_id)
        return cell is not None and cell.visible


def _choose_units(demo: Demo) -> dict[str, tuple[str, str | None]]:
    region = demo.of_kind("region")[0]
    location = next(u for u in demo.children(region) if demo.children(u))
    teams = [t for loc in demo.of_kind("location") for t in demo.children(loc)]
    seen_team = next(t for t in teams if demo.visible(t))
    hidden_team = next((t for t in teams if not demo.visible(t)), None)
    users: dict[str, tuple[str, str | None]] = {
        "admin": ("admin", None),
        "analyst": ("analyst", None),
        "region_manager": ("manager", demo.code(region)),
        "location_manager": ("manager", demo.code(location)),
        "member": ("member", demo.code(seen_team)),
    }
    if hidden_team is not None:
        users["hidden_member"] = ("member", demo.code(hidden_team))
    return users


@functools.cache
def demo() -> Demo:
    """The analysed demo organisation with one staff user per role (built once)."""
    directory = Path(tempfile.mkdtemp(prefix="spiegel-dash-"))
    build = build_demo(
        directory,
        seed=3,
        employees=360,
        customers_per_wave=1500,
        locations=16,
        n_boot=50,
        pdf=False,
    )
    engine = make_engine(sqlite_url(build.database))
    try:
        results = latest_results(engine)
        units = {u.id: u.model_dump() for u in results.units}
        with session_factory(engine)() as s:
            org = s.scalars(select(Organisation)).one()
            out = Demo(directory, build.database, org.id, results, units)
            for key, (role, code) in _choose_units(out).items():
                user = add_user(s, org, f"{key}@example.org", PASSWORD, role, code)
                out.accounts[key] = Account(
                    key=key,
                    role=role,
                    unit_code=code,
                    sid=start_session(s, user),
                    token=create_token(s, user, "tests"),
                    units=unit_scope(s, user),
                )
            assert s.scalar(select(StaffUser.id).limit(1)) is not None
    finally:
        engine.dispose()
    return out


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, environment="test", secret_key=SECRET)


@functools.cache
def shared_engine(url: str) -> Engine:
    return make_engine(url)


def client_for(url: str) -> Iterator[TestClient]:
    app = create_app(settings_for(url), engine=shared_engine(url))
    with TestClient(app, base_url="http://testserver") as c:
        yield c


def as_user(client: TestClient, account: Account | None) -> TestClient:
    """Make ``client`` send ``account``'s session cookie (none: logged out)."""
    client.cookies.clear()
    if account is not None:
        client.cookies.set(SESSION_COOKIE, account.sid)
    return client


def bearer(account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {account.token}"}


def walk(value: object) -> Iterator[tuple[str | None, object]]:
    """Every (key, value) pair in a JSON document, depth first."""
    stack: list[tuple[str | None, object]] = [(None, value)]
    while stack:
        key, item = stack.pop()
        yield key, item
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((key, v) for v in item)


UNIT_KEYS = {"unit", "unit_id", "location", "parent_id"}
UNIT_LINK = re.compile(r"/dash/units/(\d+)|[?&](?:amp;)?parent=(\d+)")


def unit_ids_in_json(body: object) -> set[int]:
    """Unit ids a JSON answer refers to: values of unit keys, and ``id`` of unit objects."""
    found: set[int] = set()
    for key, value in walk(body):
        if isinstance(value, dict) and {"id", "code", "name"} <= value.keys():
            found.add(int(value["id"]))
        elif key in UNIT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
            found.add(int(value))
    return found


def unit_ids_in_html(text: str) -> set[int]:
    return {int(a or b) for a, b in UNIT_LINK.findall(text)}


def forbidden_words(demo: Demo, allowed: frozenset[int] | None) -> dict[str, int]:
    """Codes and names of units outside ``allowed`` that no in-scope unit shares (team
    names such as "De Kikkers" repeat across locations), as {word: unit id}."""
    if allowed is None:
        return {}
    inside = {str(demo.units[u][k]) for u in allowed if u in demo.units for k in ("code", "name")}
    out: dict[str, int] = {}
    for uid, row in demo.units.items():
        if uid in allowed:
            continue
        for k in ("code", "name"):
            word = str(row[k])
            if word not in inside and not any(word in w for w in inside):
                out[word] = uid
    return out


def leaks(text: str, words: dict[str, int]) -> list[str]:
    """The forbidden words that occur in ``text`` as whole words."""
    if not words:
        return []
    return [w for w in words if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text)]


def json_text(response: httpx.Response) -> str:
    """The body as text with JSON escapes undone (so names are found as written)."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.text
