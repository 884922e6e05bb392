"""Checks a person would make on any page of the results, run in the browser on the page
as drawn:

* :func:`raw_codes`: no code from the instruments or the data (``mot_pick_up``,
  ``asp_communication``, ``overall_grade``, ``senior_management``, any snake_case
  identifier) in the visible text, chart labels included;
* :func:`too_wide`: no element wider than the window, unless it sits inside a box that
  scrolls sideways (``overflow-x: auto``/``scroll``) — on a phone a table may scroll
  inside its box, the page itself must not;
* :func:`untranslated`: no English left on a Dutch page: a text of the English
  catalogue shown as is, or an English word from :data:`ENGLISH_WORDS`.

Each returns a list of findings (empty: the page passes), short enough for an assertion
message.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Page

from spiegel.instruments import get_instrument
from spiegel.store.enums import RoleGroup

__all__ = [
    "ENGLISH_WORDS",
    "instrument_codes",
    "raw_codes",
    "too_wide",
    "untranslated",
    "visible_text",
]

LOCALE = Path(__file__).resolve().parents[2] / "src" / "spiegel" / "web" / "locale"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# English words that are not also Dutch words: any of them on a Dutch page is a text that
# escaped translation (column headings, labels from the data, chart axes).
ENGLISH_WORDS = frozenset(
    {
        "the",
        "and",
        "with",
        "without",
        "which",
        "where",
        "when",
        "this",
        "these",
        "than",
        "higher",
        "lower",
        "more",
        "less",
        "headcount",
        "customer",
        "customers",
        "employee",
        "employees",
        "engagement",
        "workload",
        "grade",
        "overview",
        "results",
        "mirror",
        "risk",
        "ambition",
        "drivers",
        "linkage",
        "wave",
        "unit",
        "units",
        "location",
        "locations",
        "region",
        "respondents",
        "hidden",
        "shown",
        "expected",
        "strength",
        "aligned",
        "reachable",
        "now",
        "log",
        "out",
    }
)

_TEXT_JS = """() => {
  const parts = [document.body.innerText];
  // chart labels: Vega draws them as SVG text (or on a canvas, with an aria-label)
  for (const el of document.querySelectorAll('svg text')) parts.push(el.textContent);
  for (const el of document.querySelectorAll('[aria-label], [title], img[alt]')) {
    for (const name of ['aria-label', 'title', 'alt']) {
      const v = el.getAttribute(name);
      if (v) parts.push(v);
    }
  }
  return parts.join('\\n');
}"""

_WIDE_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) {
        const r = p.getBoundingClientRect();
        if (r.right <= width + 1 && r.left >= -1) return true;
      }
    }
    return false;
  };
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (el.classList.length) d += '.' + Array.from(el.classList).join('.');
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ');
    return d + (text ? ' "' + text.slice(0, 40) + '"' : '');
  };
  const found = [];
  const wide = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || s.position === 'fixed') continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden (skip link, sr-only)
    if (r.right <= width + 1 && r.left >= -1) continue;
    if (scrolls(el)) continue;
    wide.add(el);
    if (el.parentElement && wide.has(el.parentElement)) continue;  // its parent is named
    found.push(describe(el) + ' (' + Math.round(r.left) + '..' + Math.round(r.right) +
               ' px of ' + width + ')');
  }
  if (document.documentElement.scrollWidth > width + 1) {
    found.unshift('the page scrolls sideways: ' + document.documentElement.scrollWidth +
                  ' px wide in a window of ' + width);
  }
  return found;
}"""


def visible_text(page: Page) -> str:
    """What a person reads on the page: its text, chart labels, tooltips and labels."""
    text: str = page.evaluate(_TEXT_JS)
    return text


@functools.cache
def instrument_codes() -> frozenset[str]:
    """Every code of the built-in instruments (scales, items) and of the data (role
    groups, outcomes) that is no ordinary word."""
    codes: set[str] = {g.value for g in RoleGroup} | {"overall_grade", "headcount_fte"}
    for name in ("employee", "customer"):
        instrument = get_instrument(name)
        for scale in instrument.scales:
            codes.add(scale.name)
            codes.update(scale.item_ids)
        codes.update(item.id for item in instrument.extra_items)
    return frozenset(c for c in codes if "_" in c)


def _where(text: str, start: int, end: int) -> str:
    """The words around ``text[start:end]``, on one line."""
    around = " ".join(text[max(0, start - 30) : end + 30].split())
    return f"{text[start:end]!r} in '…{around}…'"


def raw_codes(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The codes in ``text`` (instrument codes and other snake_case identifiers), each
    once, with the words around its first place."""
    found: dict[str, str] = {}
    for m in SNAKE.finditer(text):
        if m.group(0) not in allowed:
            found.setdefault(m.group(0), _where(text, m.start(), m.end()))
    for code in instrument_codes() - allowed - set(found):
        m = re.search(rf"\b{re.escape(code)}\b", text)
        if m:
            found[code] = _where(text, m.start(), m.end())
    return [found[k] for k in sorted(found)]


def too_wide(page: Page) -> list[str]:
    """The elements that reach beyond the window and do not sit in a sideways-scrolling
    box (outermost only), and whether the page itself scrolls sideways."""
    found: list[str] = page.evaluate(_WIDE_JS)
    return found


@functools.cache
def _english_texts() -> tuple[str, ...]:
    """The English catalogue's texts of three words or more that Dutch says otherwise
    (placeholders cut out: the fixed part before the first one)."""
    with (LOCALE / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        dutch = {m.id: m.string for m in read_po(f) if isinstance(m.id, str) and m.id}
    texts = set()
    for msgid, msgstr in dutch.items():
        fixed = re.split(r"%\(\w+\)[sd]|\{\w*\}", msgid)[0].strip()
        if len(fixed.split()) >= 3 and fixed != msgstr and fixed not in str(msgstr):
            texts.add(fixed)
    return tuple(sorted(texts))


def untranslated(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """English in the text of a Dutch page: catalogue texts shown untranslated, and
    words of :data:`ENGLISH_WORDS` (``allowed``: names that happen to be English)."""
    found = {f"text {t!r}": f"text {t!r}" for t in _english_texts() if t in text}
    for m in re.finditer(r"[A-Za-z]+", text):
        word = m.group(0)
        if word.lower() in ENGLISH_WORDS and word not in allowed:
            found.setdefault(word.lower(), _where(text, m.start(), m.end()))
    return [found[key] for key in sorted(found)]
