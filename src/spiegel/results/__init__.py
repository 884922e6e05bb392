"""The typed results model: one shape from analysis to page, report and API.

The analysis (:mod:`spiegel.services.analyze`) writes a :class:`Results`; the store keeps
its JSON; dashboards, reports, the API and exports read it back with
:func:`load_results`. Every figure about a group in it has passed the privacy gate; a
figure that did not is a :class:`Hidden` (reason, no number), the one representation
every consumer renders. ``docs/results-schema.md`` is generated from these classes
(``uv run python -m spiegel.results.schema_doc``).
"""

from spiegel.results.base import Model, Number, Title
from spiegel.results.cells import Cell, ProtectionSummary, UnitTable
from spiegel.results.customer import NPS, CustomerWave, GradeSummary, MomentOfTruth
from spiegel.results.differences import (
    Against,
    Audience,
    Difference,
    UnitComparison,
    UnitDifference,
    UnitDifferences,
)
from spiegel.results.document import SCHEMA, OutdatedResults, Results, load_results
from spiegel.results.hidden import Hidden, HiddenCode
from spiegel.results.linkage import (
    Coefficient,
    CorrectedCoefficient,
    CorrectedRoleGroupLinkage,
    CrossLagged,
    FitPoint,
    Lagged,
    Linkage,
    LinkagePoint,
    Multilevel,
    PanelEstimate,
    RoleCoefficient,
    RoleGroupLinkage,
    RoleReliability,
    UnitLinkage,
)
from spiegel.results.organisation import (
    Minimums,
    OrganisationRef,
    ResponseWave,
    ScaleGroups,
    ScaleInfo,
    Step,
    StepStatus,
    UnitInfo,
)
from spiegel.results.quality import CFA, Aggregation, Loading, Reliability
from spiegel.results.topics import (
    AmbitionUnit,
    CommentList,
    CommentTheme,
    CommentThemes,
    Driver,
    Drivers,
    Mirror,
    MirrorGap,
    Risk,
    RiskOutcomeLink,
    RiskUnit,
)

__all__ = [
    "CFA",
    "NPS",
    "SCHEMA",
    "Against",
    "Aggregation",
    "AmbitionUnit",
    "Audience",
    "Cell",
    "Coefficient",
    "CommentList",
    "CommentTheme",
    "CommentThemes",
    "CorrectedCoefficient",
    "CorrectedRoleGroupLinkage",
    "CrossLagged",
    "CustomerWave",
    "Difference",
    "Driver",
    "Drivers",
    "FitPoint",
    "GradeSummary",
    "Hidden",
    "HiddenCode",
    "Lagged",
    "Linkage",
    "LinkagePoint",
    "Loading",
    "Minimums",
    "Mirror",
    "MirrorGap",
    "Model",
    "MomentOfTruth",
    "Multilevel",
    "Number",
    "OrganisationRef",
    "OutdatedResults",
    "PanelEstimate",
    "ProtectionSummary",
    "Reliability",
    "ResponseWave",
    "Results",
    "Risk",
    "RiskOutcomeLink",
    "RiskUnit",
    "RoleCoefficient",
    "RoleGroupLinkage",
    "RoleReliability",
    "ScaleGroups",
    "ScaleInfo",
    "Step",
    "StepStatus",
    "Title",
    "UnitComparison",
    "UnitDifference",
    "UnitDifferences",
    "UnitInfo",
    "UnitLinkage",
    "UnitTable",
    "load_results",
]
