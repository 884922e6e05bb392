"""What every import use case shares: reading the file with its mapping, the file's
identity (its content and how it was read), the batch it is written as, and the result."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from collections.abc import Mapping as MappingType
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spiegel.config import Settings
from spiegel.ingest.columns import with_detected
from spiegel.ingest.mapping import Mapping, load_mapping
from spiegel.ingest.problems import ImportErrors, Problem
from spiegel.ingest.readers import Limits, read_table
from spiegel.ingest.table import RawTable
from spiegel.ingest.values import UnitLookup
from spiegel.store.batches import find_batch
from spiegel.store.models import ImportBatch, Unit

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while long work runs."""


def noop(stage: str, done: int, total: int) -> None:
    """A :data:`Progress` that reports nothing."""
    return None


@dataclass(frozen=True)
class ReadOptions:
    """How to read the file: CSV encoding and delimiter, Excel sheet (all optional), and
    the most an Excel workbook may hold (:class:`~spiegel.ingest.readers.Limits`)."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_settings(cls, settings: Settings, **options: str | None) -> ReadOptions:
        """Options with the limits of ``settings`` (``SPIEGEL_XLSX_MAX_*``)."""
        limits = Limits(settings.xlsx_max_rows, settings.xlsx_max_unpacked_mb)
        return cls(
            encoding=options.get("encoding"),
            delimiter=options.get("delimiter"),
            sheet=options.get("sheet"),
            limits=limits,
        )


@dataclass(frozen=True)
class AlreadyImported:
    """The same file was imported before with the same mapping: nothing was written."""

    batch_id: int
    created_at: dt.datetime
    filename: str

    def __str__(self) -> str:
        when = self.created_at.strftime("%Y-%m-%d %H:%M")
        return (
            f"already imported (batch {self.batch_id}, {when}, as {self.filename}); nothing "
            "changed (with another mapping it would be a new import; `spiegel import undo "
            f"{self.batch_id}` takes this one out)"
        )


@dataclass
class ImportResult:
    """What an import did."""

    kind: str
    filename: str
    rows: int
    counts: dict[str, int] = field(default_factory=dict)
    batch_id: int | None = None
    already_imported: AlreadyImported | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.already_imported is not None:
            return f"{self.filename}: {self.already_imported}"
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"{self.filename}: {self.rows} rows read; {counts} (batch {self.batch_id})"


@dataclass
class ReadFile:
    """A file as read for an import: its cells, the mapping to apply (completed with what
    was detected), its identity and what was detected, in words."""

    table: RawTable
    mapping: Mapping
    identity: str
    notes: list[str]


def read_file(
    path: Path | str,
    mapping: Path | str | Mapping | None,
    options: ReadOptions | None,
    fields: MappingType[str, tuple[str, ...]],
    layout: str | None = None,
) -> ReadFile:
    """Read ``path`` with the header options of ``mapping`` and complete the mapping with
    the columns the file's tool writes for itself (see
    :func:`~spiegel.ingest.columns.with_detected`)."""
    options = options or ReadOptions()
    plan = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    table = read_table(
        Path(path),
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        title_rows=plan.title_rows,
        header_rows=plan.header_rows,
        limits=options.limits,
    )
    completed, notes = with_detected(plan, table, fields)
    return ReadFile(table, completed, identity(plan, options, layout), [*table.notes, *notes])


@contextmanager
def explained(read: ReadFile) -> Iterator[None]:
    """Refusals of the file say what was detected about it, and the hints the reader
    had (rows that look like more header rows) as problems of the whole file."""
    try:
        yield
    except ImportErrors as exc:
        hints = [Problem(None, None, None, hint) for hint in read.table.hints]
        raise ImportErrors([*exc.problems, *hints], exc.filename, read.notes) from None


def identity(mapping: Mapping, options: ReadOptions, layout: str | None = None) -> str:
    """The digest of how a file was read: mapping, encoding, delimiter, sheet and layout;
    empty when all are left to detection (so files imported before keep their identity)."""
    parts = {
        "mapping": mapping.digest(),
        "encoding": options.encoding,
        "delimiter": options.delimiter,
        "sheet": options.sheet,
        "layout": layout,
    }
    given = {k: v for k, v in parts.items() if v}
    if not given:
        return ""
    return hashlib.sha256(json.dumps(given, sort_keys=True).encode("utf-8")).hexdigest()


def seen_before(
    session: Session, organisation_id: int, kind: str, target: str, read: ReadFile
) -> ImportResult | None:
    """The result of importing the file when it was imported before with the same mapping."""
    table = read.table
    batch = find_batch(session, organisation_id, kind, target, table.sha256, read.identity)
    if batch is None:
        return None
    previous = AlreadyImported(batch.id, batch.created_at, batch.filename)
    return ImportResult(kind, table.filename, len(table), already_imported=previous)


def new_batch(
    session: Session, organisation_id: int, kind: str, target: str, read: ReadFile, rows: int
) -> ImportBatch:
    """The batch the import's rows are written as."""
    table = read.table
    batch = ImportBatch(
        organisation_id=organisation_id,
        kind=kind,
        target=target,
        filename=table.filename[:500],
        sha256=table.sha256,
        mapping_sha256=read.identity,
        rows=rows,
    )
    session.add(batch)
    try:
        session.flush()
    except IntegrityError:
        raise ValueError(
            f"{table.filename} is being imported by someone else at this moment; try again "
            "in a minute"
        ) from None
    return batch


def unit_lookup(session: Session, organisation_id: int) -> UnitLookup:
    """The organisation's units, to match unit codes and names in a file."""
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.organisation_id == organisation_id)
    )
    return UnitLookup.build([(int(i), str(c), str(n)) for i, c, n in rows])
