"""Errors that carry their HTTP status, and the one handler that shows them.

Raise an :class:`AppError` subclass anywhere in a request; :func:`install` makes sure the
browser gets a friendly page (``error.html``) and a JSON client the same content as JSON.
Titles and messages are msgids, translated into the page language when shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import cast

from babel.dates import format_datetime
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from spiegel.services.invitations import LinkNotFound, SurveyUnavailable
from spiegel.services.surveys import SurveyState
from spiegel.web.i18n import N_
from spiegel.web.render import language_of, render
from spiegel.web.security import redact_path

__all__ = [
    "AppError",
    "BadRequest",
    "BodyTooLarge",
    "CsrfFailed",
    "InvalidJson",
    "InvalidParameter",
    "InvalidText",
    "JsonNotAnObject",
    "JsonTooDeep",
    "LinkInvalid",
    "NotFoundError",
    "SurveyClosed",
    "SurveyNotYetOpen",
    "UnsupportedMediaType",
    "install",
]

log = logging.getLogger("spiegel.web")


class AppError(Exception):
    """An error page: ``status_code``, a ``code`` for clients, a title and a message.

    ``params`` fill the message's ``{placeholders}``; ``details`` go into the JSON error
    object beside ``code`` (say, the ``field`` at fault)."""

    status_code = 500
    code = "server_error"
    title = N_("Something went wrong")
    message = N_("Please try again in a moment.")

    def __init__(
        self,
        message: str | None = None,
        *,
        params: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        self.params = dict(params or {})
        self.headers = dict(headers or {})
        self.details = dict(details or {})


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    title = N_("This request could not be handled")
    message = N_("Something in the request was not as expected. Please go back and try again.")


class InvalidJson(BadRequest):
    code = "invalid_json"
    title = N_("The data could not be read")
    message = N_("The request is not valid JSON: {reason} (line {line}, column {column}).")


class InvalidParameter(BadRequest):
    code = "invalid_parameter"
    message = N_("The parameter “{field}” is not valid: {reason}.")


class JsonNotAnObject(BadRequest):
    code = "json_not_an_object"
    title = N_("The data could not be read")
    message = N_("The request must be a JSON object, with the answers under “answers”.")
    field_message = N_("“{field}” must be a JSON object.")


class JsonTooDeep(BadRequest):
    code = "json_too_deep"
    title = N_("The data could not be read")
    message = N_("The JSON in this request is nested more than {max} levels deep.")


class InvalidText(BadRequest):
    code = "invalid_text"
    title = N_("This text cannot be saved")
    message = N_(
        "The field “{field}” contains characters that cannot be saved (a null character, "
        "or half of a character pair). Remove them and try again."
    )


class BodyTooLarge(AppError):
    status_code = 413
    code = "body_too_large"
    title = N_("This is too much to send at once")
    message = N_("We take at most {limit} in one request. Shorten your answers and try again.")


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "unsupported_media_type"
    title = N_("This request could not be handled")
    message = N_("Send the data as {types}.")


class NotFoundError(AppError):
    status_code = 404
    code = "not_found"
    title = N_("Page not found")
    message = N_("There is no page at this address. Check the link and try again.")


class LinkInvalid(NotFoundError):
    code = "link_invalid"
    title = N_("This link does not work")
    message = N_(
        "We could not find a survey for this link. Check that you copied the whole link, "
        "or use the most recent invitation you received."
    )


class SurveyNotYetOpen(AppError):
    status_code = 403
    code = "survey_not_yet_open"
    title = N_("This survey is not open yet")
    message = N_("You can answer from {opens}. Please come back then: this link will work.")


class SurveyClosed(AppError):
    status_code = 410
    code = "survey_closed"
    title = N_("This survey has closed")
    message = N_("Thank you for your interest. Answers can no longer be given through this link.")


class CsrfFailed(AppError):
    status_code = 403
    code = "csrf_failed"
    title = N_("Please try again")
    message = N_(
        "For your security this form could not be sent (it may have been open for a long "
        "time). Go back, reload the page and send it again."
    )


def _error_context(request: Request, error: AppError) -> dict[str, object]:
    renderer = request.app.state.renderer
    lang = language_of(request)
    title = renderer.gettext(lang, error.title)
    message = renderer.gettext(lang, error.message)
    if error.params:
        message = message.format(**error.params)
    return {
        "error": {
            "status": error.status_code,
            "code": error.code,
            "title": title,
            "message": message,
            **error.details,
        }
    }


def error_response(request: Request, error: AppError) -> Response:
    """The error page (or JSON) for ``error``."""
    return render(
        request,
        "error.html",
        _error_context(request, error),
        status_code=error.status_code,
        headers=error.headers,
    )


def survey_unavailable(error: SurveyUnavailable, lang: str) -> AppError:
    """The page for a survey that takes no answers now."""
    if error.state == SurveyState.CLOSED:
        return SurveyClosed()
    opens = error.survey.opens_at
    if opens is None:
        return SurveyNotYetOpen(
            N_("Answers can be given once the survey opens. Please try this link again later.")
        )
    return SurveyNotYetOpen(params={"opens": format_datetime(opens, "long", locale=lang)})


async def _app_error(request: Request, exc: Exception) -> Response:
    return error_response(request, cast(AppError, exc))


async def _link_not_found(request: Request, exc: Exception) -> Response:
    return error_response(request, LinkInvalid())


async def _unavailable(request: Request, exc: Exception) -> Response:
    error = survey_unavailable(cast(SurveyUnavailable, exc), language_of(request))
    return error_response(request, error)


async def _http_error(request: Request, exc: Exception) -> Response:
    http = cast(StarletteHTTPException, exc)
    if http.status_code == 404:
        return error_response(request, NotFoundError())
    error = BadRequest(headers=http.headers)
    error.status_code = http.status_code
    error.code = "http_error"
    return error_response(request, error)


async def _validation_error(request: Request, exc: Exception) -> Response:
    problems = cast(RequestValidationError, exc).errors()
    if not problems:
        return error_response(request, BadRequest())
    where = [str(p) for p in problems[0].get("loc", ())]
    field = ".".join(where[1:] if len(where) > 1 else where)
    reason = str(problems[0].get("msg", ""))
    error = InvalidParameter(params={"field": field, "reason": reason}, details={"field": field})
    return error_response(request, error)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, redact_path(request.url.path))
    return error_response(request, AppError())


def install(app: FastAPI) -> None:
    """Register the handlers: every error becomes an error page or its JSON twin."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(LinkNotFound, _link_not_found)
    app.add_exception_handler(SurveyUnavailable, _unavailable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
