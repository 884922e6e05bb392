"""The contexts of the survey pages: plain data, the same for HTML and for JSON.

Each function returns a ``dict`` that :func:`spiegel.web.render.render` turns into the
page or its JSON twin. Texts from the questionnaire come in the page language; interface
texts the templates translate themselves; messages next to fields are translated here, so
a JSON client gets them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from spiegel.instruments.model import (
    AgreementFormat,
    ChoiceFormat,
    GradeFormat,
    Instrument,
    Item,
    LikelihoodFormat,
    TextFormat,
)
from spiegel.services.invitations import Draft, Link
from spiegel.services.questionnaire import (
    FIRST_GROUP,
    AnswerProblem,
    QuestionGroup,
    question_groups,
)
from spiegel.web.i18n import N_
from spiegel.web.templating import Renderer

__all__ = [
    "finish_context",
    "link_paths",
    "page_context",
    "problem_message",
    "start_context",
    "thanks_context",
]

PROBLEM_MESSAGES: Mapping[str, str] = {
    "not_a_number": N_("Choose a number from {min} to {max}."),
    "out_of_range": N_("Choose a number from {min} to {max}."),
    "not_an_option": N_("Choose one of the options given."),
    "not_an_answer": N_("Answer with a number or a text."),
    "too_long": N_(
        "Your answer is {length} characters long; the most we can take is {max}. Please shorten it."
    ),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def link_paths(token: str, pages: int) -> dict[str, str]:
    """The addresses of a link's pages."""
    base = f"/s/{token}"
    return {
        "start": base,
        "first_page": f"{base}/1",
        "finish": f"{base}/finish",
        "thanks": f"{base}/thanks",
        "last_page": f"{base}/{pages}",
    }


def _survey(link: Link, lang: str) -> dict[str, object]:
    inst = link.instrument
    return {
        "title": inst.title.get(lang),
        "description": inst.description.get(lang),
        "audience": link.survey.audience.value,
        "personal": link.personal,
    }


def _dom_id(item_id: str) -> str:
    return "q-" + _UNSAFE.sub("_", item_id)


def problem_message(
    renderer: Renderer, lang: str, instrument: Instrument, problem: AnswerProblem
) -> str:
    """The message shown next to a refused answer, in ``lang``."""
    params: dict[str, object] = dict(problem.params)
    fmt = instrument.format_of(problem.item_id)
    if isinstance(fmt, AgreementFormat | LikelihoodFormat | GradeFormat):
        params.setdefault("min", fmt.min)
        params.setdefault("max", fmt.max)
    template = renderer.gettext(lang, PROBLEM_MESSAGES.get(problem.code, problem.code))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def _question(
    instrument: Instrument,
    item: Item,
    lang: str,
    value: str | None,
    error: str | None,
) -> dict[str, object]:
    fmt = instrument.format_of(item.id)
    dom_id = _dom_id(item.id)
    question: dict[str, object] = {
        "id": item.id,
        "field": item.id,
        "dom_id": dom_id,
        "text": item.text.get(lang),
        "kind": fmt.kind,
        "value": value,
        "error": error,
    }
    if isinstance(fmt, TextFormat):
        question["max_length"] = fmt.max_length
        return question
    labels = fmt.value_labels(lang)
    options: list[dict[str, object]] = []
    if isinstance(fmt, LikelihoodFormat | GradeFormat):
        question["layout"] = "numbers"
        question["anchors"] = {"low": labels.get(fmt.min), "high": labels.get(fmt.max)}
        for v in fmt.values:
            options.append({"value": str(v), "label": str(v), "anchor": labels.get(v)})
    else:
        question["layout"] = "list"
        codes: tuple[int | str, ...] = (
            fmt.values if isinstance(fmt, ChoiceFormat | AgreementFormat) else ()
        )
        for code in codes:
            options.append(
                {"value": str(code), "label": labels.get(code, str(code)), "anchor": None}
            )
    question["options"] = options
    return question


def _group_title(group: QuestionGroup, lang: str, renderer: Renderer, pages: int) -> str | None:
    if group.title is not None:
        return group.title.get(lang)
    if pages == 1:
        return None
    message = N_("First some questions") if group.key == FIRST_GROUP else N_("Final questions")
    return renderer.gettext(lang, message)


