"""The instrument library: the built-in files plus any directories of the user's own.

A user's file is read exactly like a built-in one; the only difference is where it
lives. Names are unique across the library: a user file cannot take a built-in's name
(build on it with ``extends:`` instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spiegel.instruments.checks import check_document, check_mirror_targets
from spiegel.instruments.model import Instrument, ResponseFormat
from spiegel.instruments.problems import InstrumentError, Problem
from spiegel.instruments.resolve import build_instrument
from spiegel.instruments.source import Document, read_document

__all__ = [
    "BUILTIN_DIR",
    "InstrumentEntry",
    "Library",
    "get_instrument",
    "list_instruments",
]

BUILTIN_DIR = Path(__file__).parent / "builtin"
"""Where the built-in instrument files are."""

_SUFFIXES = (".yaml", ".yml")
_Result = tuple[Instrument | None, list[Problem]]


@dataclass(frozen=True)
class InstrumentEntry:
    """One file in the library: its instrument when valid, else its problems.

    ``name`` falls back to the file name (without extension) when the file gives none.
    """

    name: str
    file: str
    builtin: bool
    instrument: Instrument | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the file loaded without problems."""
        return self.instrument is not None and not self.problems


class Library:
    """Built-in instruments, plus every ``*.yaml``/``*.yml`` in ``extra_dirs`` and ``files``.

    Parameters
    ----------
    extra_dirs:
        Directories with the user's own instrument files (not searched recursively).
    files:
        Single instrument files to add (read before ``extra_dirs``).

    Raises
    ------
    InstrumentError
        When a directory in ``extra_dirs`` does not exist.
    """

    def __init__(
        self, extra_dirs: Iterable[str | Path] = (), files: Iterable[str | Path] = ()
    ) -> None:
        self._docs: list[Document] = []
        self._paths: dict[Path, Document] = {}
        self._by_name: dict[str, Document] = {}
        self._clashes: dict[int, list[Problem]] = {}
        self._structural: dict[int, _Result] = {}
        self._full: dict[int, _Result] = {}
        self._item_formats: dict[int, dict[str, ResponseFormat]] = {}
        self._names: dict[int, str] = {}
        for path in sorted(BUILTIN_DIR.iterdir()):
            if path.suffix in _SUFFIXES:
                self._add(path, builtin=True)
        for file in files:
            self._add(Path(file), builtin=False)
        dirs = [Path(d) for d in extra_dirs]
        missing = [d for d in dirs if not d.is_dir()]
        if missing:
            raise InstrumentError(Problem(str(d), "", "no such directory") for d in missing)
        for directory in dirs:
            for path in sorted(directory.iterdir()):
                if path.suffix in _SUFFIXES and path.is_file():
                    self._add(path, builtin=False)

    def _add(self, path: Path, builtin: bool) -> Document:
        key = path.resolve()
        if key in self._paths:
            return self._paths[key]
        doc = read_document(path, builtin=builtin)
        self._paths[key] = doc
        self._names[id(doc)] = doc.name or path.stem
        self._docs.append(doc)
        name = doc.name
        if name is not None:
            other = self._by_name.get(name)
            if other is None:
                self._by_name[name] = doc
            else:
                where = (
                    "a built-in instrument" if other.builtin else f"the instrument in {other.file}"
                )
                self._clashes[id(doc)] = [
                    doc.problem(
                        "name",
                        f"'{name}' is already the name of {where}; choose another name "
                        f"(to build on it, use 'extends: {name}')",
                    )
                ]
        return doc

    # -- public ---------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every instrument name in the library, sorted."""
        return sorted(self._by_name)

    def get(self, name: str) -> Instrument:
        """The instrument called ``name``; :class:`InstrumentError` when missing or invalid."""
        doc = self._by_name.get(name)
        if doc is None:
            raise InstrumentError([Problem("(library)", "", self._unknown(name))])
        inst, problems = self._check(doc)
        if inst is None:
            raise InstrumentError(problems)
        return inst

    def check_file(self, path: str | Path) -> _Result:
        """Load the file at ``path`` (adding it to the library): instrument and problems."""
        return self._check(self._add(Path(path), builtin=False))

    def entries(self) -> list[InstrumentEntry]:
        """Every file in the library with its instrument or problems, sorted by name."""
        out = []
        for doc in self._docs:
            inst, problems = self._check(doc)
            name = doc.name or (doc.path.stem if doc.path is not None else doc.file)
            out.append(InstrumentEntry(name, doc.file, doc.builtin, inst, tuple(problems)))
        return sorted(out, key=lambda e: (e.name, not e.builtin, e.file))

    # -- resolution -----------------------------------------------------------------

    def _unknown(self, name: str) -> str:
        return f"unknown instrument '{name}'; known instruments: {', '.join(self.names())}"

    def _dependency(self, name: str, stack: tuple[int, ...]) -> tuple[Instrument | None, str]:
        doc = self._by_name.get(name)
        if doc is None:
            return None, self._unknown(name)
        if id(doc) in stack:
            names = [self._names[k] for k in stack[stack.index(id(doc)) :]] + [name]
            return None, f"'{name}' extends or includes itself: {' → '.join(names)}"
        inst, problems = self._resolve(doc, stack)
        if inst is None:
            first = problems[0] if problems else None
            more = len(problems) - 1
            detail = f"{first.location or '(document)'}: {first.message}" if first else "?"
            if more:
                detail += f" (and {more} more problem{'s' if more != 1 else ''})"
            return None, f"instrument '{name}' ({doc.file}) cannot be used: {detail}"
        return inst, ""

    def _resolve(self, doc: Document, stack: tuple[int, ...] = ()) -> _Result:
        """Load ``doc`` with its parent and includes; mirror partners are not checked."""
        key = id(doc)
        if key in self._structural:
            return self._structural[key]
        problems = [*doc.problems, *self._clashes.get(key, [])]
        data = doc.data if isinstance(doc.data, dict) else {}
        inner = (*stack, key)
        parent = None
        extends = data.get("extends")
        if isinstance(extends, str):
            parent, why = self._dependency(extends, inner)
            if parent is None:
                problems.append(doc.problem("extends", why))
        includes: list[tuple[str, Instrument]] = []
        include = data.get("include")
        include = include if isinstance(include, list) else []
        for j, name in enumerate(include):
            if isinstance(name, str) and name not in include[:j]:  # twice: see checks
                inst, why = self._dependency(name, inner)
                if inst is None:
                    problems.append(doc.problem(f"include[{j}]", why))
                else:
                    includes.append((f"include[{j}]", inst))
        checked = check_document(doc, parent, includes)
        problems.extend(checked.problems)
        self._item_formats[key] = checked.item_formats
        result: Instrument | None = None
        if not problems and doc.model is not None:
            try:
                result = build_instrument(
                    doc.model, parent, [inst for _, inst in includes], source=doc.file
                )
            except ValueError as exc:
                problems.append(doc.problem("", str(exc)))
        self._structural[key] = (result, problems)
        return result, problems

    def _check(self, doc: Document, stack: tuple[int, ...] = ()) -> _Result:
        """:meth:`_resolve` plus the other side of mirror pairs, here and in dependencies."""
        key = id(doc)
        if key in self._full:
            return self._full[key]
        inst, problems = self._resolve(doc)
        problems = list(problems)
        data = doc.data if isinstance(doc.data, dict) else {}
        if inst is not None:
            for location, name in _dependencies(data):
                dep = self._by_name.get(name)
                if dep is None or id(dep) in stack:
                    continue
                _, dep_problems = self._check(dep, (*stack, key))
                if dep_problems:
                    problems.append(
                        doc.problem(
                            location,
                            f"instrument '{name}' ({dep.file}) has {len(dep_problems)} "
                            f"problem(s) in its mirror pairs",
                        )
                    )
        audience = inst.audience if inst is not None else _raw_audience(data)
        mirror = data.get("mirror")
        if audience in ("employee", "customer") and isinstance(mirror, dict):
            there = "customer" if audience == "employee" else "employee"
            other_name = mirror.get(f"{there}_instrument")
            if isinstance(other_name, str):
                other, why = self._dependency(other_name, ())
                formats = self._item_formats.get(key, {})
                problems.extend(check_mirror_targets(doc, formats, audience, other, why))
        ordered = sorted(_unique(problems), key=lambda p: (p.file, p.line or 0, p.location))
        result = (inst if not problems else None, ordered)
        self._full[key] = result
        return result


def _raw_audience(data: dict[object, object]) -> str | None:
    value = data.get("audience")
    if value == 360 and not isinstance(value, bool):
        return "360"
    return value if isinstance(value, str) else None


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _dependencies(data: dict[object, object]) -> Sequence[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if isinstance(data.get("extends"), str):
        out.append(("extends", str(data["extends"])))
    include = data.get("include")
    for j, name in enumerate(include if isinstance(include, list) else []):
        if isinstance(name, str):
            out.append((f"include[{j}]", name))
    return out


def list_instruments(extra_dirs: Iterable[str | Path] = ()) -> list[InstrumentEntry]:
    """Every instrument in the library (built-ins plus ``extra_dirs``), sorted by name.

    A file with problems is listed too, with ``instrument=None`` and its problems, so
    one broken file does not hide the others.
    """
    return Library(extra_dirs).entries()


def get_instrument(name: str, extra_dirs: Iterable[str | Path] = ()) -> Instrument:
    """The instrument called ``name`` from the built-ins or ``extra_dirs``.

    Raises
    ------
    InstrumentError
        When no instrument has that name or its file (or one it builds on) has problems.
    """
    return Library(extra_dirs).get(name)
