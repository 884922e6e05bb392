"""What the realistic-ambition figures show, and what they do not.

"Reachable" is the current grade raised by a realistic engagement step along the linkage
line, capped by the best comparable locations, never below the current grade. When the
line is not clearly rising, or no comparable location scores higher, Reachable equals
Now: the page must then say so and why, not suggest that a location has reached its
ceiling. A target that was never set is "not set", not a dash that reads as missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from spiegel.results import AmbitionUnit
from spiegel.wording.estimate import CANNOT_TELL, Estimate, as_lang, interval, number

_TOL = 1e-9

NOT_SET = {"en": "not set", "nl": "niet ingesteld"}


def has_room(row: AmbitionUnit) -> bool:
    """True when the figures show a reachable grade above the current one."""
    return (
        row.current is not None and row.reachable is not None and row.reachable > row.current + _TOL
    )


def ambition_notes(
    rows: Sequence[AmbitionUnit], link: Estimate | None, lang: str, *, show_link: bool = True
) -> list[str]:
    """Plain sentences on what the ambition figures of ``rows`` show; ``link`` is the
    correlation of engagement and grade across locations (its interval decides);
    ``show_link`` prints its numbers (for viewers who may see organisation-wide models)."""
    lg = as_lang(lang)
    out: list[str] = []
    measured = [r for r in rows if r.current is not None and r.reachable is not None]
    direction = link.direction if link is not None else "missing"
    about_link = ""
    if link is not None and show_link:
        about_link = f" (r = {number(link.value)}, {interval(link, lg)})"
    if measured:
        room = sum(has_room(r) for r in measured)
        if room == 0 and direction != "positive":
            out.append(
                "Voor elke locatie is Haalbaar gelijk aan Nu. Of een hogere bevlogenheid "
                f"samengaat met een hoger klantcijfer, {CANNOT_TELL['nl']}{about_link}; "
                "daarom tonen deze cijfers geen ruimte boven het huidige cijfer. Dat betekent "
                "niet dat een locatie niet beter kan worden, maar dat deze gegevens niet laten "
                "zien hoeveel."
                if lg == "nl"
                else "For every location Reachable equals Now. Whether higher engagement goes "
                f"with a higher customer grade, {CANNOT_TELL['en']}{about_link}, so these "
                "figures show no room above the current grade. That does not mean a location "
                "cannot improve; these data cannot show by how much."
            )
        elif room == 0:
            out.append(
                "Voor elke locatie is Haalbaar gelijk aan Nu: de best vergelijkbare locaties "
                "scoren niet hoger, of de bevlogenheid is er al bij de hoogste. Deze cijfers "
                "tonen dus geen ruimte boven het huidige cijfer; ze laten niet zien dat een "
                "locatie niet beter kan worden."
                if lg == "nl"
                else "For every location Reachable equals Now: the best comparable locations "
                "score no higher, or engagement there is already among the highest. These "
                "figures show no room above the current grade; they do not show that a "
                "location cannot improve."
            )
        else:
            out.append(
                f"Voor {room} van de {len(measured)} locaties tonen de cijfers ruimte boven het "
                "huidige klantcijfer; bij de andere is Haalbaar gelijk aan Nu."
                if lg == "nl"
                else f"For {room} of {len(measured)} locations the figures show room above "
                "the current customer grade; for the others Reachable equals Now."
            )
            if direction != "positive":
                out.append(
                    f"Let op: of bevlogenheid en klantcijfer samengaan, {CANNOT_TELL['nl']}"
                    f"{about_link}; de ruimte rust op een lijn die ook vlak kan zijn en is "
                    "dus onzeker."
                    if lg == "nl"
                    else f"Note: whether engagement and the customer grade go together, "
                    f"{CANNOT_TELL['en']}{about_link}; the room rests on a line that could "
                    "be flat, so it is uncertain."
                )
    if rows and all(r.target is None for r in rows):
        out.append(
            "Er zijn nog geen doelen ingesteld; de kolom Doel toont daarom “niet ingesteld”."
            if lg == "nl"
            else "No targets have been set yet, so the Target column shows “not set”."
        )
    return out
