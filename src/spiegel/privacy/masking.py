"""Personal details in open comments, masked before a comment is shown or counted.

What is masked: e-mail addresses, web addresses, phone numbers (Dutch and international
forms; any run of 9 or more digits with spaces, dots or dashes), and a name after a
title or form of address (``juf Anna``, ``meneer De Vries``, ``Mrs Smith``). The masks
are the same in Dutch and English so a stored comment reads well in either.

Equal comments are counted, not repeated: :func:`count_equal` merges texts that differ
only in case, white space or closing punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["EMAIL", "LINK", "NAME", "PHONE", "count_equal", "mask_personal"]

EMAIL = "[e-mail]"
LINK = "[link]"
PHONE = "[tel.]"
NAME = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# +31 6 12345678, 06-12345678, 020 123 4567, (020) 123-4567, 0031 20 1234567
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\(?\d[\d\s().-]{6,}\d(?![\w])")
_TITLES = (
    "juf",
    "juffrouw",
    "meester",
    "meneer",
    "mevrouw",
    "mevr",
    "mw",
    "dhr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
)
# a title, then one to three capitalised words (with Dutch name particles in between)
_NAME = re.compile(
    r"\b(?P<title>(?i:" + "|".join(_TITLES) + r")\.?)\s+"
    r"(?:(?:van|de|der|den|ter|ten|het|'t)\s+)*"
    r"[A-ZÀ-ÖØ-Þ][\w'-]*(?:\s+(?:(?:van|de|der|den|ter|ten)\s+)*[A-ZÀ-ÖØ-Þ][\w'-]*){0,2}",
    re.UNICODE,
)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def mask_personal(text: str) -> str:
    """``text`` with e-mail and web addresses, phone numbers and titled names masked.

    Examples
    --------
    >>> mask_personal("Bel juf Anna op 06-12345678 of mail anna@kdv.nl")
    'Bel juf […] op [tel.] of mail [e-mail]'
    """
    text = _EMAIL.sub(EMAIL, text)
    text = _LINK.sub(LINK, text)
    text = _PHONE.sub(lambda m: PHONE if _digits(m.group()) >= 9 else m.group(), text)
    return _NAME.sub(lambda m: f"{m.group('title')} {NAME}", text)


def _key(text: str) -> str:
    """What two comments share when they count as the same."""
    return " ".join(text.split()).rstrip(" .!?…").casefold()


def count_equal(texts: Iterable[str]) -> list[tuple[str, int]]:
    """Equal texts once, with how often each was given, in the order of first appearance.

    Texts count as equal when they differ only in upper/lower case, white space or
    closing punctuation; the first one's spelling is kept.

    Examples
    --------
    >>> count_equal(["Fijne leidsters.", "fijne leidsters", "Te duur"])
    [('Fijne leidsters.', 2), ('Te duur', 1)]
    """
    first: dict[str, str] = {}
    n: dict[str, int] = {}
    for text in texts:
        key = _key(text)
        first.setdefault(key, text)
        n[key] = n.get(key, 0) + 1
    return [(first[k], n[k]) for k in first]
