"""Statistics for engagement, customer experience and their linkage.

Pure functions on pandas DataFrames and numpy arrays: no database, no web. Every
function documents its formula, its reference and the equivalent R call, and is
checked against R output in the tests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Each public name and the module that defines it. Modules are imported on first use,
# so `import spiegel.analysis` (and the web tier, which needs only ScaleSpec) stays fast.
_EXPORTS: dict[str, str] = {
    "InsufficientData": "spiegel.analysis._common",
    "AggregationCheck": "spiegel.analysis.aggregation",
    "aggregate_units": "spiegel.analysis.aggregation",
    "check_aggregation": "spiegel.analysis.aggregation",
    "ICCResult": "spiegel.analysis.agreement",
    "icc": "spiegel.analysis.agreement",
    "rwg": "spiegel.analysis.agreement",
    "rwg_j": "spiegel.analysis.agreement",
    "uniform_null_variance": "spiegel.analysis.agreement",
    "CFAResult": "spiegel.analysis.factor",
    "cfa": "spiegel.analysis.factor",
    "minres_loadings": "spiegel.analysis.factor",
    "AlphaResult": "spiegel.analysis.reliability",
    "OmegaResult": "spiegel.analysis.reliability",
    "cronbach_alpha": "spiegel.analysis.reliability",
    "mcdonald_omega": "spiegel.analysis.reliability",
    "mcdonald_omega_details": "spiegel.analysis.reliability",
    "InstrumentLike": "spiegel.analysis.scoring",
    "ScaleSpec": "spiegel.analysis.scoring",
    "score_scales": "spiegel.analysis.scoring",
    "GradeSummary": "spiegel.analysis.customer",
    "NPSResult": "spiegel.analysis.customer",
    "grade_summary": "spiegel.analysis.customer",
    "moments_of_truth": "spiegel.analysis.customer",
    "nps": "spiegel.analysis.customer",
    "priority_matrix": "spiegel.analysis.drivers",
    "relative_importance": "spiegel.analysis.drivers",
    "LaggedLinkageResult": "spiegel.analysis.lagged",
    "LinkageResult": "spiegel.analysis.linkage",
    "RoleGroupLinkageResult": "spiegel.analysis.role_linkage",
    "lagged_linkage": "spiegel.analysis.lagged",
    "role_group_linkage": "spiegel.analysis.role_linkage",
    "unit_linkage": "spiegel.analysis.linkage",
    "CorrectedRoleGroupLinkageResult": "spiegel.analysis.corrected_linkage",
    "corrected_role_group_linkage": "spiegel.analysis.corrected_linkage",
    "shrunken_group_means": "spiegel.analysis.shrinkage",
    "MultilevelResult": "spiegel.analysis.multilevel",
    "multilevel_linkage": "spiegel.analysis.multilevel",
    "CrossLaggedResult": "spiegel.analysis.panel",
    "cross_lagged": "spiegel.analysis.panel",
    "cross_lagged_syntax": "spiegel.analysis.panel",
    "AMBITION_FLAGS": "spiegel.analysis.ambition",
    "LinkageLine": "spiegel.analysis.ambition",
    "reachable_target": "spiegel.analysis.ambition",
    "FEEDBACK360_LABELS": "spiegel.analysis.feedback360",
    "self_other_gaps": "spiegel.analysis.feedback360",
    "strengths": "spiegel.analysis.feedback360",
    "MIRROR_LABELS": "spiegel.analysis.mirror",
    "mirror_gaps": "spiegel.analysis.mirror",
    "DEFAULT_OUTCOMES": "spiegel.analysis.risk",
    "RISK_LEVELS": "spiegel.analysis.risk",
    "RiskOutcomeLink": "spiegel.analysis.risk_outcomes",
    "RiskThresholds": "spiegel.analysis.risk",
    "risk_flags": "spiegel.analysis.risk",
    "risk_outcome_link": "spiegel.analysis.risk_outcomes",
    "UnitDifferenceArrays": "spiegel.analysis.unit_difference",
    "unit_against_group": "spiegel.analysis.unit_difference",
    "unit_differences_from_moments": "spiegel.analysis.unit_difference",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'spiegel.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from spiegel.analysis._common import InsufficientData as InsufficientData
    from spiegel.analysis.aggregation import AggregationCheck as AggregationCheck
    from spiegel.analysis.aggregation import aggregate_units as aggregate_units
    from spiegel.analysis.aggregation import check_aggregation as check_aggregation
    from spiegel.analysis.agreement import ICCResult as ICCResult
    from spiegel.analysis.agreement import icc as icc
    from spiegel.analysis.agreement import rwg as rwg
    from spiegel.analysis.agreement import rwg_j as rwg_j
    from spiegel.analysis.agreement import uniform_null_variance as uniform_null_variance
    from spiegel.analysis.ambition import AMBITION_FLAGS as AMBITION_FLAGS
    from spiegel.analysis.ambition import LinkageLine as LinkageLine
    from spiegel.analysis.ambition import reachable_target as reachable_target
    from spiegel.analysis.corrected_linkage import (
        CorrectedRoleGroupLinkageResult as CorrectedRoleGroupLinkageResult,
    )
    from spiegel.analysis.corrected_linkage import (
        corrected_role_group_linkage as corrected_role_group_linkage,
    )
    from spiegel.analysis.customer import GradeSummary as GradeSummary
    from spiegel.analysis.customer import NPSResult as NPSResult
    from spiegel.analysis.customer import grade_summary as grade_summary
    from spiegel.analysis.customer import moments_of_truth as moments_of_truth
    from spiegel.analysis.customer import nps as nps
    from spiegel.analysis.drivers import priority_matrix as priority_matrix
    from spiegel.analysis.drivers import relative_importance as relative_importance
    from spiegel.analysis.factor import CFAResult as CFAResult
    from spiegel.analysis.factor import cfa as cfa
    from spiegel.analysis.factor import minres_loadings as minres_loadings
    from spiegel.analysis.feedback360 import FEEDBACK360_LABELS as FEEDBACK360_LABELS
    from spiegel.analysis.feedback360 import self_other_gaps as self_other_gaps
    from spiegel.analysis.feedback360 import strengths as strengths
    from spiegel.analysis.lagged import LaggedLinkageResult as LaggedLinkageResult
    from spiegel.analysis.lagged import lagged_linkage as lagged_linkage
    from spiegel.analysis.linkage import LinkageResult as LinkageResult
    from spiegel.analysis.linkage import unit_linkage as unit_linkage
    from spiegel.analysis.mirror import MIRROR_LABELS as MIRROR_LABELS
    from spiegel.analysis.mirror import mirror_gaps as mirror_gaps
    from spiegel.analysis.multilevel import MultilevelResult as MultilevelResult
    from spiegel.analysis.multilevel import multilevel_linkage as multilevel_linkage
    from spiegel.analysis.panel import CrossLaggedResult as CrossLaggedResult
    from spiegel.analysis.panel import cross_lagged as cross_lagged
    from spiegel.analysis.panel import cross_lagged_syntax as cross_lagged_syntax
    from spiegel.analysis.reliability import AlphaResult as AlphaResult
    from spiegel.analysis.reliability import OmegaResult as OmegaResult
    from spiegel.analysis.reliability import cronbach_alpha as cronbach_alpha
    from spiegel.analysis.reliability import mcdonald_omega as mcdonald_omega
    from spiegel.analysis.reliability import mcdonald_omega_details as mcdonald_omega_details
    from spiegel.analysis.risk import DEFAULT_OUTCOMES as DEFAULT_OUTCOMES
    from spiegel.analysis.risk import RISK_LEVELS as RISK_LEVELS
    from spiegel.analysis.risk import RiskThresholds as RiskThresholds
    from spiegel.analysis.risk import risk_flags as risk_flags
    from spiegel.analysis.risk_outcomes import RiskOutcomeLink as RiskOutcomeLink
    from spiegel.analysis.risk_outcomes import risk_outcome_link as risk_outcome_link
    from spiegel.analysis.role_linkage import RoleGroupLinkageResult as RoleGroupLinkageResult
    from spiegel.analysis.role_linkage import role_group_linkage as role_group_linkage
    from spiegel.analysis.scoring import InstrumentLike as InstrumentLike
    from spiegel.analysis.scoring import ScaleSpec as ScaleSpec
    from spiegel.analysis.scoring import score_scales as score_scales
    from spiegel.analysis.shrinkage import shrunken_group_means as shrunken_group_means
    from spiegel.analysis.unit_difference import UnitDifferenceArrays as UnitDifferenceArrays
    from spiegel.analysis.unit_difference import unit_against_group as unit_against_group
    from spiegel.analysis.unit_difference import (
        unit_differences_from_moments as unit_differences_from_moments,
    )
