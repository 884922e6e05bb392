"""Titles for codes: what a person reads instead of ``mot_pick_up`` or ``senior_management``.

Every page, chart, report and person-read export names scales, items (moments of truth,
aspects, the grade), role groups, unit kinds and types, and the figures of the results
through :class:`Labels`, in the reader's language:

* scales and customer items by their titles from the instrument, as the analysis stored
  them in the results (:attr:`Results.scales`, :attr:`Results.item_titles`);
* role groups, unit kinds and the names of figures (``overall_grade``, ``headcount``,
  ``r_wg``...) from :data:`VOCABULARY` below;
* anything else by :func:`readable`: ``front_desk`` becomes "Front desk", never the code.

Long titles (an item without a short title shows its question) are cut for charts by
:meth:`Labels.short`; the whole title stays available for a tooltip.
"""

from __future__ import annotations

import math
import re

from spiegel.results.document import Results

__all__ = ["VOCABULARY", "Labels", "p_value", "readable"]

#: Bilingual names of codes that are not in an instrument: role groups, unit kinds,
#: the figures and columns of the results. ``(nl, en)``.
VOCABULARY: dict[str, tuple[str, str]] = {
    # role groups (spiegel.store.enums.RoleGroup)
    "senior_management": ("Directie en senior management", "Senior management"),
    "manager": ("Leidinggevenden", "Managers"),
    "front_line": ("Medewerkers bij de klant", "Front-line staff"),
    "back_office": ("Ondersteunende diensten", "Back office"),
    # unit kinds (spiegel.store.enums.UnitKind)
    "organisation": ("Organisatie", "Organisation"),
    "region": ("Regio", "Region"),
    "location": ("Locatie", "Location"),
    "team": ("Team", "Team"),
    # unit types of the demo organisation (other types are shown as written in units.csv)
    "kinderdagverblijf": ("Kinderdagverblijf", "Day-care centre"),
    "bso": ("Buitenschoolse opvang", "After-school care"),
    "kindcentrum": ("Kindcentrum", "Child centre"),
    "peuteropvang": ("Peuteropvang", "Playgroup"),
    "groep": ("Groep", "Group"),
    "regio": ("Regio", "Region"),
    "organisatie": ("Organisatie", "Organisation"),
    # figures and columns
    "overall_grade": ("Rapportcijfer", "Overall grade"),
    "recommend": ("Aanbevelen", "Recommendation"),
    "grade": ("Klantcijfer", "Customer grade"),
    "nps": ("NPS (aanbevelingsscore)", "NPS (Net Promoter Score)"),
    "promoter": ("Promotors", "Promoters"),
    "detractor": ("Criticasters", "Detractors"),
    "headcount": ("Aantal medewerkers", "Headcount"),
    "response_rate": ("Respons", "Response rate"),
    "n": ("Aantal", "Number"),
    "n_customers": ("Aantal klanten", "Number of customers"),
    "n_employees": ("Aantal medewerkers", "Number of employees"),
    "mean": ("Gemiddelde", "Mean"),
    "mean_customer": ("Klanten", "Customers"),
    "mean_employee": ("Medewerkers verwachten", "Employees expect"),
    "gap": ("Verschil", "Gap"),
    "ci_low": ("Ondergrens 95%-BI", "95% CI low"),
    "ci_high": ("Bovengrens 95%-BI", "95% CI high"),
    "estimate": ("Schatting", "Estimate"),
    "general_dominance": ("Bijdrage aan R²", "Share of R²"),
    "r_wg": ("Overeenstemming binnen teams, r(wg)", "Agreement within teams, r(wg)"),
    "icc1": ("ICC(1)", "ICC(1)"),
    "icc2": ("ICC(2)", "ICC(2)"),
    "alpha": ("Cronbachs alfa", "Cronbach's alpha"),
    "omega": ("Omega", "Omega"),
    "engagement": ("Bevlogenheid", "Engagement"),
    "absenteeism": ("Verzuim", "Absenteeism"),
    "strain": ("Belasting", "Strain"),
    "recovery": ("Herstel", "Recovery"),
    "current": ("Nu", "Current"),
    "reachable": ("Haalbaar", "Reachable"),
    "customer": ("klanten", "customers"),
    # columns of the charts' tables
    "label": ("Naam", "Name"),
    "title": ("Naam", "Name"),
    "name": ("Naam", "Name"),
    "unit": ("Eenheid", "Unit"),
    "unit_name": ("Eenheid", "Unit"),
    "scale": ("Schaal", "Scale"),
    "scale_title": ("Schaal", "Scale"),
    "wave": ("Meting", "Wave"),
    "text": ("Waarde", "Value"),
    "v": ("Waarde", "Value"),
    "who": ("Groep", "Group"),
    "colour": ("Score", "Score"),
    "performance": ("Prestatie", "Performance"),
    "quadrant": ("Kwadrant", "Quadrant"),
    "general_dominance_ci_low": ("Ondergrens 95%-BI", "95% CI low"),
    "general_dominance_ci_high": ("Bovengrens 95%-BI", "95% CI high"),
    "employee": ("medewerkers", "employees"),
    # the priority matrix's quadrants (importance x performance)
    "strength": ("Sterk punt", "Strength"),
    "priority": ("Prioriteit", "Priority"),
    "maintain": ("Vasthouden", "Maintain"),
    "secondary": ("Minder urgent", "Lower priority"),
}

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def readable(code: str) -> str:
    """A code a person can read when nothing better is known: ``front_desk`` ->
    "Front desk", ``eng_manager`` -> "Eng manager". Text that is not a code is kept."""
    if not _CODE.match(code):
        return code
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def p_value(p: float | None, prefix: bool = True) -> str:
    """A p-value as a person should read it: "p < 0.001" (never "p = 0.000"), else three
    decimals ("p = 0.042"); "p = –" when missing. ``prefix=False`` leaves out "p = " for
    a table column headed "p" ("< 0.001", "0.042")."""
    if p is None or not math.isfinite(p):
        text = "= –"
    elif p < 0.001:
        text = "< 0.001"
    else:
        text = f"= {p:.3f}"
    if prefix:
        return f"p {text}"
    return text.removeprefix("= ")