def _answered(draft: Draft, group: QuestionGroup) -> int:
    return sum(1 for i in group.items if i.id in draft.answers)


def start_context(link: Link, token: str, draft: Draft, lang: str) -> dict[str, object]:
    """The link's first page: what the survey is, anonymity, start or continue."""
    groups = question_groups(link.instrument)
    paths = link_paths(token, len(groups))
    resume = None
    if draft.answers:
        page = min(draft.page, len(groups) + 1)
        resume = paths["finish"] if page > len(groups) else f"/s/{token}/{page}"
    return {
        "page_kind": "start",
        "survey": _survey(link, lang),
        "pages": len(groups),
        "questions": len(link.instrument.items),
        "answered": len(draft.answers),
        "resume_url": resume,
        "links": paths,
    }


def page_context(
    link: Link,
    token: str,
    number: int,
    draft: Draft,
    lang: str,
    renderer: Renderer,
    csrf_token: str,
    raw: Mapping[str, str] | None = None,
    problems: Mapping[str, AnswerProblem] | None = None,
    notice: str | None = None,
) -> dict[str, object]:
    """Page ``number`` (1-based) of the questionnaire with the saved answers, overlaid by
    ``raw`` (what was just posted) and the ``problems`` found in it."""
    groups = question_groups(link.instrument)
    group = groups[number - 1]
    raw = raw or {}
    problems = problems or {}
    questions = []
    errors = []
    for item in group.items:
        if item.id in raw:
            value: str | None = raw[item.id]
        elif item.id in draft.answers:
            value = str(draft.answers[item.id])
        else:
            value = None
        message = None
        if item.id in problems:
            message = problem_message(renderer, lang, link.instrument, problems[item.id])
        q = _question(link.instrument, item, lang, value, message)
        questions.append(q)
        if message is not None:
            errors.append(
                {"id": item.id, "anchor": q["dom_id"], "text": q["text"], "message": message}
            )
    paths = link_paths(token, len(groups))
    return {
        "page_kind": "questions",
        "survey": _survey(link, lang),
        "page": {
            "number": number,
            "count": len(groups),
            "key": group.key,
            "title": _group_title(group, lang, renderer, len(groups)),
            "description": group.description.get(lang) if group.description else None,
            "percent": round(100 * (number - 1) / len(groups)),
        },
        "questions": questions,
        "errors": errors,
        "notice": notice,
        "csrf_token": csrf_token,
        "links": {
            **paths,
            "action": f"/s/{token}/{number}",
            "previous": f"/s/{token}/{number - 1}" if number > 1 else paths["start"],
        },
    }


def finish_context(
    link: Link,
    token: str,
    draft: Draft,
    lang: str,
    renderer: Renderer,
    csrf_token: str,
    notice: str | None = None,
) -> dict[str, object]:
    """The last page: how much was answered, links back to each page, the send button."""
    groups = question_groups(link.instrument)
    pages = [
        {
            "number": n,
            "title": _group_title(g, lang, renderer, len(groups))
            or renderer.gettext(lang, N_("Questions")),
            "answered": _answered(draft, g),
            "total": len(g.items),
            "url": f"/s/{token}/{n}",
        }
        for n, g in enumerate(groups, start=1)
    ]
    return {
        "page_kind": "finish",
        "survey": _survey(link, lang),
        "answered": sum(p["answered"] for p in pages),  # type: ignore[misc]
        "total": len(link.instrument.items),
        "pages": pages,
        "notice": notice,
        "csrf_token": csrf_token,
        "links": {**link_paths(token, len(groups)), "action": f"/s/{token}/finish"},
    }


def thanks_context(
    link: Link, token: str, lang: str, already: bool, answered_here: bool = False
) -> dict[str, object]:
    """The thank-you page (also what a repeated submit shows). ``answered_here``: this
    browser already answered through the location link."""
    return {
        "page_kind": "thanks",
        "survey": _survey(link, lang),
        "already_submitted": already,
        "answered_here": answered_here,
        "links": {"start": f"/s/{token}"},
    }
