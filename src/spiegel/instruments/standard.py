"""Response formats every instrument file may use without declaring them.

A file that declares a format under one of these names uses its own definition instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from spiegel.instruments.model import (
    AgreementFormat,
    GradeFormat,
    LikelihoodFormat,
    ResponseFormat,
    Text,
    TextFormat,
)

__all__ = ["STANDARD_FORMATS"]

STANDARD_FORMATS: Mapping[str, ResponseFormat] = MappingProxyType(
    {
        "agree5": AgreementFormat(
            kind="agreement",
            points=[
                Text(nl="Helemaal oneens", en="Strongly disagree"),
                Text(nl="Oneens", en="Disagree"),
                Text(nl="Niet eens, niet oneens", en="Neither agree nor disagree"),
                Text(nl="Eens", en="Agree"),
                Text(nl="Helemaal eens", en="Strongly agree"),
            ],
        ),
        "likelihood": LikelihoodFormat(
            kind="likelihood",
            anchors={
                0: Text(nl="Zeer onwaarschijnlijk", en="Very unlikely"),
                10: Text(nl="Zeer waarschijnlijk", en="Very likely"),
            },
        ),
        "grade": GradeFormat(
            kind="grade",
            anchors={
                1: Text(nl="Zeer slecht", en="Very poor"),
                10: Text(nl="Uitstekend", en="Excellent"),
            },
        ),
        "text": TextFormat(kind="text"),
    }
)
"""``agree5`` (1–5 agreement), ``likelihood`` (0–10), ``grade`` (1–10) and ``text``."""
