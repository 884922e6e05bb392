"""Malformed requests to the survey pages get a clear 4xx that names the problem, never a
500 (issue 12): JSON nested too deep, text that no database can store, bodies over the
size limit, a wrong content type, broken JSON. On PostgreSQL a JSON submission through a
location link takes the fast lane, so every case runs on both databases."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.config import Settings
from spiegel.services.users import create_token
from spiegel.store.db import transaction
from spiegel.store.models import AnonymousDraft, Invitation, Response, StaffUser
from spiegel.web.app import MAX_BODY_BYTES, create_app
from spiegel.web.limits import MAX_JSON_DEPTH
from tests.browser.server import free_port
from tests.web.conftest import STAFF, World
from tests.web.helpers import Html

NL = {"accept-language": "nl-NL,nl;q=0.9"}
JSON = {"content-type": "application/json"}
BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
ONE_GO = {"overall_grade": 8, "recommend": 9, "comment": "Fijne leidsters."}
KEY = "kiosk-0123456789abcdef"


def _stored(engine: Engine) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Response)) or 0)


def _error(r: httpx.Response, status: int, code: str) -> dict[str, object]:
    """The error object of a JSON error response (checked: status, code, a message)."""
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"] == "application/json", r.text[:300]
    body = r.json()
    assert next(iter(body)) == "error", "the error comes first"
    error: dict[str, object] = body["error"]
    assert error["status"] == status and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


# --- JSON nested too deep -----------------------------------------------------------------


@pytest.mark.parametrize("page", ["finish", "1"])
def test_json_nested_a_thousand_levels_deep_is_refused_before_parsing(
    client: TestClient, engine: Engine, world: World, page: str
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    body = '{"answers": {"overall_grade": 8, "comment": ' + _nested(1000) + "}}"
    r = client.post(f"{base}/{page}", content=body, headers={**JSON, **NL})
    error = _error(r, 400, "json_too_deep")
    assert str(MAX_JSON_DEPTH) in str(error["message"])
    assert "genest" in str(error["message"])  # Dutch for a Dutch respondent
    assert _stored(engine) == 0


def test_json_depth_is_counted_exactly(client: TestClient, engine: Engine, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    # The body object is level 1; brackets inside strings do not count.
    deepest = MAX_JSON_DEPTH - 1
    ok = f'{{"answers": {json.dumps(ONE_GO)}, "note": "[[[[{{{{", "x": {_nested(deepest)}}}'
    r = client.post(f"{base}/finish", content=ok, headers=JSON)
    assert r.status_code == 200, r.text
    too_deep = f'{{"answers": {json.dumps(ONE_GO)}, "x": {_nested(deepest + 1)}}}'
    _error(client.post(f"{base}/finish", content=too_deep, headers=JSON), 400, "json_too_deep")
    assert _stored(engine) == 1


# --- text that cannot be stored -----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"answers": {"overall_grade": 8, "comment": "Fijn \\ud800"}}', "comment"),
        ('{"answers": {"overall_grade": 8, "comment": "Fijn \\u0000 team"}}', "comment"),
        ('{"overall_grade": 8, "comment": "\\udfff"}', "comment"),
        ('{"answers": {"overall_grade": 8}, "submission_key": "' + "\\ud800" * 20 + '"}', None),
        ('{"answers": {"overall_grade": 8, "\\ud800": "x"}}', None),
    ],
)
def test_text_no_database_can_store_is_refused_naming_the_field(
    client: TestClient, engine: Engine, world: World, body: str, field: str | None
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    r = client.post(f"{base}/finish", content=body, headers={**JSON, **NL})
    error = _error(r, 400, "invalid_text")
    if field is not None:
        assert error["field"] == field
        assert field in str(error["message"])
    assert "tekens" in str(error["message"])  # Dutch
    assert _stored(engine) == 0


def test_invalid_text_in_a_json_page_save_is_refused(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.personal_tokens['E1']}"
    r = client.post(f"{base}/15", content='{"employee_comment": "a\\ud83d"}', headers=JSON)
    assert _error(r, 400, "invalid_text")["field"] == "employee_comment"
    with transaction(engine) as s:
        assert s.scalar(select(Invitation.draft).where(Invitation.draft.is_not(None))) is None


def test_a_nul_byte_in_a_form_is_refused_and_the_page_shows_why(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    page = Html.of(client.get(f"{base}/4", headers=NL))
    r = client.post(
        f"{base}/4",
        data={"comment": "Fijn\x00team", "csrf_token": page.csrf(), "action": "next"},
        headers={**NL, **BROWSER},
    )
    assert r.status_code == 400
    html = Html.of(r)
    assert "comment" in html.text("main")
    finish = Html.of(client.get(f"{base}/finish"))
    r = client.post(
        f"{base}/finish",
        data={"comment": "\x00", "overall_grade": "8", "csrf_token": finish.csrf()},
        headers=BROWSER,
    )
    assert r.status_code == 400
    with transaction(engine) as s:
        assert s.scalar(select(func.count()).select_from(AnonymousDraft)) == 0
    assert _stored(engine) == 0


def test_a_nul_byte_in_the_login_form_is_refused(client: TestClient, staff: dict[str, str]) -> None:
    page = Html.of(client.get("/login"))
    r = client.post(
        "/login",
        data={
            "email": STAFF["admin"][0] + "\x00",
            "password": "x",
            "csrf_token": page.csrf(),
        },
        headers={"accept": "application/json"},
    )
    assert _error(r, 400, "invalid_text")["field"] == "email"


# --- size, content type, broken JSON ------------------------------------------------------


def test_a_body_over_the_limit_gets_a_413_like_the_other_errors(
    client: TestClient, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    big = json.dumps({"answers": {"comment": "x" * MAX_BODY_BYTES}})
    error = _error(client.post(f"{base}/finish", content=big, headers=JSON), 413, "body_too_large")
    assert "1 MB" in str(error["message"])

    # Sent in chunks without a declared length, the limit holds all the same.
    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536].encode()

    r = client.post(f"{base}/finish", content=chunks(), headers=JSON)
    _error(r, 413, "body_too_large")
    page = Html.of(client.get(f"{base}/4"))
    form = {"comment": "x" * MAX_BODY_BYTES, "csrf_token": page.csrf()}
    r = client.post(f"{base}/4", data=form, headers=BROWSER)
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"]
    assert Html.of(r).text("h1")


@pytest.mark.parametrize("page", ["finish", "1"])
def test_a_wrong_content_type_names_the_types_taken(
    client: TestClient, world: World, page: str
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(
        f"{base}/{page}",
        content=json.dumps({"answers": ONE_GO}),
        headers={"content-type": "text/plain", "accept": "application/json"},
    )
    error = _error(r, 415, "unsupported_media_type")
    for expected in ("application/json", "application/x-www-form-urlencoded"):
        assert expected in str(error["message"])


def test_broken_json_names_where(client: TestClient, engine: Engine, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(f"{base}/finish", content='{"answers": {"overall_grade": 8,}}', headers=JSON)
    error = _error(r, 400, "invalid_json")
    assert (error["line"], error["column"]) == (1, 33)
    assert "1" in str(error["message"]) and "33" in str(error["message"])
    r = client.post(f"{base}/finish", content=b'{"comment": "\xff"}', headers=JSON)
    _error(r, 400, "invalid_json")
    r = client.post(f"{base}/finish", content="[1, 2]", headers=JSON)
    _error(r, 400, "json_not_an_object")
    r = client.post(f"{base}/finish", content='{"answers": [8, 9]}', headers=JSON)
    assert _error(r, 400, "json_not_an_object")["field"] == "answers"
    assert _stored(engine) == 0


def test_refused_answers_come_with_the_error_first(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(f"{base}/finish", json={"answers": {"overall_grade": 11}}, headers=NL)
    error = _error(r, 422, "invalid_answers")
    assert error["problems"] == r.json()["problems"]
    assert "overall_grade" in error["problems"]  # type: ignore[operator]
    csrf = Html.of(client.get(f"{base}/1")).csrf()
    r = client.post(f"{base}/1", json={"overall_grade": 11, "recommend": 9, "csrf_token": csrf})
    error = _error(r, 422, "invalid_answers")
    assert set(error["problems"]) == {"overall_grade"}  # type: ignore[arg-type]
    assert _stored(engine) == 0


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """``app`` behind a real uvicorn server on a free port, in a thread of this process."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_a_413_arrives_before_the_connection_closes(
    settings: Settings, engine: Engine, world: World
) -> None:
    """Python's urllib asks the server to close the connection after the response. Were the
    413 sent while the client is still sending, closing would reset the connection and the
    client would see an error instead of the answer."""
    app = create_app(settings, engine=engine)
    base = f"/s/{world.location_tokens['N1']}"
    big = json.dumps({"answers": {"comment": "x" * 20 * MAX_BODY_BYTES}}).encode()
    with _serving(app) as url:
        request = urllib.request.Request(f"{url}{base}/finish", data=big, headers=JSON)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=60)
        assert caught.value.code == 413
        assert caught.value.headers["content-type"] == "application/json"
        assert json.loads(caught.value.read())["error"]["code"] == "body_too_large"
    assert _stored(engine) == 0


