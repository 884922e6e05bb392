"""Accessibility checks with axe-core, injected into the page under test.

axe-core comes from npm (``tests/browser/package.json``, installed with ``npm ci`` into
``tests/browser/node_modules``); it is read from disk and evaluated in the page, so
nothing is fetched over the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = frozenset({"serious", "critical"})


class _Page(Protocol):
    url: str

    def evaluate(self, expression: str, arg: object = ...) -> object: ...


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on a page, with the elements that break it."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    def describe(self) -> str:
        lines = [f"[{self.impact}] {self.rule}: {self.help} ({self.help_url})"]
        for target, summary in zip(self.targets, self.summaries, strict=True):
            first = " ".join(summary.split())[:300]
            lines.append(f"    at {target}: {first}")
        return "\n".join(lines)


def axe_available() -> bool:
    """Whether axe-core is installed (``npm ci`` in tests/browser)."""
    return AXE_JS.is_file()


def run_axe(page: _Page) -> list[Violation]:
    """All WCAG 2.1 A/AA violations axe finds on ``page`` as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    raw = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return JSON.stringify(result.violations);
        }""",
        WCAG_21_AA,
    )
    if not isinstance(raw, str):
        raise RuntimeError(f"axe.run gave {type(raw).__name__}, not a JSON string")
    found = []
    for v in json.loads(raw):
        nodes = v.get("nodes", [])
        found.append(
            Violation(
                rule=v["id"],
                impact=v.get("impact") or "unknown",
                help=v.get("help", ""),
                help_url=v.get("helpUrl", ""),
                targets=tuple(" ".join(map(str, n.get("target", []))) for n in nodes),
                summaries=tuple(n.get("failureSummary") or n.get("html", "") for n in nodes),
            )
        )
    return found


def assert_accessible(page: _Page, name: str) -> list[Violation]:
    """Fail when axe finds a serious or critical WCAG 2.1 AA violation on ``page``.

    Returns the minor and moderate ones (they are reported, not fatal).
    """
    violations = run_axe(page)
    blocking = [v for v in violations if v.impact in BLOCKING]
    if blocking:
        details = "\n".join(v.describe() for v in blocking)
        raise AssertionError(
            f"axe: {len(blocking)} serious/critical WCAG 2.1 AA violation(s) on {name} "
            f"({page.url}):\n{details}"
        )
    return [v for v in violations if v.impact not in BLOCKING]
