"""Rules that need the whole document: ids, format references, scales, mirror pairs.

The checks read the raw YAML data defensively, so they still run (and report) when
other parts of the file have shape errors: a person fixing a file sees every problem
at once. Parents (``extends``) and included instruments arrive already loaded.

:func:`check_document` runs them in order: the top-level keys
(:mod:`.top_level`), the response formats (:mod:`.formats`), the scales and items
(:mod:`.items`) and this side of the mirror pairs (:mod:`.mirror`, which also holds
:func:`check_mirror_targets` for the other side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spiegel.instruments.checks.context import SNAKE_CASE, Checker
from spiegel.instruments.checks.formats import check_formats
from spiegel.instruments.checks.items import check_scales_and_items
from spiegel.instruments.checks.mirror import check_mirror, check_mirror_targets
from spiegel.instruments.checks.top_level import check_top_level
from spiegel.instruments.formats import ResponseFormat
from spiegel.instruments.model import Instrument
from spiegel.instruments.problems import Problem
from spiegel.instruments.source import Document

__all__ = ["SNAKE_CASE", "CheckResult", "check_document", "check_mirror_targets"]


@dataclass(frozen=True)
class CheckResult:
    """The problems of a document, and the response format of each item found."""

    problems: list[Problem]
    item_formats: dict[str, ResponseFormat]


def check_document(
    doc: Document,
    parent: Instrument | None,
    includes: Sequence[tuple[str, Instrument]],
) -> CheckResult:
    """Every whole-document problem of ``doc``, given its loaded parent and includes.

    ``includes`` pairs each included instrument with its location (``include[2]``).
    ``item_formats`` (item id -> format, where it could be told) lets mirror pairs be
    checked even when the document has other problems.
    """
    if not isinstance(doc.data, dict):
        return CheckResult([], {})
    checker = Checker(doc, parent, includes)
    audience = check_top_level(checker)
    check_formats(checker)
    all_ids = check_scales_and_items(checker, audience)
    check_mirror(checker, audience, all_ids)
    return CheckResult(checker.problems, checker.item_formats)
