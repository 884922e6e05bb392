"""Read an instrument file: YAML with line numbers, then the shape check.

The result is a :class:`Document`: the raw data, the line of every key, the parsed
:class:`~spiegel.instruments.document.InstrumentDoc` when the shape is right, and every
problem found so far. Nothing here looks at other instruments.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from spiegel.instruments.document import KNOWN_KEYS, InstrumentDoc
from spiegel.instruments.problems import Problem

__all__ = ["Document", "parse_document", "read_document"]


@dataclass
class Document:
    """One instrument file as read: data, key lines, parsed model and problems."""

    file: str
    data: object
    lines: dict[str, int] = field(default_factory=dict)
    model: InstrumentDoc | None = None
    problems: list[Problem] = field(default_factory=list)
    path: Path | None = None
    builtin: bool = False

    @property
    def name(self) -> str | None:
        """The instrument's ``name`` if the file gives one as text."""
        if self.model is not None:
            return self.model.name
        if isinstance(self.data, dict) and isinstance(self.data.get("name"), str):
            return str(self.data["name"])
        return None

    def line_of(self, location: str) -> int | None:
        """The line of ``location``, or of its nearest ancestor present in the file."""
        loc = location
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = _parent(loc)
        return self.lines.get("")

    def problem(self, location: str, message: str) -> Problem:
        """A :class:`Problem` in this file at ``location`` (line filled in)."""
        return Problem(self.file, location, message, self.line_of(location))


def _parent(location: str) -> str:
    cut = max(location.rfind("."), location.rfind("["))
    return location[:cut] if cut > 0 else ""


def _child(location: str, key: object) -> str:
    return f"{location}.{key}" if location else str(key)


def _walk(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    location: str,
    lines: dict[str, int],
    duplicates: list[tuple[str, int, int]],
) -> object:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[object, object] = {}
        first_line: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                key = str(key)
            child = _child(location, key)
            line = key_node.start_mark.line + 1
            if key in out:
                duplicates.append((child, line, first_line[key]))
            else:
                first_line[key] = line
            lines[child] = line
            out[key] = _walk(loader, value_node, child, lines, duplicates)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq: list[object] = []
        for i, value_node in enumerate(node.value):
            child = f"{location}[{i}]"
            lines[child] = value_node.start_mark.line + 1
            seq.append(_walk(loader, value_node, child, lines, duplicates))
        return seq
    return loader.construct_object(node, deep=True)


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> tuple[object, dict[str, int], list[tuple[str, int, int]]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        duplicates: list[tuple[str, int, int]] = []
        if node is None:
            return None, lines, duplicates
        lines[""] = node.start_mark.line + 1
        data = _walk(loader, node, "", lines, duplicates)
        return data, lines, duplicates
    finally:
        loader.dispose()


def location_of(loc: tuple[int | str, ...], data: object) -> str:
    """Turn a pydantic error ``loc`` into a document path such as ``scales[0].title.en``.

    Walks ``data`` alongside so list indexes print as ``[i]`` and union tags that
    pydantic inserts (``agreement``, ``int``, ...) are left out.
    """
    out = ""
    cur: object = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out, cur = f"{out}[{part}]", cur[part]
        elif isinstance(cur, dict) and part in cur:
            out, cur = _child(out, part), cur[part]
        elif isinstance(cur, dict) and isinstance(part, str) and last:
            out = _child(out, part)  # a missing key
        # otherwise a union tag or validator marker: not part of the document
    return out


def points_message(count: int) -> str:
    """The message for an agreement format with the wrong number of points."""
    return f"an agreement format needs 2 to 11 points; this one has {count}"


def _suggest(word: str) -> str:
    close = difflib.get_close_matches(word, sorted(KNOWN_KEYS), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    key = err["loc"][-1] if err["loc"] else ""
    if kind == "extra_forbidden":
        if key in KNOWN_KEYS:
            return f"key '{key}' is not allowed here"
        return f"unknown key '{key}'{_suggest(str(key))}"
    if kind == "missing":
        if key == "nl":
            return "missing Dutch text ('nl')"
        if key == "en":
            return "missing English text ('en')"
        return f"missing key '{key}'"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in {"too_short", "too_long"} and key == "points":
        return points_message(int(ctx.get("actual_length", 0)))
    if kind == "too_short":
        count = ctx.get("actual_length")
        noun = "entry" if count == 1 else "entries"
        return f"has {count} {noun}; at least {ctx.get('min_length')} needed"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} entries; at most {ctx.get('max_length')} allowed"
    if kind == "union_tag_invalid":
        return f"unknown kind '{ctx.get('tag')}'; use one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "missing key 'kind' (agreement, likelihood, grade, choice or text)"
    if kind == "literal_error":
        return f"{err.get('input')!r} is not allowed; use one of: {ctx.get('expected')}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, got {err.get('input')!r}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number, got {err.get('input')!r}"
    if kind == "string_type":
        value = err.get("input")
        if isinstance(value, bool):
            return (
                f"must be text, got {str(value).lower()} (YAML reads yes/no/on/off as "
                f"true/false: put the text in quotes)"
            )
        return f"must be text, got {value!r}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "must be a mapping of keys to values"
    if kind == "list_type":
        return "must be a list"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return str(err["msg"]).lower()
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def shape_problems(exc: ValidationError, doc: Document) -> list[Problem]:
    """Translate pydantic errors into :class:`Problem` s (deduplicated, in file order)."""
    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for err in exc.errors():
        location = location_of(err["loc"], doc.data)
        message = _message(err)
        if (location, message) not in seen:
            seen.add((location, message))
            out.append(doc.problem(location, message))
    return sorted(out, key=lambda p: (p.line or 0, p.location))


def parse_document(
    text: str, file: str, path: Path | None = None, builtin: bool = False
) -> Document:
    """Parse instrument YAML ``text`` (reported as ``file``) into a :class:`Document`."""
    doc = Document(file=file, data=None, path=path, builtin=builtin)
    try:
        doc.data, doc.lines, duplicates = _load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "cannot be read"
        line = mark.line + 1 if mark is not None else None
        doc.problems.append(Problem(file, "", f"not valid YAML: {what}", line))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(file, "", f"not valid YAML: {exc}"))
        return doc
    for location, line, first in duplicates:
        doc.problems.append(
            Problem(
                file,
                location,
                f"key appears twice (lines {first} and {line}); YAML would keep only the last",
                line,
            )
        )
    if doc.data is None:
        doc.problems.append(Problem(file, "", "the file is empty", 1))
        return doc
    if not isinstance(doc.data, dict):
        doc.problems.append(
            doc.problem("", "the document must be a mapping with keys such as name, version")
        )
        return doc
    try:
        doc.model = InstrumentDoc.model_validate(doc.data, strict=True)
    except ValidationError as exc:
        doc.problems.extend(shape_problems(exc, doc))
    return doc


def read_document(path: Path, builtin: bool = False) -> Document:
    """Read and parse the instrument file at ``path``."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Document(
            file=file, data=None, path=path, problems=[Problem(file, "", "no such file")]
        )
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        return Document(file=file, data=None, path=path, problems=[Problem(file, "", msg)])
    except OSError as exc:
        msg = f"cannot be read: {exc.strerror}"
        return Document(file=file, data=None, path=path, problems=[Problem(file, "", msg)])
    return parse_document(text, file, path=path, builtin=builtin)
