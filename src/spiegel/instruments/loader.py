"""Load or validate one instrument file.

The file may build on (``extends``/``include``) built-in instruments, instruments in
``extra_dirs`` and other instrument files in its own directory.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spiegel.instruments.library import Library
from spiegel.instruments.model import Instrument
from spiegel.instruments.problems import InstrumentError, Problem

__all__ = ["load_instrument", "validate_file"]


def _library(path: Path, extra_dirs: Iterable[str | Path]) -> Library:
    dirs = [Path(d) for d in extra_dirs]
    if path.parent.is_dir() and path.parent.resolve() not in {d.resolve() for d in dirs}:
        dirs.append(path.parent)
    return Library(extra_dirs=dirs, files=[path])


def validate_file(path: str | Path, extra_dirs: Iterable[str | Path] = ()) -> list[Problem]:
    """Every problem in the instrument file at ``path``; an empty list when it is valid.

    Checks the YAML, the shape of every part (unknown keys, missing ``nl``/``en``
    texts, point counts, ...), the whole document (duplicate ids, unknown formats,
    reverse keying on non-ordinal formats, ...) and references to other instruments
    (``extends``, ``include``, mirror pairs). Problems are in file order.
    """
    path = Path(path)
    try:
        library = _library(path, extra_dirs)
    except InstrumentError as exc:
        return list(exc.problems)
    _, problems = library.check_file(path)
    return sorted(problems, key=lambda p: (p.file != str(path), p.line or 0, p.location))


def load_instrument(path: str | Path, extra_dirs: Iterable[str | Path] = ()) -> Instrument:
    """Load the instrument file at ``path``.

    Raises
    ------
    InstrumentError
        Carrying every problem :func:`validate_file` reports.
    """
    path = Path(path)
    library = _library(path, extra_dirs)
    instrument, problems = library.check_file(path)
    if instrument is None or problems:
        raise InstrumentError(
            sorted(problems, key=lambda p: (p.file != str(path), p.line or 0, p.location))
        )
    return instrument
