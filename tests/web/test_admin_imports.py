"""The admin import page lists imported files and undoes one; respondents already in
another survey of the wave are refused unless the box is ticked."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from spiegel.store.db import transaction
from spiegel.store.models import ImportBatch, ResponseBlock
from tests.web.conftest import World
from tests.web.helpers import Html, csrf_of, login_as

EN = {"accept-language": "en"}
CUSTOMERS = "respondent;unit;overall_grade;recommend\nr1;N1;8;9\nr2;N2;7;10\n"


def _upload(client: TestClient, survey: str, **form: str) -> tuple[int, Html]:
    r = client.post(
        "/admin/imports",
        data={
            "csrf_token": csrf_of(client, "/admin/imports"),
            "kind": "responses",
            "survey": survey,
            "wave": "2026-H2",
            "instrument": "customer",
            **form,
        },
        files={"file": ("ouders.csv", CUSTOMERS.encode(), "text/csv")},
        headers=EN,
    )
    return r.status_code, Html.of(r)


def _blocks(engine: Engine) -> int:
    with transaction(engine) as s:
        return int(s.scalar(select(func.count()).select_from(ResponseBlock)) or 0)


def test_list_undo_and_duplicates(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    status, page = _upload(client, "ouders-a")
    assert status == 200 and "2 imported" in page.text(".panel-success")
    status, page = _upload(client, "ouders-b")
    assert status == 422
    assert "already imported in survey 'ouders-a'" in page.text("table.problems")
    status, page = _upload(client, "ouders-b", allow="on")
    assert status == 200 and "2 imported" in page.text(".panel-success")
    rows = page.all("table.batches tbody tr")
    newest = " ".join("".join(rows[0].etree_element.itertext()).split())
    assert "ouders-b" in newest and "ouders.csv" in newest and "Undo" in newest
    with transaction(engine) as s:
        batch = s.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
        assert batch is not None
        batch_id = batch.id
    before = _blocks(engine)
    r = client.post(
        f"/admin/imports/{batch_id}/undo",
        data={"csrf_token": csrf_of(client, "/admin/imports")},
        headers=EN,
    )
    assert r.status_code == 200
    assert f"Undone: batch {batch_id}" in Html.of(r).text("main")
    assert _blocks(engine) == before - 1
    assert (
        client.post(
            f"/admin/imports/{batch_id}/undo",
            data={"csrf_token": csrf_of(client, "/admin/imports")},
            headers=EN,
        ).status_code
        == 404
    )
    # without the form's token nothing happens
    assert client.post(f"/admin/imports/{batch_id - 1}/undo", data={}).status_code == 403
    assert _blocks(engine) == before - 1


def test_only_admins_undo(
    client: TestClient, engine: Engine, world: World, staff: dict[str, str]
) -> None:
    login_as(client, staff["admin"])
    status, _ = _upload(client, "ouders-a")
    assert status == 200
    before = _blocks(engine)
    with transaction(engine) as s:
        batch_id = s.scalar(select(func.max(ImportBatch.id)))
    for role in ("analyst", "manager", "member"):
        other = TestClient(client.app)
        login_as(other, staff[role])
        r = other.post(
            f"/admin/imports/{batch_id}/undo", data={"csrf_token": csrf_of(other, "/logout")}
        )
        assert r.status_code == 403, role
    assert _blocks(engine) == before
