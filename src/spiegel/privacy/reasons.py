"""Why a figure is hidden, in plain words: the reason codes of the privacy gate and their
texts in Dutch and English (no data libraries, so any layer may use them)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from spiegel.privacy.settings import TableKind


class ReasonCode(StrEnum):
    """Why a cell is hidden."""

    TOO_FEW = "too_few"
    COMPLEMENTARY = "complementary"
    CONSISTENCY = "consistency"


_NOUN = {
    "scores": ("respondents", "respondenten"),
    "comments": ("respondents", "respondenten"),
    "rater360": ("raters", "beoordelaars"),
}


def reason_text(
    code: ReasonCode | str,
    minimum: int,
    kind: TableKind,
    place: str | None,
    lang: Literal["en", "nl"] = "en",
) -> str:
    """Why a cell is hidden, in plain words (``place``: the unit whose figures would give
    the small group away, or ``None`` to leave it out)."""
    en, nl = _NOUN[kind]
    m = minimum
    where = f" in {place}" if place else ""
    if code == ReasonCode.TOO_FEW:
        return f"fewer than {m} {en}" if lang == "en" else f"minder dan {m} {nl}"
    if code == ReasonCode.COMPLEMENTARY and kind == "comments":
        if lang == "en":
            return (
                f"hidden so that the comments of a group of fewer than {m} {en}{where} "
                "cannot be picked out by comparing comment lists"
            )
        return (
            f"verborgen zodat de opmerkingen van een groep van minder dan {m} {nl}"
            f"{where} niet door het vergelijken van lijsten te vinden zijn"
        )
    if code == ReasonCode.COMPLEMENTARY:
        if lang == "en":
            return (
                f"hidden so that a group of fewer than {m} {en}{where} cannot be "
                "worked out from the other figures"
            )
        return (
            f"verborgen zodat een groep van minder dan {m} {nl}{where} niet uit de "
            "andere cijfers af te leiden is"
        )
    if lang == "en":
        return "hidden because the same group is hidden in the overall results"
    return "verborgen omdat dezelfde groep in de totaalresultaten verborgen is"
