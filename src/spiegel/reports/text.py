"""Report wording in Dutch and English."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {"nl": "Spiegelrapport", "en": "Mirror report"},
    "unit_title": {"nl": "Teamrapport", "en": "Team report"},
    "generated": {"nl": "Gemaakt op", "en": "Generated on"},
    "wave": {"nl": "Meting", "en": "Wave"},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "response": {"nl": "Respons en betrouwbaarheid", "en": "Response and reliability"},
    "heatmap": {"nl": "Scores per eenheid", "en": "Scores by unit"},
    "linkage": {"nl": "De link: medewerkers en klanten", "en": "The link: employees and customers"},
    "drivers": {"nl": "Wat drijft bevlogenheid en het klantcijfer", "en": "Key drivers"},
    "mirror": {
        "nl": "Spiegel: zien klanten ons zoals wij denken?",
        "en": "Mirror: do customers see us as we think?",
    },
    "mot": {"nl": "Momenten van de waarheid", "en": "Moments of truth"},
    "risk": {"nl": "Risico: belasting en herstel", "en": "Risk: strain and recovery"},
    "ambition": {"nl": "Realistische ambitie", "en": "Realistic ambition"},
    "comments": {"nl": "Opmerkingen", "en": "Comments"},
    "privacy": {"nl": "Anonimiteit", "en": "Anonymity"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "scale": {"nl": "Schaal", "en": "Scale"},
    "too_few": {"nl": "te weinig", "en": "too few"},
    "not_available": {"nl": "Niet beschikbaar", "en": "Not available"},
    "engagement": {"nl": "Bevlogenheid (1-5)", "en": "Engagement (1-5)"},
    "grade": {"nl": "Klantcijfer (1-10)", "en": "Customer grade (1-10)"},
    "importance": {"nl": "Belang (bijdrage aan R²)", "en": "Importance (share of R²)"},
    "score": {"nl": "Gemiddelde score", "en": "Mean score"},
    "customers": {"nl": "Klanten", "en": "Customers"},
    "employees": {"nl": "Medewerkers (verwachting)", "en": "Employees (expectation)"},
    "current": {"nl": "Nu", "en": "Current"},
    "reachable": {"nl": "Haalbaar", "en": "Reachable"},
    "target": {"nl": "Doel", "en": "Target"},
    "coefficient": {"nl": "Coëfficiënt (95%-BI)", "en": "Coefficient (95% CI)"},
    # issue 15 labels: table headings that were codes or English in the Dutch report
    "n_employees": {"nl": "Medewerkers (n)", "en": "Employees (n)"},
    "n_customers": {"nl": "Klanten (n)", "en": "Customers (n)"},
    "headcount": {"nl": "Aantal medewerkers", "en": "Headcount"},
    "response_pct": {"nl": "Respons (%)", "en": "Response (%)"},
    "items": {"nl": "Vragen", "en": "Items"},
    "median_rwg": {"nl": "Mediane r(wg)", "en": "Median r(wg)"},
    "justified": {"nl": "Verantwoord", "en": "Justified"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "model": {"nl": "Model", "en": "Model"},
    "path": {"nl": "Pad", "en": "Path"},
    "waves": {"nl": "Metingen", "en": "Waves"},
    "ci95": {"nl": "95%-BI", "en": "95% CI"},
    "role_group": {"nl": "Rolgroep", "en": "Role group"},
    "reliability_short": {"nl": "Betrouwbaarheid", "en": "Reliability"},
    "b_corrected": {"nl": "b gecorrigeerd", "en": "b corrected"},
    "b_uncorrected": {"nl": "b ongecorrigeerd", "en": "b uncorrected"},
    "audience_employee": {"nl": "medewerkers", "en": "employees"},
    "audience_customer": {"nl": "klanten", "en": "customers"},
    "audience_360": {"nl": "360°-feedback", "en": "360° feedback"},
    # issue 15 comments
    "theme": {"nl": "Thema (meest kenmerkende woorden)", "en": "Theme (most telling words)"},
    "n_comments": {"nl": "Opmerkingen", "en": "Comments"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "examples": {"nl": "Voorbeelden", "en": "Examples"},
    "no_theme": {"nl": "In geen thema", "en": "In no theme"},
    "themes_customer": {
        "nl": "Thema's in de opmerkingen van klanten",
        "en": "Themes in customers' comments",
    },
    "themes_employee": {
        "nl": "Thema's in de opmerkingen van medewerkers",
        "en": "Themes in employees' comments",
    },
    "comments_customer": {"nl": "klanten", "en": "customers"},
    "comments_employee": {"nl": "medewerkers", "en": "employees"},
    "themes_note": {
        "nl": "Opmerkingen alleen van groepen van minstens {min} respondenten; namen, "
        "e-mailadressen en telefoonnummers onleesbaar gemaakt; dezelfde opmerking één keer, "
        "met hoe vaak ze is gegeven (×). De thema's vond de computer uit de woorden die "
        "opmerkingen gemeen hebben (TF-IDF en NMF), niet een mens: lees de voorbeelden.",
        "en": "Comments only from groups of at least {min} respondents; names, e-mail "
        "addresses and phone numbers masked; the same comment once, with how often it was "
        "given (×). The themes were found by the computer from the words comments share "
        "(TF-IDF and NMF), not by a person: read the examples.",
    },
    # issue 15: report table headings that were English in the Dutch report
    "risk_level": {"nl": "Niveau", "en": "Level"},
    "risk_high": {"nl": "hoog", "en": "high"},
    "risk_watch": {"nl": "opletten", "en": "watch"},
    "absenteeism_pct": {"nl": "Verzuim (%)", "en": "Absenteeism (%)"},
    "turnover_pct": {"nl": "Verloop (%)", "en": "Turnover (%)"},
    "aspect": {"nl": "Aspect", "en": "Aspect"},
    "col_customers": {"nl": "Klanten", "en": "Customers"},
    "col_employees": {"nl": "Verwachting medewerkers", "en": "Employees expect"},
    "gap": {"nl": "Verschil", "en": "Gap"},
    "verdict": {"nl": "Oordeel", "en": "Verdict"},
}


def t(key: str, lang: str) -> str:
    """The text ``key`` in ``lang`` (falls back to English, then the key)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]
