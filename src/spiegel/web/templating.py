"""Jinja2 for the pages: one environment per language, with its gettext catalogue.

One environment per language (instead of switching translations per request) keeps
rendering thread-safe and the compiled templates cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from spiegel.results.glossary import short as glossary_short
from spiegel.results.labels import Labels, p_value
from spiegel.web.i18n import LANGUAGES, load_translations
from spiegel.wording.estimate import number

__all__ = ["STATIC_DIR", "TEMPLATE_DIR", "Renderer"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def _fingerprints(static_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(static_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:10]
        for p in sorted(static_dir.rglob("*"))
        if p.is_file()
    }


class Renderer:
    """Renders templates in a language; knows the versioned address of static files."""

    def __init__(self, template_dir: Path = TEMPLATE_DIR, static_dir: Path = STATIC_DIR) -> None:
        self.translations: dict[str, Translations] = {
            lang: load_translations(lang) for lang in LANGUAGES
        }
        self._versions = _fingerprints(static_dir)
        self._environments = {lang: self._environment(template_dir, lang) for lang in LANGUAGES}

    def _environment(self, template_dir: Path, lang: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(template_dir),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(self.translations[lang], newstyle=True)  # type: ignore[attr-defined]
        env.globals["static"] = self.static_url
        # Titles of codes that are not in an instrument (role groups, unit kinds, figures),
        # a term's plain explanation for its tooltip, and p-values as "p < 0.001".
        env.globals["code_title"] = Labels(None, lang)
        env.globals["term_tip"] = lambda key: glossary_short(key, lang)
        env.filters["pvalue"] = lambda p: p_value(p, prefix=False)
        # An interval's bound with its sign kept (never "0.00" for a bound off zero), so
        # a table's interval agrees with its verdict.
        env.filters["bound"] = number
        return env

    def static_url(self, path: str) -> str:
        """``/static/PATH?v=HASH``: the hash changes with the file, so it can be cached."""
        version = self._versions.get(path)
        if version is None:
            raise ValueError(f"no static file {path!r}")
        return f"/static/{path}?v={version}"

    def gettext(self, lang: str, message: str) -> str:
        """``message`` translated into ``lang``."""
        return self.translations[lang].gettext(message)

    def render(self, template: str, context: Mapping[str, object], lang: str) -> str:
        """The page ``template`` in ``lang``."""
        return self._environments[lang].get_template(template).render(context)
