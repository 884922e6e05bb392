"""Questionnaires: the instrument file format, its validation and the built-in library.

Public API::

    list_instruments(extra_dirs=())        -> list[InstrumentEntry]
    get_instrument(name, extra_dirs=())    -> Instrument
    load_instrument(path, extra_dirs=())   -> Instrument
    validate_file(path, extra_dirs=())     -> list[Problem]

See ``docs/instruments.md`` for the file format.
"""

from spiegel.instruments.library import (
    BUILTIN_DIR,
    InstrumentEntry,
    Library,
    get_instrument,
    list_instruments,
)
from spiegel.instruments.loader import load_instrument, validate_file
from spiegel.instruments.model import (
    LANGUAGES,
    AgreementFormat,
    ChoiceFormat,
    ChoiceOption,
    GradeFormat,
    Instrument,
    Item,
    LikelihoodFormat,
    MirrorPair,
    ResponseFormat,
    Scale,
    Text,
    TextFormat,
)
from spiegel.instruments.problems import InstrumentError, Problem
from spiegel.instruments.standard import STANDARD_FORMATS

__all__ = [
    "BUILTIN_DIR",
    "LANGUAGES",
    "STANDARD_FORMATS",
    "AgreementFormat",
    "ChoiceFormat",
    "ChoiceOption",
    "GradeFormat",
    "Instrument",
    "InstrumentEntry",
    "InstrumentError",
    "Item",
    "Library",
    "LikelihoodFormat",
    "MirrorPair",
    "Problem",
    "ResponseFormat",
    "Scale",
    "Text",
    "TextFormat",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "validate_file",
]
