"""Presentation code cannot reach around the privacy gate.

Renderers (reports, web pages, the JSON API) receive the stored, protected results
document; they must not import the statistics or the raw-response loaders, which is the
only way they could compute a figure about a group themselves.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "spiegel"
PRESENTATION = [
    *sorted((SRC / "reports").rglob("*.py")),
    *sorted((SRC / "services" / "dashboards").glob("*.py")),
    *(p for p in sorted((SRC / "web" / "routers").glob("*.py")) if p.name != "survey.py"),
    SRC / "services" / "reporting.py",
]
FORBIDDEN = (
    "spiegel.analysis",
    "spiegel.services.dataset",
    "spiegel.services.unit_tables",
    "spiegel.store.answers",
)
FORBIDDEN_NAMES = {"load_responses", "load_texts", "load_organisation"}


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    """Modules imported anywhere in ``path``, deferred ones (``lazy_module("...")``) too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, set()) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, {a.name for a in node.names}))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "lazy_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            out.append((str(node.args[0].value), set()))
    return out


def test_presentation_modules_exist() -> None:
    assert len(PRESENTATION) >= 4


def test_deferred_imports_are_seen() -> None:
    dashboards = SRC / "web" / "routers" / "dashboards.py"
    assert ("spiegel.reports.charts", set()) in _imports(dashboards)


def test_presentation_never_imports_statistics_or_raw_answers() -> None:
    offenders = []
    for path in PRESENTATION:
        for module, names in _imports(path):
            if module.startswith(FORBIDDEN) or names & FORBIDDEN_NAMES:
                offenders.append(f"{path.relative_to(SRC)} imports {module} {sorted(names)}")
    assert offenders == []


def test_unit_tables_are_built_only_through_the_gate() -> None:
    """The analysis builds unit tables only through ``protect_by_figure``, which hands
    the row table and each figure's own table to ``protect``."""
    figures = (SRC / "services" / "figures.py").read_text(encoding="utf-8")
    assert "protect(table, settings, hide_first=hide_first)" in figures
    assert "protect(own, settings, also_hide=" in figures
    steps = "".join(
        p.read_text(encoding="utf-8") for p in sorted((SRC / "services" / "analyze").glob("*.py"))
    )
    assert "protect_by_figure(" in steps
    for raw in ("group_table(", "protect(", "GroupTable("):
        assert raw not in steps.replace("protect_by_figure(", "")
