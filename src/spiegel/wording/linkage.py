"""Sentences about the link between employees and customers: across locations, its line,
over time, with customers nested in locations, and by role group.

Each function takes the estimate with its interval and returns a :class:`Sentence` whose
words follow the interval: higher, lower, or "we cannot tell yet".
"""

from __future__ import annotations

from spiegel.wording.estimate import (
    CANNOT_TELL,
    Estimate,
    Lang,
    Sentence,
    Size,
    as_lang,
    interval,
    number,
    size,
)

_LINK_SIZE: dict[Lang, dict[Size, str]] = {
    "en": {
        "negligible": "a very weak link",
        "small": "a weak link",
        "medium": "a moderate link",
        "large": "a strong link",
    },
    "nl": {
        "negligible": "een zeer zwak verband",
        "small": "een zwak verband",
        "medium": "een matig verband",
        "large": "een sterk verband",
    },
}


def correlation(est: Estimate, n_units: int, lang: str) -> Sentence:
    """Engagement against the customer grade across locations (Pearson r)."""
    lg, d = as_lang(lang), est.direction
    r = f"r = {number(est.value)} ({interval(est, lg)})"
    if d == "missing":
        text = (
            "Het verband tussen bevlogenheid en klantcijfer kon niet worden berekend."
            if lg == "nl"
            else "The link between engagement and the customer grade could not be computed."
        )
    elif d == "unclear":
        text = (
            f"Over {n_units} locaties {CANNOT_TELL['nl']} of klanten hogere of lagere cijfers "
            f"geven waar medewerkers bevlogener zijn: {r}; het interval laat ook "
            "ruimte voor helemaal geen verband."
            if lg == "nl"
            else f"Across {n_units} locations {CANNOT_TELL['en']} whether customers give higher "
            f"or lower grades where employees are more engaged: {r}; the interval leaves "
            "room for no link at all."
        )
    else:
        words = _LINK_SIZE[lg][size(est.value, "r") or "negligible"]
        hl = {"positive": ("hogere", "higher"), "negative": ("lagere", "lower")}[d]
        text = (
            f"Op locaties waar medewerkers bevlogener zijn, geven klanten {hl[0]} cijfers: "
            f"{r} over {n_units} locaties, {words}."
            if lg == "nl"
            else f"Where employees are more engaged, customers give {hl[1]} grades: {r} "
            f"across {n_units} locations, {words}."
        )
    return Sentence(text, d)


def slope(est: Estimate, lang: str, *, what: str = "bootstrap") -> Sentence:
    """The line through the locations: grade points per point of engagement. ``what``
    names the interval (``bootstrap`` or empty)."""
    lg, d = as_lang(lang), est.direction
    kind = f"{what} " if what else ""
    ci = kind + interval(est, lg)
    if d == "missing":
        return Sentence("", d)
    if d == "unclear":
        text = (
            f"De lijn door de locaties verandert met {number(est.value, signed=True)} "
            f"cijferpunt per punt bevlogenheid ({ci}); dat kan ook nul zijn: hoeveel het "
            f"cijfer met bevlogenheid verandert, {CANNOT_TELL['nl']}."
            if lg == "nl"
            else f"The line through the locations changes by {number(est.value, signed=True)} "
            f"grade points per point of engagement ({ci}); that could be zero: "
            f"{CANNOT_TELL['en']} how much the grade changes with engagement."
        )
    else:
        assert est.value is not None
        amount = number(abs(est.value))
        hl = {"positive": ("hoger", "higher"), "negative": ("lager", "lower")}[d]
        text = (
            f"Eén punt meer bevlogenheid gaat samen met een {amount} punt {hl[0]} klantcijfer "
            f"({ci})."
            if lg == "nl"
            else f"One point more engagement goes with a customer grade {amount} points "
            f"{hl[1]} ({ci})."
        )
    return Sentence(text, d)


def lagged(est: Estimate, lang: str) -> Sentence:
    """Engagement in one wave against the grade in the next, controlling for the grade
    in the first."""
    lg, d = as_lang(lang), est.direction
    b = f"b = {number(est.value)}, {interval(est, lg)}"
    if d == "missing":
        return Sentence("", d)
    if d == "unclear":
        text = (
            f"Over de tijd: of bevlogenheid in de ene meting samengaat met een hoger of lager "
            f"klantcijfer in de volgende, {CANNOT_TELL['nl']} ({b}; rekening houdend met het "
            "eerdere cijfer)."
            if lg == "nl"
            else f"Over time: {CANNOT_TELL['en']} whether engagement in one wave goes with a "
            f"higher or lower customer grade in the next ({b}; controlling for the earlier "
            "grade)."
        )
    else:
        hl = {"positive": ("hoger", "higher"), "negative": ("lager", "lower")}[d]
        text = (
            f"Over de tijd: waar medewerkers in de ene meting bevlogener zijn, is het "
            f"klantcijfer in de volgende {hl[0]} ({b}), ook als het eerdere cijfer is "
            "meegenomen."
            if lg == "nl"
            else f"Over time: where employees are more engaged in one wave, the customer grade "
            f"is {hl[1]} in the next ({b}), controlling for the earlier grade."
        )
    return Sentence(text, d)


def multilevel(est: Estimate, n_customers: int, n_units: int, lang: str) -> Sentence:
    """Customers nested in locations: a customer's grade on their location's engagement."""
    lg, d = as_lang(lang), est.direction
    b = f"b = {number(est.value)}, {interval(est, lg)}"
    if d == "missing":
        return Sentence("", d)
    if lg == "nl":
        where = f"{n_customers} klanten in {n_units} locaties, multilevel"
        if d == "unclear":
            text = (
                f"Per klant ({where}): of klanten van locaties met bevlogener medewerkers "
                f"hogere of lagere cijfers geven, {CANNOT_TELL['nl']} ({b})."
            )
        else:
            hl = "hogere" if d == "positive" else "lagere"
            text = (
                f"Per klant ({where}): klanten van locaties met bevlogener medewerkers geven "
                f"{hl} cijfers ({b})."
            )
    else:
        where = f"{n_customers} customers in {n_units} locations, multilevel"
        if d == "unclear":
            text = (
                f"Per customer ({where}): {CANNOT_TELL['en']} whether customers of locations "
                f"with more engaged employees give higher or lower grades ({b})."
            )
        else:
            hl = "higher" if d == "positive" else "lower"
            text = (
                f"Per customer ({where}): customers of locations with more engaged employees "
                f"give {hl} grades ({b})."
            )
    return Sentence(text, d)


def role_group(title: str, est: Estimate, lang: str) -> Sentence:
    """One role group's engagement against the grade, the other role groups held equal."""
    lg, d = as_lang(lang), est.direction
    b = f"b = {number(est.value)}, {interval(est, lg)}"
    if d == "missing":
        return Sentence(f"{title}: –", d)
    if d == "unclear":
        text = (
            f"{title}: of meer bevlogenheid samengaat met een hoger of lager klantcijfer, "
            f"{CANNOT_TELL['nl']} ({b})."
            if lg == "nl"
            else f"{title}: {CANNOT_TELL['en']} whether more engagement goes with a higher or "
            f"lower customer grade ({b})."
        )
    else:
        hl = {"positive": ("hoger", "higher"), "negative": ("lager", "lower")}[d]
        text = (
            f"{title}: meer bevlogenheid gaat samen met een {hl[0]} klantcijfer ({b})."
            if lg == "nl"
            else f"{title}: more engagement goes with a {hl[1]} customer grade ({b})."
        )
    return Sentence(text, d)
