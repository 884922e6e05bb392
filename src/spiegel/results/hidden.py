"""One representation of a figure that did not pass the privacy gate.

Every consumer renders a hidden figure from this class alone: the reason code, the
minimum it was held to, and (for analysts) the unit whose figures would have given the
group away. It never holds a number about the group.
"""

from __future__ import annotations

from typing import Literal

from spiegel.privacy.reasons import reason_text
from spiegel.results.base import Model

HiddenCode = Literal["too_few", "complementary", "consistency"]
Kind = Literal["scores", "comments", "rater360"]


class Hidden(Model):
    """Why a figure or a whole cell is not shown."""

    code: HiddenCode
    minimum: int
    kind: Kind = "scores"
    #: The unit whose figures would give the small group away (complementary only). It may
    #: lie outside a viewer's scope, so pages for scoped viewers leave it out.
    place: str | None = None

    def text(self, lang: str, *, with_place: bool = False) -> str:
        """The reason in plain words, in ``lang`` (``nl`` or ``en``)."""
        place = self.place if with_place else None
        return reason_text(
            self.code, self.minimum, self.kind, place, "nl" if lang == "nl" else "en"
        )
