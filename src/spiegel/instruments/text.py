"""Bilingual texts, and the strict frozen base every questionnaire object is built on.

Every text of an instrument (titles, questions, labels) is given in all of
:data:`LANGUAGES`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = ["LANGUAGES", "Frozen", "Language", "NonEmptyStr", "Text"]

LANGUAGES: tuple[str, ...] = ("nl", "en")
"""The languages every text must be given in."""

Language = Literal["nl", "en"]

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Frozen(BaseModel):
    """Immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Frozen):
    """A text in Dutch (``nl``) and English (``en``); both are required."""

    nl: NonEmptyStr
    en: NonEmptyStr

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"nl"`` or ``"en"``)."""
        if lang == "nl":
            return self.nl
        if lang == "en":
            return self.en
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
