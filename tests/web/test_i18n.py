"""Dutch and English: every text of the pages has a Dutch translation, and the browser's
language preference is read correctly."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from spiegel.web import i18n
from spiegel.web.i18n import choose_language, load_translations, negotiate

WEB = Path(i18n.__file__).parent


def _extracted() -> set[str | tuple[str, ...]]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        WEB, method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalogue(lang: str) -> dict[str | tuple[str, ...], object]:
    with (WEB / "locale" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        # abort_invalid: an entry without its msgstr (say after a merge) is an error, not
        # a warning printed at every start while the text silently goes untranslated.
        catalog = read_po(f, abort_invalid=True)
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id}


def test_every_text_has_a_dutch_translation() -> None:
    extracted = _extracted()
    assert len(extracted) > 40
    nl = _catalogue("nl")
    missing = sorted(map(str, extracted - set(nl)))
    assert not missing, f"not in nl/messages.po (see spiegel.web.i18n): {missing}"
    untranslated = sorted(
        str(k) for k, v in nl.items() if not v or (isinstance(v, tuple) and not all(v))
    )
    assert not untranslated, untranslated
    stale = sorted(map(str, set(nl) - extracted))
    assert not stale, f"no longer used, remove from the catalogues: {stale}"
    assert set(_catalogue("en")) == set(nl)


def test_catalogues_compile_and_keep_placeholders() -> None:
    nl = load_translations("nl")
    assert nl.gettext("Next") == "Volgende"
    assert nl.ngettext("%(num)d page", "%(num)d pages", 3) % {"num": 3} == "3 pagina's"
    assert load_translations("en").gettext("Next") == "Next"
    for msgid, text in _catalogue("nl").items():
        if isinstance(msgid, str) and isinstance(text, str):
            for mark in ("{min}", "{max}", "{length}", "{opens}", "%(max)s", "%(number)s"):
                assert (mark in msgid) == (mark in text), (msgid, text)
    with pytest.raises(ValueError, match="unknown language"):
        load_translations("de")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", "nl"),
        ("en-GB,en;q=0.9,nl;q=0.8", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("fr, nl-BE;q=0.4", "nl"),
        ("en;q=0.2, nl;q=0.8", "nl"),
        ("en;q=0, nl;q=0.1", "nl"),
        ("*", None),
        ("de", None),
        ("", None),
        (None, None),
        ("en;q=abc", None),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert negotiate(header) == expected


def test_choice_of_language() -> None:
    assert choose_language("en", "nl", "nl") == "en"
    assert choose_language(None, "en", "nl") == "en"
    assert choose_language("xx", None, "en-US") == "en"
    assert choose_language(None, None, None) == "nl"
