"""The results document: every section the analysis produces, in one typed class.

The analysis writes a :class:`Results`; the store keeps its JSON
(``Results.model_dump(mode="json", by_alias=True)``); dashboards, reports, the API and
exports read it back with :func:`load_results`. Results stored under another schema
version are refused with a clear message rather than half-read: they may have been
protected by older rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError

from spiegel.results.base import Model, Title
from spiegel.results.cells import UnitTable
from spiegel.results.customer import CustomerWave, MomentOfTruth
from spiegel.results.differences import UnitDifferences
from spiegel.results.linkage import CrossLagged, Lagged, Linkage, Multilevel
from spiegel.results.organisation import (
    Minimums,
    OrganisationRef,
    ResponseWave,
    ScaleGroups,
    ScaleInfo,
    Step,
    UnitInfo,
)
from spiegel.results.quality import CFA, Aggregation, Reliability
from spiegel.results.topics import (
    AmbitionUnit,
    CommentList,
    CommentThemes,
    Drivers,
    Mirror,
    Risk,
)

SCHEMA: Literal["spiegel.results/2"] = "spiegel.results/2"


class Results(Model):
    """One analysis run of one organisation, protected."""

    schema_id: Literal["spiegel.results/2"] = Field(
        SCHEMA, alias="schema", description="The schema version of this document."
    )
    generated_at: str = Field(description="ISO time of the run (UTC).")
    organisation: OrganisationRef
    waves: list[str] = Field(description="All waves analysed, in order.")
    wave: str | None = Field(description="The wave the results describe (the latest).")
    privacy: Minimums = Field(description="The minimums the figures were protected with.")
    units: list[UnitInfo] = Field(description="The unit tree.")
    scales: list[ScaleInfo] = Field([], description="Scales of the employee questionnaire.")
    scale_groups: ScaleGroups = ScaleGroups()
    item_titles: dict[str, Title] = Field(
        {},
        description="Titles of the customer items (grade, recommendation, moments of truth, "
        "aspects) by item id: the short title, else the question.",
    )
    steps: list[Step] = Field([], description="Each analysis step: ok, not available, failed.")
    response: list[ResponseWave] = Field([], description="Respondents per wave (organisation).")
    employee: UnitTable | None = Field(
        None,
        description="Employee scale means per unit (its whole subtree) and wave, and per role "
        "group at the top, protected per figure.",
    )
    headcount: dict[int, int] = Field(
        {}, description="Active employees per unit subtree (HR data), for response rates."
    )
    customer: UnitTable | None = Field(
        None, description="Customer figures per unit and wave: grade, NPS, moments, aspects."
    )
    customer_overall: list[CustomerWave] = Field([], description="Grade and NPS per wave.")
    moments_of_truth: list[MomentOfTruth] = Field(
        [], description="Moments of truth of the latest wave, whole organisation."
    )
    reliability: list[Reliability] = Field([], description="Alpha and omega per scale.")
    cfa: CFA | None = Field(None, description="The engagement factor model.")
    aggregation: list[Aggregation] = Field([], description="ICC(1), ICC(2), r_wg per scale.")
    linkage: Linkage | None = Field(None, description="Engagement and grade across locations.")
    lagged: Lagged | None = Field(None, description="Grade at t+1 on engagement at t.")
    cross_lagged: CrossLagged | None = Field(None, description="(RI-)CLPM in both directions.")
    multilevel: Multilevel | None = Field(None, description="Customers nested in locations.")
    drivers: Drivers | None = Field(None, description="Key drivers (relative importance).")
    mirror: Mirror | None = Field(None, description="Customers against employees' expectation.")
    risk: Risk | None = Field(None, description="Strain, recovery and absenteeism by location.")
    ambition: list[AmbitionUnit] = Field([], description="Reachable customer grade by location.")
    comments: list[CommentList] = Field([], description="Open comments by audience and location.")
    differences: UnitDifferences | None = Field(
        None,
        description="Each unit against its region and the organisation (latest wave): "
        "difference of the means with a Welch interval, hidden where the gate says so.",
    )
    comment_themes: list[CommentThemes] = Field(
        [], description="Themes in the open comments by audience, over the organisation."
    )
    _units: dict[int, UnitInfo] = PrivateAttr(default_factory=dict)

    model_config = Model.model_config | {"populate_by_name": True}

    def model_post_init(self, __context: object) -> None:
        self._units = {u.id: u for u in self.units}

    def unit(self, unit_id: int) -> UnitInfo | None:
        """The unit with this id."""
        return self._units.get(unit_id)

    def step(self, name: str) -> Step | None:
        """The analysis step called ``name``."""
        return next((s for s in self.steps if s.name == name), None)

    def to_json(self) -> dict[str, object]:
        """The JSON the store keeps and ``spiegel analyze --json`` writes."""
        return self.model_dump(mode="json", by_alias=True)


class OutdatedResults(ValueError):
    """Stored results of another schema version: analyse again."""

    def __init__(self, found: object) -> None:
        self.found = found
        super().__init__(
            f"these results were stored by another version of Spiegel ({found or 'unknown'}; "
            f"this version reads {SCHEMA}): run `spiegel analyze` again"
        )


def load_results(document: Mapping[str, object]) -> Results:
    """Read a stored results document; refuse another schema version."""
    found = document.get("schema")
    if found != SCHEMA:
        raise OutdatedResults(found)
    try:
        return Results.model_validate(document)
    except ValidationError as exc:
        raise OutdatedResults(f"{SCHEMA}, unreadable: {exc.error_count()} problems") from exc
