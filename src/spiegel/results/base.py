"""The base of every results class: frozen, strict, numbers that may be missing."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _finite_or_none(value: object) -> object:
    """NaN and infinities (a statistic that could not be computed) become ``None``."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: A number that may be missing (``null`` in JSON): not computable, or not applicable.
Number = Annotated[float | None, BeforeValidator(_finite_or_none)]


class Model(BaseModel):
    """Results classes are read-only and refuse fields they do not declare, so a field
    renamed on one side fails loudly instead of vanishing from a page."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Title(Model):
    """A title in both languages."""

    nl: str
    en: str

    def get(self, lang: str) -> str:
        """The title in ``lang`` (``nl`` or ``en``)."""
        return self.nl if lang == "nl" else self.en
