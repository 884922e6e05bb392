"""The state an analysis run shares between its steps, and what a step may say.

A :class:`Job` holds one organisation's data, the frames the steps derive from it (scale
scores, protected unit tables, the location panel) and the result sections written so
far. Steps are plain functions of the job, grouped by topic in the modules beside this
one; :mod:`spiegel.services.analyze.runner` runs them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from spiegel.instruments import Instrument, get_instrument
from spiegel.privacy import PrivacySettings
from spiegel.results import Title
from spiegel.services.dataset import OrganisationData, location_of
from spiegel.services.figures import ProtectedFigures

ENGAGEMENT = "engagement"
GRADE_ITEM = "overall_grade"
NPS_ITEM = "recommend"
ROLE_GROUPS = ("senior_management", "manager", "front_line", "back_office")


class NotAvailable(Exception):
    """A step cannot run on this data; the reason in plain words, in both languages."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.reason = Title(en=en, nl=nl)


def enough_locations(frame: pd.DataFrame, needed: int, what: str, wat: str) -> None:
    """ "Not available" unless ``frame`` holds ``needed`` locations (rows) or more."""
    if len(frame) < needed:
        raise NotAvailable(
            f"{what} needs at least {needed} locations whose engagement and customer grade "
            f"are both shown; there are {len(frame)}",
            f"{wat} vraagt om minstens {needed} locaties waarvan bevlogenheid en klantcijfer "
            f"allebei getoond worden; dat zijn er {len(frame)}",
        )


def scale_groups() -> dict[str, list[str]]:
    """Scale names of the built-in engagement, drivers and strain instruments."""
    return {
        group: [s.name for s in get_instrument(group).scales]
        for group in ("engagement", "drivers", "strain")
    }


def privacy_settings(data: OrganisationData) -> PrivacySettings:
    """The organisation's privacy minimums."""
    known = {"min_scores", "min_comments", "min_360_group"}
    values = {k: v for k, v in data.privacy.items() if k in known}
    return PrivacySettings(**values)  # type: ignore[arg-type]


