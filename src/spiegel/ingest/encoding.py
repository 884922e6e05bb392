"""A CSV file's bytes as UTF-8 text, whatever Excel saved it as.

UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode text"), else Windows-1252 (cp1252,
what Excel's plain "CSV" saves on a Dutch Windows). A file that is mostly UTF-8 with some
rows in another encoding is reported row by row.
"""

from __future__ import annotations

import re

from spiegel.ingest.problems import Problem

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode(data: bytes, encoding: str | None, problems: list[Problem]) -> tuple[bytes, str]:
    """The file's text as UTF-8 bytes (no BOM), and the encoding it was read with."""
    if encoding:
        try:
            return data.decode(encoding).encode("utf-8").removeprefix(b"\xef\xbb\xbf"), encoding
        except UnicodeDecodeError as exc:
            problems.append(_decode_problem(data, exc, encoding))
            text = data.decode(encoding, errors="replace")
            return text.encode("utf-8"), encoding
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        label = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    else:
        label = "utf-8"
    try:
        data.decode("utf-8")
        return data, label
    except UnicodeDecodeError:
        pass
    if label == "utf-8-sig" or _has_utf8_line(data):
        return _mixed(data, problems), "utf-8"
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                _line_of(data, exc.start),
                None,
                _snippet(data, exc.start),
                "the file is neither UTF-8 nor Windows-1252 text; save it from Excel as "
                "'CSV UTF-8' and import that",
            )
        )
        return data.decode("latin-1").encode("utf-8"), "latin-1"


def _has_utf8_line(data: bytes, limit: int = 1000) -> bool:
    """Whether some line is valid UTF-8 with accented letters (so the file was meant as
    UTF-8 and only some lines are not): Windows-1252 text rarely forms UTF-8 sequences,
    and when it does the line around them is not valid UTF-8 as a whole."""
    for count, match in enumerate(_UTF8_MULTIBYTE.finditer(data)):
        if count >= limit:
            break
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        try:
            data[start : end if end >= 0 else len(data)].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _mixed(data: bytes, problems: list[Problem]) -> bytes:
    """A UTF-8 file with some lines in another encoding: report each such line."""
    out = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
            out.append(line)
        except UnicodeDecodeError as exc:
            text = line.decode("cp1252", errors="replace")
            problems.append(
                Problem(
                    number,
                    None,
                    _snippet(line, exc.start),
                    "this row is not UTF-8 like the rest of the file (was it pasted from a "
                    "file in another encoding?); retype the accented letters or save the "
                    "whole file as 'CSV UTF-8'",
                )
            )
            out.append(text.encode("utf-8"))
    return b"\n".join(out)


def _decode_problem(data: bytes, exc: UnicodeDecodeError, encoding: str) -> Problem:
    return Problem(
        _line_of(data, exc.start),
        None,
        _snippet(data, exc.start),
        f"the file is not valid {encoding} text here",
    )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _snippet(data: bytes, offset: int) -> str:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    line = data[start : end if end >= 0 else len(data)]
    return line[:80].decode("cp1252", errors="replace").rstrip("\r")
