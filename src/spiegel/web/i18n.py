"""Dutch and English for the web pages: gettext catalogues (Babel) and language choice.

The catalogues are the ``.po`` files under ``locale/<lang>/LC_MESSAGES/messages.po``;
they are compiled in memory when the application starts, so a fresh clone needs no build
step. English is the source language (msgids); ``en`` is an empty catalogue.

To refresh after changing texts::

    uv run pybabel extract -F src/spiegel/web/babel.cfg -k N_ -o /tmp/messages.pot src/spiegel/web
    uv run pybabel update -i /tmp/messages.pot -d src/spiegel/web/locale --no-fuzzy-matching

then translate the new entries in ``nl``. A test fails when a text has no Dutch.

The page language is, in order: ``?lang=`` in the address, the ``spiegel_lang`` cookie
(set when someone switches), the browser's ``Accept-Language``, Dutch.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LANGUAGE_NAMES",
    "N_",
    "choose_language",
    "load_translations",
    "negotiate",
]

LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LANGUAGE_NAMES: Mapping[str, str] = {"nl": "Nederlands", "en": "English"}
LANGUAGE_COOKIE = "spiegel_lang"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (it is translated when
    shown, in the page's language)."""
    return message


def load_translations(lang: str, locale_dir: Path = LOCALE_DIR) -> Translations:
    """The compiled catalogue of ``lang`` (fuzzy entries are left out, as by msgfmt)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    path = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str | None:
    """The best of :data:`LANGUAGES` for an ``Accept-Language`` header, or ``None``.

    Tags are weighed by their ``q`` value (default 1); ``nl-BE`` counts as ``nl``.
    """
    if not accept_language:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept_language.split(",")):
        fields = part.strip().split(";")
        tag = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGUAGES and q > 0:
            candidate = (q, -position, primary)
            if best is None or candidate > best:
                best = candidate
    return best[2] if best else None


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language from the address, the cookie and the browser, in that order."""
    for chosen in (query, cookie):
        if chosen is not None and chosen in LANGUAGES:
            return chosen
    return negotiate(accept_language) or DEFAULT_LANGUAGE
