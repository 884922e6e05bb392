"""What ``/openapi.json`` says about the survey pages and about errors.

The survey routes read their body themselves (:func:`spiegel.web.deps.get_body`, with
its limits), so the models here describe the bodies without parsing them: a JSON
submission (:class:`Submission`), a page of answers (:class:`PageAnswers`), the error
body every route may answer with (:class:`ErrorBody`). ``SURVEY_*`` are the keyword
arguments that document each survey route; :data:`API_ERRORS` those of the results API.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "API_ERRORS",
    "SURVEY_PAGE",
    "SURVEY_RESPONSES",
    "SURVEY_SAVE",
    "SURVEY_SUBMIT",
    "ErrorBody",
    "PageAnswers",
    "Submission",
]

Answer = str | int | float | None


class ErrorObject(BaseModel):
    """What went wrong: ``code`` for programs, ``message`` for people (in the page
    language); some errors add where (``field``, ``line``, ``column``) or ``problems``
    (a message per refused answer)."""

    model_config = ConfigDict(extra="allow")

    status: int = Field(description="The HTTP status.")
    code: str = Field(
        description="What went wrong, e.g. `invalid_answers`, `invalid_json`, "
        "`json_too_deep`, `invalid_text`, `body_too_large`, `unsupported_media_type`, "
        "`link_invalid`, `survey_closed`."
    )
    message: str = Field(description="The explanation for people, in the page language.")


class ErrorBody(BaseModel):
    """The body of every error answered as JSON; ``error`` comes first."""

    model_config = ConfigDict(extra="allow")

    error: ErrorObject
    lang: str = Field(description="The language of the messages: nl or en.")


class Submission(BaseModel):
    """A whole questionnaire in one request (item ids as in
    ``spiegel instruments show``, or ``GET /s/TOKEN/1?format=json``). Answers may also be
    given at the top level, as on the pages."""

    model_config = ConfigDict(extra="allow")

    answers: dict[str, Answer] | None = Field(
        None,
        description="Item id to answer: a number on the item's scale, an option's code, "
        "or text; null or an empty string clears an item. Unknown ids are ignored.",
        examples=[{"overall_grade": 8, "recommend": 9, "comment": "Fijne leidsters."}],
    )
    submission_key: str | None = Field(
        None,
        min_length=16,
        max_length=128,
        description="Random and new for every respondent, the same on every retry: the "
        "same key twice stores one response.",
    )


class PageAnswers(BaseModel):
    """The answers of one page (item id to answer, as in :class:`Submission`) with the
    form's CSRF token; ``action`` says where to go next."""

    model_config = ConfigDict(extra="allow")

    csrf_token: str | None = Field(None, description="The token of the page's form.")
    action: str | None = Field(None, description="`next` (default), `back` or `save`.")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    form = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "The same fields as a form (text only, no files).",
    }
    return {
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": form},
                "multipart/form-data": {"schema": form},
            },
        }
    }


_ERROR = {"model": ErrorBody}
_ERROR_PAGE = {**_ERROR, "content": {"text/html": {"schema": {"type": "string"}}}}
_PAGE = {
    "description": "The page, or its JSON twin (`?format=json` or `Accept: application/json`).",
    "content": {
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object", "required": ["lang"]}},
    },
}
_DONE = {
    "description": "Saved (or sent): for a JSON client the result and `next`, the page to "
    "show now; a browser is sent there (303).",
    "content": {"application/json": {"schema": {"type": "object", "required": ["next"]}}},
}
_SURVEY_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {**_ERROR_PAGE, "description": "CSRF token missing, or the survey is not open yet."},
    404: {**_ERROR_PAGE, "description": "No survey for this link, or no such page."},
    410: {**_ERROR_PAGE, "description": "The survey has closed."},
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        **_ERROR_PAGE,
        "description": "Broken JSON (`invalid_json`), nested too deep (`json_too_deep`), "
        "not an object (`json_not_an_object`) or text that cannot be stored "
        "(`invalid_text`).",
    },
    413: {**_ERROR_PAGE, "description": "The body is larger than the limit (1 MB)."},
    415: {**_ERROR_PAGE, "description": "Not JSON nor a form."},
    422: {**_ERROR_PAGE, "description": "Answers refused: `problems` has a message per item."},
}

SURVEY_PAGE: dict[str, Any] = {"responses": {200: _PAGE, 303: {"description": "Elsewhere."}}}
SURVEY_SAVE: dict[str, Any] = {
    "responses": {200: _DONE, 303: {"description": "On to the next page."}},
    "openapi_extra": _body(PageAnswers),
}
SURVEY_SUBMIT: dict[str, Any] = {
    "responses": {200: _DONE, 303: {"description": "On to the thank-you page."}},
    "openapi_extra": _body(Submission),
}
SURVEY_RESPONSES: dict[int | str, dict[str, Any]] = {**_SURVEY_ERRORS, **_BODY_ERRORS}

API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR, "description": "A parameter is not valid (`invalid_parameter`)."},
    401: {**_ERROR, "description": "No valid token or session."},
    403: {**_ERROR, "description": "The unit or page lies outside the caller's scope."},
    404: {**_ERROR, "description": "No such unit, or no analysed results yet."},
}
