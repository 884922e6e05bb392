"""The mapping file: how a file's columns and codes translate to Spiegel's.

A mapping is a small YAML file (see ``docs/import-formats.md``)::

    instrument: customer          # optional: the instrument the file answers
    layout: wide                  # optional: wide or long (detected when left out)
    title_rows: 1                 # optional: rows above the header (detected)
    header_rows: 3                # optional: rows the header takes (detected)
    unknown_columns: error        # or ignore: what to do with columns not mapped
    columns:                      # file column -> what it holds
      Vestiging: unit
      Respondent: respondent
      V1: overall_grade           # an item id
      Startdatum: ignore
    values:                       # per item id, target or file column: file code -> value
      overall_grade: {"Weet niet": null}
      role_group: {Directie: senior_management}
    units:                        # file unit label -> unit code
      Café De Brug: AMS-01

Matching of column names, codes and unit labels ignores case and surrounding spaces.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from spiegel.ingest.table import canonical

Code = float | int | str | None


class Mapping(BaseModel):
    """A parsed mapping file; an empty ``Mapping()`` maps nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: str | None = None
    layout: Literal["wide", "long"] | None = None
    title_rows: int | None = Field(default=None, ge=0, le=100)
    header_rows: int | None = Field(default=None, ge=1, le=100)
    unknown_columns: Literal["error", "ignore"] = "error"
    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, Code]] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)
    source: str = ""

    @field_validator("columns", "units", mode="before")
    @classmethod
    def _text_keys(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for key, target in value.items():
            if target is None:
                raise ValueError(f"{key!r} maps to nothing; write 'ignore' to skip a column")
            out[canonical(key) or ""] = (
                canonical(target) if not isinstance(target, str) else target.strip()
            )
        return out

    @field_validator("values", mode="before")
    @classmethod
    def _code_keys(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, object] = {}
        for key, codes in value.items():
            if not isinstance(codes, dict):
                raise ValueError(f"values for {key!r} must be a list of 'file code: value' lines")
            out[canonical(key) or ""] = {
                canonical(code) or "": target for code, target in codes.items()
            }
        return out

    # -- lookups (case-insensitive) -----------------------------------------------------

    def target_of(self, column: str) -> str | None:
        """What ``column`` is mapped to, or ``None`` when the mapping does not name it."""
        if column in self.columns:
            return self.columns[column]
        lowered = {k.strip().lower(): v for k, v in self.columns.items()}
        return lowered.get(column.strip().lower())

    def codes_for(self, *keys: str | None) -> dict[str, Code]:
        """The value map for a column: entries under later keys win (e.g. target, column)."""
        lowered = {k.strip().lower(): v for k, v in self.values.items()}
        merged: dict[str, Code] = {}
        for key in keys:
            if key is None:
                continue
            for code, target in lowered.get(key.strip().lower(), {}).items():
                merged[code.strip().lower()] = target
        return merged

    def unit_code(self, label: str) -> str | None:
        """The unit code a file label maps to, or ``None``."""
        if label in self.units:
            return self.units[label]
        lowered = {k.strip().lower(): v for k, v in self.units.items()}
        return lowered.get(label.strip().lower())

    def mapped_columns(self) -> list[str]:
        return list(self.columns)

    def digest(self) -> str:
        """The SHA-256 of what the mapping says (not of its file name or comments);
        empty for an empty mapping."""
        content = self.model_dump(exclude={"source"}, exclude_defaults=True)
        if not content:
            return ""
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def with_columns(self, extra: dict[str, str]) -> Mapping:
        """This mapping with more ``columns`` entries (for columns it does not name)."""
        if not extra:
            return self
        return self.model_copy(update={"columns": {**extra, **self.columns}})


def load_mapping(path: Path | str | None) -> Mapping:
    """Read and check a mapping file; an absent path gives an empty mapping.

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        The file is not valid YAML or does not follow the format; the message names
        every place that is wrong (``columns.V1: ...``).
    """
    if path is None:
        return Mapping()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no mapping file {str(path)!r}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path.name}: not UTF-8 text; save the mapping file as UTF-8") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected sections such as 'columns:' at the top level")
    try:
        return Mapping.model_validate({**data, "source": path.name})
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = (
                    "unknown section; use instrument, layout, title_rows, header_rows, "
                    "unknown_columns, columns, values or units"
                )
            lines.append(f"  {where}: {message}")
        raise ValueError(
            f"{path.name}: the mapping file has problems:\n" + "\n".join(lines)
        ) from None
