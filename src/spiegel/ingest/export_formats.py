"""Which survey tool wrote a file, and where its header ends.

Survey tools export with header shapes of their own: Qualtrics writes three header rows
(column ids, question texts, ``{"ImportId": ...}``), SurveyMonkey two (the question, then
the matrix row or ``Response``), LimeSurvey, Microsoft Forms and Google Forms one, and all
add metadata columns (start and end times, IP address, ...). A report sheet may have a
title above its header. :func:`detect_header` reads the first records of a file and says
where the data begins, what the columns are called, which question text each column has,
and which tool wrote it (:class:`Tool`: its metadata columns are ignored and its
respondent id column is used unless the mapping says otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_TITLE_ROWS = 5
"""Rows above the header that detection skips at most (a title, a date, an empty row)."""
IMPORT_ID = '{"ImportId"'


def normalise(name: str) -> str:
    """A column name for matching: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class Tool:
    """A survey tool's export: how to recognise it and which columns are its own."""

    key: str
    title: str
    signature: tuple[frozenset[str], ...]  # any of these sets of names, all present
    respondent: tuple[str, ...] = ()  # normalised names of the respondent id column
    metadata: frozenset[str] = frozenset()  # normalised names of columns to ignore
    metadata_prefixes: tuple[str, ...] = ()  # ... and of column names starting with these
    metadata_key_prefixes: tuple[str, ...] = ()  # ... and of normalised names starting so
    first_column: frozenset[str] = frozenset()  # the first column is one of these

    def matches(self, names: Sequence[str]) -> bool:
        keys = {normalise(n) for n in names}
        if self.first_column and names and normalise(names[0]) in self.first_column:
            return True
        return any(sig <= keys for sig in self.signature)

    def role_of(self, name: str) -> str | None:
        """``respondent``, ``ignore`` or ``None`` (a question) for a column of this tool."""
        key = normalise(name)
        if key in self.respondent:
            return "respondent"
        if (
            key in self.metadata
            or name.startswith(self.metadata_prefixes)
            or key.startswith(self.metadata_key_prefixes)
        ):
            return "ignore"
        return None


def _names(*names: str) -> frozenset[str]:
    return frozenset(normalise(n) for n in names)


LIMESURVEY = Tool(
    "limesurvey",
    "LimeSurvey",
    signature=(_names("lastpage", "startlanguage"),),
    respondent=("id", "responseid"),
    metadata=_names(
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "ipaddr",
        "refurl",
        "token",
        "Date submitted",
        "Date started",
        "Date last action",
        "IP address",
        "Referrer URL",
        "interviewtime",
        "Total time",
    ),
)
QUALTRICS = Tool(
    "qualtrics",
    "Qualtrics",
    signature=(
        _names("ResponseId", "StartDate"),
        _names("ResponseId", "RecordedDate"),
        _names("ResponseId", "DistributionChannel"),
    ),
    respondent=("responseid",),
    metadata=_names(
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Duration__in_seconds_",
        "Finished",
        "RecordedDate",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "ExternalDataReference",
        "LocationLatitude",
        "LocationLongitude",
        "DistributionChannel",
        "UserLanguage",
    ),
    metadata_prefixes=("Q_",),
)
SURVEYMONKEY = Tool(
    "surveymonkey",
    "SurveyMonkey",
    signature=(_names("Respondent ID", "Collector ID"),),
    respondent=("respondentid",),
    metadata=_names(
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
    ),
    metadata_key_prefixes=("customdata",),
)
MS_FORMS = Tool(
    "ms_forms",
    "Microsoft Forms",
    signature=(
        _names("ID", "Start time", "Completion time"),
        _names("Id", "Begintijd", "Tijd van voltooien"),
    ),
    respondent=("id",),
    metadata=_names(
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Total points",
        "Quiz feedback",
        "Begintijd",
        "Tijd van voltooien",
        "E-mail",
        "Naam",
        "Tijdstip van laatste wijziging",
    ),
)
GOOGLE_FORMS = Tool(
    "google_forms",
    "Google Forms",
    signature=(),
    first_column=_names("Timestamp", "Tijdstempel"),
    metadata=_names(
        "Timestamp", "Tijdstempel", "Email Address", "E-mailadres", "Emailadres", "Score"
    ),
)
TOOLS = (LIMESURVEY, QUALTRICS, SURVEYMONKEY, MS_FORMS, GOOGLE_FORMS)
_GENERIC_SUBHEADS = _names("Response", "Open-Ended Response", "Antwoord", "Open antwoord")


def detect_tool(names: Sequence[str]) -> Tool | None:
    """The tool whose export has these column names, or ``None``."""
    return next((tool for tool in TOOLS if tool.matches(names)), None)


@dataclass
class Header:
    """Where a file's header is and what it says.

    ``skip`` records come before the first data record; ``names`` are the column names
    (not yet made unique); ``texts`` the question text of a column, by position, where
    the header holds one besides the name.
    """

    names: list[str]
    skip: int
    title_rows: int
    header_rows: int
    tool: Tool | None = None
    texts: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