def test_answers_that_are_lists_or_objects_and_a_key_that_is_no_text_are_refused(
    client: TestClient, engine: Engine, world: World
) -> None:
    base = f"/s/{world.location_tokens['N2']}"
    r = client.post(f"{base}/finish", json={"answers": {"overall_grade": 8, "comment": ["a"]}})
    assert set(_error(r, 422, "invalid_answers")["problems"]) == {"comment"}  # type: ignore[arg-type]
    r = client.post(f"{base}/finish", json={"answers": ONE_GO, "submission_key": 10**20})
    _error(r, 422, "invalid_submission_key")
    assert _stored(engine) == 0


def test_an_api_parameter_of_the_wrong_type_is_named(
    client: TestClient, engine: Engine, staff: dict[str, str]
) -> None:
    with transaction(engine) as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == staff["admin"])).one()
        token = create_token(s, user, "test")
    r = client.get("/api/v1/overview?parent=abc", headers={"Authorization": f"Bearer {token}"})
    error = _error(r, 400, "invalid_parameter")
    assert error["field"] == "parent" and "parent" in str(error["message"])


def test_an_empty_json_body_is_no_fields(client: TestClient, world: World) -> None:
    base = f"/s/{world.location_tokens['N1']}"
    r = client.post(f"{base}/finish", content=b"", headers=JSON)
    assert _error(r, 422, "nothing_to_submit")
