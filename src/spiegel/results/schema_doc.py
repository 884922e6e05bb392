"""``docs/results-schema.md``, written from the results classes.

    uv run python -m spiegel.results.schema_doc > docs/results-schema.md

A test fails when the file and the classes disagree.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing

from pydantic import BaseModel

from spiegel.results.base import Model
from spiegel.results.document import SCHEMA, Results

INTRO = f"""# The results document (`spiegel analyze --json FILE`)

`spiegel analyze` stores one JSON document per run (the dashboards, reports and the API read
it); `--json FILE` writes the same document to a file. Its schema is `{SCHEMA}`. This page
is generated from the classes in `spiegel.results` (`uv run python -m
spiegel.results.schema_doc > docs/results-schema.md`); a test checks that it is current.

Everything in it has passed the privacy gate. Figures about units are the gate's visible
cells: a hidden cell has a `hidden` reason (`code`: `too_few`, `complementary` or
`consistency`; the `minimum`; for analysts the `place` whose figures would give a small
group away) and **no numbers**, not even its count. The minimum holds per figure: in a
shown cell, a figure resting on fewer people (some skipped the question) is left out of
`values` and named in `hidden_figures` with its reason. Organisation-wide statistics are
shown only when enough people are behind them; models over locations use only shown
location figures. See [anonymity](anonymity.md) and [methods](methods.md).

Numbers are plain JSON numbers; a value that cannot be computed is `null`. Results stored
under another schema version are not read: run `spiegel analyze` again.
"""


def _type(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type(a) for a in args)
    if origin is typing.Literal:
        return " or ".join(f"`{a!r}`".replace("'", '"') for a in args)
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"map of {_type(args[0])} to {_type(args[1])}"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names: dict[object, str] = {int: "integer", float: "number", str: "string", bool: "boolean"}
    return names.get(annotation) or str(getattr(annotation, "__name__", annotation))


def _models(root: type[Model]) -> list[type[Model]]:
    """``root`` and every results class it holds, in the order they first appear."""
    out: list[type[Model]] = []

    def visit(annotation: object) -> None:
        if inspect.isclass(annotation) and issubclass(annotation, Model):
            if annotation not in out:
                out.append(annotation)
                for field in annotation.model_fields.values():
                    visit(field.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(root)
    return out


def render() -> str:
    """The page, as Markdown."""
    parts = [INTRO]
    for model in _models(Results):
        doc = inspect.getdoc(model) or ""
        parts.append(f"## {model.__name__}\n")
        if doc and not doc.startswith(("Results classes", "Model(")):
            parts.append(doc.replace("``", "`") + "\n")
        parts.append("| field | type | what |\n|---|---|---|")
        for name, field in model.model_fields.items():
            key = field.alias or name
            what = (field.description or "").replace("|", "\\|")
            parts.append(f"| `{key}` | {_type(field.annotation)} | {what} |")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
