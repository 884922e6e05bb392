"""Disclosure control: the one gate every figure about a group passes before anyone sees it.

Build a :class:`GroupTable` with every figure any viewer could be shown and the
respondent counts that define the groups, then call :func:`protect`. Renderers accept only
the resulting :class:`ProtectedTable`. Open comments go through
:func:`protect_comments`. See ``docs/anonymity.md``.
"""

from spiegel.privacy.comments import ProtectedComments, protect_comments
from spiegel.privacy.gate import protect
from spiegel.privacy.settings import ABSOLUTE_MINIMUM, PrivacySettings
from spiegel.privacy.tables import (
    CellKey,
    GroupTable,
    HiddenCell,
    ProtectedTable,
    ProtectionSummary,
    ReasonCode,
    ViewerScope,
    VisibleCell,
)
from spiegel.privacy.tree import UnitTree

__all__ = [
    "ABSOLUTE_MINIMUM",
    "CellKey",
    "GroupTable",
    "HiddenCell",
    "PrivacySettings",
    "ProtectedComments",
    "ProtectedTable",
    "ProtectionSummary",
    "ReasonCode",
    "UnitTree",
    "ViewerScope",
    "VisibleCell",
    "protect",
    "protect_comments",
]
