"""Small helpers for the web tests: parse HTML (tinyhtml5 + cssselect2, both installed
with WeasyPrint) and walk survey pages."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import cssselect2
import httpx
import numpy as np
import tinyhtml5
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from spiegel.store.answers import pack_matrix
from spiegel.store.db import transaction
from spiegel.store.models import Response, Survey, TextAnswer


@dataclass
class Html:
    """A parsed page, queried with CSS selectors."""

    root: cssselect2.ElementWrapper

    @classmethod
    def of(cls, response: httpx.Response) -> Html:
        assert response.headers["content-type"].startswith("text/html"), response.text[:200]
        return cls(cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(response.text)))

    @property
    def lang(self) -> str | None:
        return self.root.etree_element.get("lang")

    def all(self, selector: str) -> list[cssselect2.ElementWrapper]:
        return list(self.root.query_all(selector))

    def one(self, selector: str) -> cssselect2.ElementWrapper:
        found = self.all(selector)
        assert len(found) == 1, f"{selector!r}: {len(found)} elements"
        return found[0]

    def text(self, selector: str) -> str:
        return " ".join(
            " ".join("".join(e.etree_element.itertext()).split()) for e in self.all(selector)
        )

    def attr(self, selector: str, name: str) -> str | None:
        return self.one(selector).etree_element.get(name)

    def csrf(self) -> str:
        """The page's CSRF token (every form of a page carries the same one: the staff
        header's Log out form and the page's own)."""
        tokens = {e.etree_element.get("value") for e in self.all('input[name="csrf_token"]')}
        assert len(tokens) == 1, f"{len(tokens)} different CSRF tokens"
        [token] = tokens
        assert token
        return token

    def checked(self) -> dict[str, str]:
        """The radio buttons that are checked, as ``{name: value}``."""
        return {
            e.etree_element.get("name"): e.etree_element.get("value")
            for e in self.all("input[type=radio][checked]")
        }


def post_page(
    client: TestClient, path: str, answers: Mapping[str, object], action: str = "next"
) -> httpx.Response:
    """GET the page (for its CSRF token), then POST ``answers`` to it."""
    page = Html.of(client.get(path))
    data = {k: str(v) for k, v in answers.items()}
    return client.post(path, data={**data, "csrf_token": page.csrf(), "action": action})


# --- staff access (login_as, create_staff) ---------------------------------------------------

STAFF_PASSWORD = "correct horse battery"


def login_as(client: TestClient, email: str, password: str = STAFF_PASSWORD) -> None:
    """Log ``client`` in through the login form (CSRF token included); fails loudly."""
    page = Html.of(client.get("/login"))
    r = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": page.csrf(), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, f"login as {email} failed: {r.status_code} {r.text[:300]}"


def post_login(
    client: TestClient,
    email: str,
    password: str,
    headers: Mapping[str, str] | None = None,
    **extra: str,
) -> tuple[int, Html | None, dict[str, str]]:
    """POST the login form (English, CSRF token included): status, the page shown (HTML
    answers) and the response headers."""
    data = {"email": email, "password": password, "csrf_token": csrf_of(client), **extra}
    sent = {"accept-language": "en", **(headers or {})}
    r = client.post("/login", data=data, headers=sent, follow_redirects=False)
    page = Html.of(r) if r.headers.get("content-type", "").startswith("text/html") else None
    return r.status_code, page, dict(r.headers)


def logout(client: TestClient) -> httpx.Response:
    """Log ``client`` out through the logout page's form."""
    token = csrf_of(client, "/logout")
    return client.post("/logout", data={"csrf_token": token}, follow_redirects=False)


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """A CSRF token for ``client`` (from the first form on ``path``; use ``/logout`` when
    logged in, as ``/login`` then redirects)."""
    page = Html.of(client.get(path))
    value = page.all('input[name="csrf_token"]')[0].etree_element.get("value")
    assert value
    return str(value)


# --- web responses at given moments (flags and exclusions) -----------------------------------


def add_web_responses(
    engine: Engine, survey_id: int, unit_id: int, moments: list[dt.datetime]
) -> None:
    """Web responses through the survey's link for ``unit_id``, one submitted at each
    moment, each with a comment (as a location link stores them)."""
    with transaction(engine) as s:
        survey = s.get(Survey, survey_id)
        assert survey is not None
        blob = pack_matrix(np.full((1, len(survey.instrument.item_order)), 7.0))[0]
        ids = s.scalars(
            insert(Response).returning(Response.id),
            [
                {
                    "survey_id": survey_id,
                    "unit_id": unit_id,
                    "role_group": None,
                    "external_id": f"web-{uuid.uuid4().hex}",
                    "submitted_at": moment,
                    "numeric_answers": blob,
                }
                for moment in moments
            ],
        ).all()
        s.execute(
            insert(TextAnswer),
            [{"response_id": i, "item_id": "comment", "text": "ok"} for i in ids],
        )


def spread(first: dt.datetime, hours: int, per_hour: int) -> list[dt.datetime]:
    """``per_hour`` moments evenly in each of ``hours`` clock hours from ``first``."""
    step = dt.timedelta(hours=1) / per_hour
    return [first + dt.timedelta(hours=h) + i * step for h in range(hours) for i in range(per_hour)]
