"""The jargon of the results in plain words, in Dutch and English.

Pages show each term with a tooltip (:func:`short`) and a link to its entry on the
methods page (``/dash/methods#<key>``), which lists :data:`GLOSSARY` in full. The longer
account of each method is ``docs/methods.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GLOSSARY", "Term", "short"]


@dataclass(frozen=True)
class Term:
    """A term: its name and a plain explanation, each ``(nl, en)``."""

    key: str
    name: tuple[str, str]
    plain: tuple[str, str]

    def name_in(self, lang: str) -> str:
        return self.name[0 if lang == "nl" else 1]

    def plain_in(self, lang: str) -> str:
        return self.plain[0 if lang == "nl" else 1]


GLOSSARY: tuple[Term, ...] = (
    Term(
        "ci",
        ("95%-betrouwbaarheidsinterval (BI)", "95% confidence interval (CI)"),
        (
            "De marge rond een uitkomst: met deze gegevens ligt de echte waarde vrijwel zeker "
            "tussen de twee grenzen. Ligt 0 binnen de marge, dan kunnen we nog niet zeggen of "
            "er een verschil of verband is.",
            "The margin around a figure: given these data the true value almost certainly "
            "lies between the two bounds. When 0 lies inside the margin, we cannot tell yet "
            "whether there is a difference or a link.",
        ),
    ),
    Term(
        "p",
        ("p-waarde", "p-value"),
        (
            "Hoe waarschijnlijk een verband zo sterk als dit is als er in werkelijkheid geen "
            "verband is. Klein (onder 0,05) betekent: waarschijnlijk geen toeval. "
            "'p < 0.001' betekent: kleiner dan één op duizend.",
            "How likely a link this strong is if there really is none. Small (below 0.05) "
            "means: probably not chance. 'p < 0.001' means: less than one in a thousand.",
        ),
    ),
    Term(
        "r",
        ("Correlatie (r)", "Correlation (r)"),
        (
            "Hoe sterk twee cijfers samen op- en neergaan, van −1 tot 1. Rond 0: geen "
            "verband; positief: samen hoger; negatief: het een hoger, het ander lager.",
            "How strongly two figures rise and fall together, from −1 to 1. Around 0: no "
            "link; positive: higher together; negative: one higher, the other lower.",
        ),
    ),
    Term(
        "b",
        ("Regressiecoëfficiënt (b)", "Regression coefficient (b)"),
        (
            "Hoeveel het ene cijfer gemiddeld verandert als het andere één punt hoger is.",
            "How much one figure changes on average when the other is one point higher.",
        ),
    ),
    Term(
        "icc",
        ("ICC (intraclass-correlatie)", "ICC (intraclass correlation)"),
        (
            "Hoeveel medewerkers van dezelfde locatie op elkaar lijken. ICC(1) zegt welk deel "
            "van de verschillen tussen locaties ligt; ICC(2) hoe betrouwbaar een "
            "locatiegemiddelde is. Alleen bij voldoende overeenstemming vergelijken we locaties.",
            "How alike employees of the same location are. ICC(1) says what share of the "
            "differences lies between locations; ICC(2) how reliable a location's mean is. "
            "Locations are compared only when they agree enough.",
        ),
    ),
    Term(
        "rwg",
        ("r(wg), overeenstemming binnen een team", "r(wg), agreement within a team"),
        (
            "Hoe eensgezind de antwoorden binnen één groep zijn, van 0 (geen overeenstemming) "
            "tot 1 (iedereen hetzelfde).",
            "How much the answers within one group agree, from 0 (no agreement) to 1 "
            "(everyone the same).",
        ),
    ),
    Term(
        "alpha",
        ("Betrouwbaarheid (alfa, omega)", "Reliability (alpha, omega)"),
        (
            "Of de vragen van een schaal hetzelfde meten. Vanaf ongeveer 0,70 is een "
            "schaalscore betrouwbaar genoeg.",
            "Whether the questions of a scale measure the same thing. From about 0.70 a "
            "scale score is reliable enough.",
        ),
    ),
    Term(
        "dominance",
        ("Dominantieanalyse (belang)", "Dominance analysis (importance)"),
        (
            "Welk deel van de verschillen in een uitkomst (bevlogenheid, klantcijfer) elke "
            "drijfveer verklaart, ook als drijfveren met elkaar samenhangen. Samen tellen de "
            "delen op tot R².",
            "What share of the differences in an outcome (engagement, customer grade) each "
            "driver explains, also when drivers go together. Together the shares add up to R².",
        ),
    ),
    Term(
        "r2",
        ("R² (verklaarde variantie)", "R² (explained variance)"),
        (
            "Welk deel van de verschillen in een uitkomst samen verklaard wordt, van 0 tot 1.",
            "What share of the differences in an outcome is explained together, from 0 to 1.",
        ),
    ),
    Term(
        "riclpm",
        ("RI-CLPM (cross-lagged panelmodel)", "RI-CLPM (cross-lagged panel model)"),
        (
            "Een model over meerdere metingen dat vraagt wat eerst komt: gaan klanten een "
            "hoger cijfer geven nadat medewerkers bevlogener werden, of omgekeerd? Vaste "
            "verschillen tussen locaties worden eruit gehaald ('random intercept').",
            "A model over several waves that asks what comes first: do customers give a "
            "higher grade after employees became more engaged, or the other way round? Lasting "
            "differences between locations are taken out ('random intercept').",
        ),
    ),
    Term(
        "multilevel",
        ("Multilevelmodel", "Multilevel model"),
        (
            "Een model dat rekening houdt met klanten die bij dezelfde locatie horen, zodat "
            "een drukke locatie niet zwaarder telt dan ze is.",
            "A model that takes into account that customers belong to the same location, so "
            "a busy location does not count more than it should.",
        ),
    ),
    Term(
        "nps",
        ("NPS (aanbevelingsscore)", "NPS (Net Promoter Score)"),
        (
            "Het percentage klanten dat ons zeker aanraadt (9–10) min het percentage dat dat "
            "niet doet (0–6), van −100 tot 100.",
            "The percentage of customers who would surely recommend us (9–10) minus those "
            "who would not (0–6), from −100 to 100.",
        ),
    ),
    Term(
        "mirror",
        (
            "Spiegelbeeld: blinde vlek en verborgen sterkte",
            "Mirror: blind spot and hidden strength",
        ),
        (
            "Medewerkers schatten welk cijfer klanten geven. Een blinde vlek: klanten zijn "
            "kritischer dan medewerkers denken; een verborgen sterkte: klanten zijn "
            "positiever. Alleen als het interval het verschil zeker maakt.",
            "Employees estimate the grade customers give. A blind spot: customers are more "
            "critical than employees think; a hidden strength: customers are more positive. "
            "Only when the interval makes the difference certain.",
        ),
    ),
    Term(
        "privacy",
        ("Te weinig antwoorden", "Too few responses"),
        (
            "Een cijfer over een groep met minder respondenten dan het minimum tonen we niet, "
            "en soms ook een tweede cijfer, zodat niemand de kleine groep kan terugrekenen.",
            "A figure about a group with fewer respondents than the minimum is not shown, and "
            "sometimes a second figure too, so that nobody can work out the small group.",
        ),
    ),
)

_BY_KEY = {t.key: t for t in GLOSSARY}


def short(key: str, lang: str) -> str:
    """The plain explanation of term ``key`` (for a tooltip); "" when unknown."""
    term = _BY_KEY.get(key)
    return "" if term is None else term.plain_in(lang)
