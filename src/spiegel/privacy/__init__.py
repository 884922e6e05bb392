"""Disclosure control: the one gate every figure about a group passes before anyone sees it.

Build a :class:`GroupTable` with every figure any viewer could be shown and the
respondent counts that define the groups, then call :func:`protect`. Renderers accept only
the resulting :class:`ProtectedTable`. Open comments go through
:func:`protect_comments`. See ``docs/anonymity.md``.

Names load their module on first use, so that reading a reason's text
(:mod:`spiegel.privacy.reasons`) does not load pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS: dict[str, str] = {
    "ProtectedComments": "spiegel.privacy.comments",
    "protect_comments": "spiegel.privacy.comments",
    "protect": "spiegel.privacy.gate",
    "ReasonCode": "spiegel.privacy.reasons",
    "ABSOLUTE_MINIMUM": "spiegel.privacy.settings",
    "HIDE_FIRST": "spiegel.privacy.settings",
    "HideFirst": "spiegel.privacy.settings",
    "PrivacySettings": "spiegel.privacy.settings",
    "CellKey": "spiegel.privacy.tables",
    "GroupTable": "spiegel.privacy.tables",
    "HiddenCell": "spiegel.privacy.tables",
    "ProtectedTable": "spiegel.privacy.tables",
    "ProtectionSummary": "spiegel.privacy.tables",
    "ViewerScope": "spiegel.privacy.tables",
    "VisibleCell": "spiegel.privacy.tables",
    "UnitTree": "spiegel.privacy.tree",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'spiegel.privacy' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from spiegel.privacy.comments import ProtectedComments as ProtectedComments
    from spiegel.privacy.comments import protect_comments as protect_comments
    from spiegel.privacy.gate import protect as protect
    from spiegel.privacy.reasons import ReasonCode as ReasonCode
    from spiegel.privacy.settings import ABSOLUTE_MINIMUM as ABSOLUTE_MINIMUM
    from spiegel.privacy.settings import HIDE_FIRST as HIDE_FIRST
    from spiegel.privacy.settings import HideFirst as HideFirst
    from spiegel.privacy.settings import PrivacySettings as PrivacySettings
    from spiegel.privacy.tables import CellKey as CellKey
    from spiegel.privacy.tables import GroupTable as GroupTable
    from spiegel.privacy.tables import HiddenCell as HiddenCell
    from spiegel.privacy.tables import ProtectedTable as ProtectedTable
    from spiegel.privacy.tables import ProtectionSummary as ProtectionSummary
    from spiegel.privacy.tables import ViewerScope as ViewerScope
    from spiegel.privacy.tables import VisibleCell as VisibleCell
    from spiegel.privacy.tree import UnitTree as UnitTree