class Labels:
    """Titles in one language (``nl`` or ``en``) for the codes of one run's results."""

    def __init__(self, results: Results | None, lang: str) -> None:
        self.lang = "nl" if lang == "nl" else "en"
        self._scales: dict[str, str] = {}
        self._items: dict[str, str] = {}
        if results is not None:
            self._scales = {
                s.name: s.title.get(self.lang) for s in results.scales if s.title is not None
            }
            self._items = {k: t.get(self.lang) for k, t in results.item_titles.items()}

    def _word(self, code: str) -> str | None:
        entry = VOCABULARY.get(code)
        return None if entry is None else entry[0 if self.lang == "nl" else 1]

    def scale(self, name: str) -> str:
        """The title of scale ``name``."""
        return self._scales.get(name) or self._word(name) or readable(name)

    def item(self, item_id: str) -> str:
        """The title of an item (its short title, else its question)."""
        return self._items.get(item_id) or self._word(item_id) or readable(item_id)

    def role(self, code: str) -> str:
        """A role group (``senior_management``), also as a predictor (``eng_manager``:
        the engagement of managers)."""
        if code.startswith("eng_"):
            return self.role(code[4:])
        return self._word(code) or readable(code)

    def unit_kind(self, code: str | None) -> str:
        """A unit kind or unit type; "–" when there is none."""
        if not code:
            return "–"
        return self._word(code) or readable(code)

    def term(self, code: str) -> str:
        """The name of a figure or column (``headcount``, ``r_wg``, ``ci_low``...)."""
        return self._word(code) or readable(code)

    def __call__(self, code: str) -> str:
        """Any code: a scale, an item, a role group or a figure, in that order."""
        if code in self._scales:
            return self._scales[code]
        if code in self._items:
            return self._items[code]
        if code.startswith("eng_"):
            return self.role(code)
        return self._word(code) or readable(code)

    def short(self, code: str, limit: int = 40) -> str:
        """:meth:`__call__`, cut at a word before ``limit`` characters with "…" (for chart
        axes; give the whole title in a tooltip or the table)."""
        return shorten(self(code), limit)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(")
    return cut + "…"
