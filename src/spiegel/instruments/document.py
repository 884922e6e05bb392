"""The instrument file format: one pydantic model per part of the YAML document.

These models check the *shape* of a file (keys, types, both languages present, point
counts). Rules that need the whole document or other instruments (unique item ids,
known formats, mirror pairs) are in :mod:`spiegel.instruments.checks`.
See ``docs/instruments.md`` for the format with a complete example.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spiegel.instruments.model import Audience, Position, ResponseFormat, Text

__all__ = [
    "InstrumentDoc",
    "LooseItemDoc",
    "MirrorDoc",
    "MirrorPairDoc",
    "ScaleDoc",
    "ScaleItemDoc",
]

_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleItemDoc(_Doc):
    """An item inside a scale; ``format`` overrides the scale's format."""

    id: str
    text: Text
    reverse: bool = False
    format: str | None = None
    self_text: Text | None = None
    title: Text | None = None


class LooseItemDoc(_Doc):
    """An item outside scales; it needs its own ``format``."""

    id: str
    text: Text
    format: str
    reverse: bool = False
    self_text: Text | None = None
    title: Text | None = None
    position: Position = "last"


class ScaleDoc(_Doc):
    """A scale: a scored group of items."""

    name: str
    title: Text
    format: str
    items: list[ScaleItemDoc] = Field(min_length=1)
    description: Text | None = None
    higher_is_better: bool = True


class MirrorPairDoc(_Doc):
    """A customer item id and the employee item id that predicts it."""

    customer: str
    employee: str


class MirrorDoc(_Doc):
    """Mirror pairs, and the instrument that holds the other side of each pair."""

    customer_instrument: str | None = None
    employee_instrument: str | None = None
    pairs: list[MirrorPairDoc] = Field(min_length=1)


def _audience_360(v: object) -> object:
    return "360" if v == 360 and not isinstance(v, bool) else v


class InstrumentDoc(_Doc):
    """A whole instrument file."""

    name: str
    version: int | str
    title: Text | None = None
    audience: Audience | None = None
    description: Text | None = None
    extends: str | None = None
    include: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    response_formats: dict[str, ResponseFormat] = Field(default_factory=dict)
    scales: list[ScaleDoc] = Field(default_factory=list)
    items: list[LooseItemDoc] = Field(default_factory=list)
    mirror: MirrorDoc | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, v: object) -> object:
        if isinstance(v, int) and not isinstance(v, bool) and v >= 1:
            return v
        if isinstance(v, str) and _SEMVER.match(v):
            return v
        raise ValueError(
            f"version must be a whole number from 1 up or a semantic version like '1.2.0', "
            f"got {v!r}"
        )

    @field_validator("audience", mode="before")
    @classmethod
    def _audience(cls, v: object) -> object:
        return _audience_360(v)


KNOWN_KEYS: frozenset[str] = frozenset(
    name
    for model in (InstrumentDoc, ScaleDoc, ScaleItemDoc, LooseItemDoc, MirrorDoc, MirrorPairDoc)
    for name in model.model_fields
) | frozenset({"kind", "points", "start", "anchors", "options", "code", "max_length", "nl", "en"})
"""Every key the format knows, for 'did you mean' hints."""
