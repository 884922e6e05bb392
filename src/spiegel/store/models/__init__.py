"""Table models (SQLAlchemy 2). The store imports nothing from the rest of Spiegel.

Two rules shape these tables:

* Answers are facts: a submitted :class:`Response` is never updated in place.
* Identifying data (e-mail addresses, names of 360° subjects) lives in tables of its own
  (:class:`Contact`, :class:`FeedbackSubject`); anonymous responses carry unit, role group
  and wave, never a person.

A submitted response's numeric answers are stored as one packed little-endian float64
vector in the order of its instrument version's items (``Instrument.item_order``), NaN for
unanswered (see ``docs/decisions.md``). Imported responses are stored many to a row, as
column blocks (:class:`ResponseBlock`): a wave of two million responses then loads into a
numpy matrix in one pass, and an import of a million respondents writes a few dozen rows.

The models live in modules by topic (:mod:`.organisation`, :mod:`.surveys`,
:mod:`.responses`, :mod:`.action`, :mod:`.feedback`, :mod:`.access`,
:mod:`.analysis_runs`) on one :class:`~spiegel.store.models.base.Base`; every name is
importable from here, the enumerations (:mod:`spiegel.store.enums`) too.
"""

from __future__ import annotations

from spiegel.store.enums import Audience, IdeaStatus, RoleGroup, StaffRole, SurveyStatus, UnitKind
from spiegel.store.models.access import ApiToken, LoginAttempt, StaffSession, StaffUser
from spiegel.store.models.action import Ambition, Idea
from spiegel.store.models.analysis_runs import AnalysisRun
from spiegel.store.models.base import NAMING, Base
from spiegel.store.models.feedback import FeedbackRound, FeedbackSubject
from spiegel.store.models.organisation import Contact, Employee, Organisation, Outcome, Unit, Wave
from spiegel.store.models.responses import (
    ImportBatch,
    Response,
    ResponseBlock,
    ResponseExclusion,
    TextAnswer,
)
from spiegel.store.models.surveys import (
    AnonymousDraft,
    Instrument,
    Invitation,
    InvitationRecipient,
    Survey,
)

__all__ = [
    "NAMING",
    "Ambition",
    "AnalysisRun",
    "AnonymousDraft",
    "ApiToken",
    "Audience",
    "Base",
    "Contact",
    "Employee",
    "FeedbackRound",
    "FeedbackSubject",
    "Idea",
    "IdeaStatus",
    "ImportBatch",
    "Instrument",
    "Invitation",
    "InvitationRecipient",
    "LoginAttempt",
    "Organisation",
    "Outcome",
    "Response",
    "ResponseBlock",
    "ResponseExclusion",
    "RoleGroup",
    "StaffRole",
    "StaffSession",
    "StaffUser",
    "Survey",
    "SurveyStatus",
    "TextAnswer",
    "Unit",
    "UnitKind",
    "Wave",
]