def detect_header(
    records: Sequence[Sequence[str]],
    title_rows: int | None = None,
    header_rows: int | None = None,
) -> Header:
    """Read the header from a file's first ``records`` (cells as stripped text).

    ``title_rows`` and ``header_rows`` (from the mapping file) override detection:
    the header starts after ``title_rows`` rows and takes ``header_rows`` rows; its
    first row holds the column names and the next one, when there is one, question
    texts.
    """
    title = _title_rows(records) if title_rows is None else title_rows
    first = list(records[title]) if title < len(records) else []
    tool = detect_tool(first)
    rows = header_rows if header_rows is not None else _tool_header_rows(tool, records, title)
    rows = max(rows, 1)
    header = Header(first, title + rows, title, rows, tool)
    if tool is SURVEYMONKEY and rows >= 2 and title + 1 < len(records):
        header.names, header.texts = _surveymonkey_names(first, list(records[title + 1]))
    elif rows >= 2 and title + 1 < len(records):
        second = records[title + 1]
        header.texts = {j: t for j, t in enumerate(second) if t and j < len(first)}
    header.notes = _notes(header, header_rows is not None, title_rows is not None)
    more = _header_like_rows(records, header.skip)
    if more:
        start, end = header.skip + 1, header.skip + more
        rows_text = f"row {start} looks" if more == 1 else f"rows {start}-{end} look"
        header.hints.append(
            f"{rows_text} like more header rows, not answers (text above columns of "
            f"numbers); if so, write 'header_rows: {rows + more}' in the mapping file"
        )
    return header


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d+([.,]\d+)?%?", cell))


def _header_like_rows(records: Sequence[Sequence[str]], skip: int) -> int:
    """How many of the first data records look like header rows: text in most of the
    columns whose cells below are numbers."""
    data = records[skip:]
    count = 0
    while count < 3 and len(data) - count >= 4:
        row, below = data[count], data[count + 1 :]
        numeric = []
        for j in range(len(row)):
            cells = [r[j] for r in below if j < len(r) and r[j]]
            if len(cells) >= 3 and sum(map(_is_number, cells)) >= 0.8 * len(cells):
                numeric.append(j)
        texts = [j for j in numeric if row[j] and not _is_number(row[j])]
        if len(numeric) < 2 or len(texts) < max(2, len(numeric) / 2):
            break
        count += 1
    return count


def _title_rows(records: Sequence[Sequence[str]]) -> int:
    """Rows above the header: leading rows with at most one filled cell, when a row with
    several filled cells follows."""
    for i, record in enumerate(records[: MAX_TITLE_ROWS + 1]):
        if sum(1 for c in record if c) >= 2:
            return i
    return 0


def _tool_header_rows(tool: Tool | None, records: Sequence[Sequence[str]], title: int) -> int:
    if tool is None or title + 1 >= len(records):
        return 1
    second = records[title + 1]
    if tool is QUALTRICS:
        if title + 2 < len(records) and any(c.startswith(IMPORT_ID) for c in records[title + 2]):
            return 3
        respondent = _cell_of(records[title], second, tool)
        return 2 if respondent and not respondent.startswith("R_") else 1
    if tool is SURVEYMONKEY:
        respondent = _cell_of(records[title], second, tool)
        return 2 if not respondent or not respondent.isdigit() else 1
    return 1


def _cell_of(names: Sequence[str], record: Sequence[str], tool: Tool) -> str:
    """The cell of ``record`` under the tool's respondent id column."""
    for j, name in enumerate(names):
        if normalise(name) in tool.respondent:
            return record[j] if j < len(record) else ""
    return ""


def _surveymonkey_names(first: list[str], second: list[str]) -> tuple[list[str], dict[int, str]]:
    """A column under a matrix question is named by its row (second header row); any
    other column by its question. A row name used twice gets its question in front."""
    names: list[str] = []
    questions: list[str] = []
    question = ""
    for j, head in enumerate(first):
        question = head or question
        sub = second[j] if j < len(second) else ""
        questions.append(question)
        names.append(sub if sub and normalise(sub) not in _GENERIC_SUBHEADS else question)
    for j, name in enumerate(names):
        if names.count(name) > 1 and name != questions[j]:
            names[j] = f"{questions[j]} - {name}"
    return names, {j: n for j, n in enumerate(names) if n}


def _notes(header: Header, rows_given: bool, title_given: bool) -> list[str]:
    notes: list[str] = []
    skipped = header.header_rows - 1
    rows = f"{skipped} header row{'s' if skipped != 1 else ''} skipped"
    if header.tool is not None:
        notes.append(f"{header.tool.title} export" + (f": {rows}" if skipped else ""))
    elif rows_given:
        notes.append(f"header_rows: {header.header_rows} (mapping file): {rows}")
    elif skipped:
        notes.append(rows)
    if header.title_rows:
        n = header.title_rows
        source = "title_rows in the mapping file" if title_given else "a title above the header"
        notes.append(
            f"{n} row{'s' if n != 1 else ''} above the header skipped ({source}); "
            f"the header is row {n + 1}"
        )
    return notes


def column_roles(tool: Tool | None, names: Sequence[str]) -> dict[str, str]:
    """The tool's own columns among ``names``: ``respondent`` (the first such column) or
    ``ignore`` (metadata)."""
    roles: dict[str, str] = {}
    if tool is None:
        return roles
    for name in names:
        role = tool.role_of(name)
        if role == "respondent" and "respondent" in roles.values():
            role = "ignore"
        if role is not None:
            roles[name] = role
    return roles


def column_texts(header: Header, names: Sequence[str]) -> dict[str, str]:
    """The question text of each column that has one, by the column's (unique) name."""
    return {names[j]: text for j, text in header.texts.items() if j < len(names)}