@dataclass
class Job:
    """One analysis run: its data, what the steps derived, and the sections so far."""

    data: OrganisationData
    n_boot: int = 500
    settings: PrivacySettings = field(init=False)
    groups: dict[str, list[str]] = field(init=False)
    location: dict[int, int | None] = field(init=False)
    root: int | None = field(init=False)
    emp: pd.DataFrame = field(default_factory=pd.DataFrame)
    cust: pd.DataFrame = field(default_factory=pd.DataFrame)
    scales: list[str] = field(default_factory=list)
    locations: pd.DataFrame = field(default_factory=pd.DataFrame)
    figures: dict[str, ProtectedFigures] = field(default_factory=dict)
    #: the result sections by field name of :class:`spiegel.results.Results`
    out: dict[str, object] = field(default_factory=dict)
    #: what the running step left out and why (collected into its :class:`Step`)
    notes: list[Title] = field(default_factory=list)
    #: employees' scale scores and mirror answers, with ``location`` and whether they
    #: are attached below it (``below_location``), as protected in the unit tables
    staff: pd.DataFrame = field(default_factory=pd.DataFrame)
    children: dict[int, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        self.settings = privacy_settings(self.data)
        self.groups = scale_groups()
        self.location = location_of(self.data.units)
        roots = self.data.units.loc[self.data.units["parent_id"].isna(), "id"]
        self.root = int(roots.iloc[0]) if len(roots) else None
        self.children = {}
        units = self.data.units
        for uid, parent in zip(units["id"], units["parent_id"], strict=True):
            if not pd.isna(parent):
                self.children.setdefault(int(parent), []).append(int(uid))

    def note(self, en: str, nl: str) -> None:
        """Say what the running step left out and why."""
        self.notes.append(Title(en=en, nl=nl))

    def require_employees(self) -> Instrument:
        """The employee questionnaire, or "not available" when there are no answers."""
        if self.data.employee_instrument is None or self.emp.empty:
            raise NotAvailable(
                "no employee survey responses yet",
                "nog geen antwoorden op een medewerkersenquête",
            )
        return self.data.employee_instrument

    def require_engagement(self) -> None:
        """ "Not available" unless the employee questionnaire measures engagement."""
        self.require_employees()
        if ENGAGEMENT not in self.scales:
            names = ", ".join(self.groups["engagement"])
            raise NotAvailable(
                f"the employee questionnaire has no engagement scales ({names})",
                f"de medewerkersvragenlijst heeft geen schalen voor bevlogenheid ({names})",
            )

    def require_customers(self) -> Instrument:
        """The customer questionnaire, or "not available" when there are no answers."""
        if self.data.customer_instrument is None or self.cust.empty:
            raise NotAvailable(
                "no customer survey responses yet", "nog geen antwoorden op een klantenquête"
            )
        return self.data.customer_instrument

    def require_grade(self) -> Instrument:
        """The customer questionnaire, or "not available" without an overall grade."""
        inst = self.require_customers()
        if GRADE_ITEM not in self.cust:
            raise NotAvailable(
                f"the customer questionnaire has no overall grade ({GRADE_ITEM})",
                f"de klantvragenlijst heeft geen rapportcijfer ({GRADE_ITEM})",
            )
        return inst

    @property
    def latest(self) -> str:
        """The wave the results describe."""
        return self.data.waves[-1]

    @property
    def location_ids(self) -> list[int]:
        """Every unit of kind location."""
        units = self.data.units
        return [int(u) for u in units.loc[units["kind"] == "location", "id"]]

    def enough(self, n: int) -> bool:
        """True when ``n`` people are enough for a figure (the reporting minimum)."""
        return n >= self.settings.min_scores

    def org_shown(self, audience: str, figure: str, wave: str | None = None) -> bool:
        """True when the organisation's own cell of ``figure`` passed the gate."""
        table = self.figures.get(audience)
        if table is None or self.root is None:
            return False
        return table.shown(self.root, wave or self.latest, figure)

    def org_count(self, audience: str, wave: str) -> int | None:
        """Respondents of the organisation in ``wave``, when its cell passed the gate."""
        table = self.figures.get(audience)
        row = None if table is None or self.root is None else table.row(self.root, wave)
        return int(row["n"]) if row is not None and bool(row["visible"]) else None

    def shown_at_locations(self, audience: str, figure: str, wave: str) -> dict[int, float]:
        """``figure`` of every location where it passed the gate in ``wave``."""
        table = self.figures.get(audience)
        if table is None:
            return {}
        values = table.wide(wave, [figure], self.location_ids)[figure].dropna()
        return dict(zip(map(int, values.index.tolist()), map(float, values.tolist()), strict=True))

    def employee_units(self, wave: str) -> dict[int, tuple[int, ...]]:
        """For each location, the units whose employees' figures stand for it in ``wave``.

        The location itself, ``(location,)``, when its cell passed the gate. When the gate
        hid it (a location minus its teams is the few people attached to it directly, its
        manager: of the location and its teams one must go, and the gate keeps the
        teams, whose results are what a team discusses), its teams together, when every
        one of them is shown: their people are everyone at the location but those few,
        and their figures follow from the teams' shown figures, so showing them adds
        nothing anyone could not work out. Locations with neither are left out.
        """
        table = self.figures.get("employee")
        if table is None:
            return {}

        def visible(unit: int) -> bool:
            row = table.row(unit, wave)
            return row is not None and bool(row["visible"])

        out: dict[int, tuple[int, ...]] = {}
        for loc in self.location_ids:
            below = tuple(self.children.get(loc, []))
            if visible(loc):
                out[loc] = (loc,)
            elif below and all(visible(u) for u in below):
                out[loc] = below
        return out

    def employee_at_locations(
        self, figure: str, wave: str
    ) -> dict[int, tuple[float, tuple[int, ...]]]:
        """An employee figure per location, with the units it was measured over
        (:meth:`employee_units`); locations where it is hidden are left out."""
        table = self.figures.get("employee")
        if table is None:
            return {}
        out = {}
        for loc, units in self.employee_units(wave).items():
            if units == (loc,):
                value = table.value(loc, wave, figure)
            elif all(table.shown(u, wave, figure) for u in units):
                value = self.teams_mean(loc, wave, figure)
            else:
                value = None
            if value is not None:
                out[loc] = (value, units)
        return out

    def teams_mean(self, loc: int, wave: str, figure: str) -> float | None:
        """``figure`` over everyone in the teams of ``loc`` (its people but those attached
        to the location directly) in ``wave``."""
        staff = self.staff
        rows = staff[(staff["location"] == loc) & staff["below_location"] & (staff["wave"] == wave)]
        values = rows[figure].dropna()
        return float(values.mean()) if len(values) else None

    def customer_items(self, scale: str) -> list[str]:
        """Items of the customer questionnaire's ``scale`` that were asked (someone
        answered); the others are noted as left out."""
        inst = self.data.customer_instrument
        if inst is None or scale not in {s.name for s in inst.scales}:
            return []
        items = [i for i in inst.scale(scale).item_ids if i in self.cust]
        asked = [i for i in items if self.cust[i].notna().any()]
        unasked = [i for i in items if i not in asked]
        if unasked:
            names = ", ".join(unasked)
            self.note(
                f"left out, nobody answered: {names}", f"weggelaten, niemand antwoordde: {names}"
            )
        return asked

    def mirror_pairs(self) -> list[tuple[str, str]]:
        """(customer item, employee item) of each mirror pair both surveys hold."""
        emp_inst, cust_inst = self.data.employee_instrument, self.data.customer_instrument
        if emp_inst is None or cust_inst is None:
            return []
        pairs = emp_inst.mirror_pairs_for(cust_inst) or cust_inst.mirror_pairs_for(emp_inst)
        return [
            (p.customer_item, p.employee_item)
            for p in pairs
            if p.employee_item in self.data.employee and p.customer_item in self.data.customer
        ]
