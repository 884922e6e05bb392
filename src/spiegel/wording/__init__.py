"""Every generated sentence, chosen from the sign, size and interval of its estimate.

One place decides what a page or the report may say about a figure: positive or negative
only when the whole confidence interval lies on that side of zero, "we cannot tell yet"
when it spans zero; size words from standardised effects; verdicts (mirror, a unit
against its region and the organisation) from the interval, never from a fixed gap. In
Dutch and English. Property tests (``tests/wording``) flip signs and interval widths and
check that each sentence agrees with its figure.
"""

from spiegel.wording.ambition import NOT_SET, ambition_notes, has_room
from spiegel.wording.estimate import (
    CANNOT_TELL,
    Direction,
    Estimate,
    Lang,
    Sentence,
    Size,
    as_lang,
    interval,
    number,
    size,
)
from spiegel.wording.linkage import correlation, lagged, multilevel, role_group, slope
from spiegel.wording.topics import (
    Ranked,
    Verdict,
    difference,
    difference_label,
    drivers,
    mirror_gap,
    mirror_summary,
    mirror_verdict,
    risk_count,
    risk_outcome,
    verdict_of,
    verdict_text,
)

__all__ = [
    "CANNOT_TELL",
    "NOT_SET",
    "Direction",
    "Estimate",
    "Lang",
    "Ranked",
    "Sentence",
    "Size",
    "Verdict",
    "ambition_notes",
    "as_lang",
    "correlation",
    "difference",
    "difference_label",
    "drivers",
    "has_room",
    "interval",
    "lagged",
    "mirror_gap",
    "mirror_summary",
    "mirror_verdict",
    "multilevel",
    "number",
    "risk_count",
    "risk_outcome",
    "role_group",
    "size",
    "slope",
    "verdict_of",
    "verdict_text",
]
