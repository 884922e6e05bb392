"""Is a file what its extension says? One clear message when it is not.

A file's first bytes tell what it is: an Excel workbook is a zip archive (``PK``), an
SPSS file starts with ``$FL2`` or ``$FL3``, an old ``.xls`` (or a password-protected
workbook) is an OLE container, and a CSV file is text: no NUL bytes and hardly any other
control characters. :func:`check_kind` compares that with the extension, so a workbook
saved as ``.csv`` is refused with "this is an Excel workbook" instead of hundreds of row
messages.
"""

from __future__ import annotations

HEAD = 64 * 1024
"""Bytes looked at: enough to tell text from binary, small enough to be instant."""

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"$FL2", "sav"),
    (b"$FL3", "sav"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"\x1f\x8b", "gzip"),
    (b"PAR1", "parquet"),
    (b"SQLite format 3\x00", "sqlite"),
)
_WHAT = {
    "zip": "a zip archive (an Excel workbook is one)",
    "sav": "an SPSS data file",
    "ole": "an old Excel .xls workbook, or a workbook protected with a password",
    "pdf": "a PDF document",
    "image": "an image",
    "gzip": "a compressed (gzip) file",
    "parquet": "a Parquet file",
    "sqlite": "an SQLite database",
    "binary": "binary data, not text",
    "text": "a text file",
}
_SUFFIX_FOR = {"zip": ".xlsx", "sav": ".sav", "text": ".csv"}
# Control bytes that do not occur in text (tab, newlines, form feed and Ctrl-Z do).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))


def sniff(head: bytes) -> str:
    """What the first bytes of a file are: ``zip``, ``sav``, ``ole``, ``text``, ``binary``, ..."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with BOM: Excel's "Unicode text"
    if b"\x00" in head:
        return "binary"
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return "binary" if controls > max(len(head) // 100, 2) else "text"


def binary_offset(head: bytes) -> int:
    """Where the first byte that text does not hold is (for messages)."""
    positions = [i for i in (head.find(bytes([b])) for b in b"\x00" + _CONTROL) if i >= 0]
    return min(positions, default=0)


def check_kind(name: str, expected: str, head: bytes) -> None:
    """Raise ``ValueError`` when ``head`` is not a file of kind ``expected``.

    ``expected`` is ``csv``, ``xlsx`` or ``sav`` (what the extension says).
    """
    found = sniff(head)
    fits = {"csv": found == "text", "xlsx": found == "zip", "sav": found == "sav"}[expected]
    if fits:
        return
    label = {"csv": "a CSV file", "xlsx": "an Excel workbook (.xlsx)", "sav": "an SPSS .sav file"}
    what = _WHAT.get(found, found)
    if found == "binary":
        what += f" (at byte {binary_offset(head):,})"
    advice = _advice(name, expected, found)
    raise ValueError(f"{name} is not {label[expected]}: it holds {what}. {advice}")


def _advice(name: str, expected: str, found: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if found in _SUFFIX_FOR and not (found == "zip" and expected == "xlsx"):
        suffix = _SUFFIX_FOR[found]
        return f"If it is your data, rename it to {stem}{suffix} and import that."
    if found == "ole":
        return "Open it in Excel, remove any password and save it as .xlsx or CSV."
    return "Export the data from its program as CSV, Excel (.xlsx) or SPSS (.sav)."
