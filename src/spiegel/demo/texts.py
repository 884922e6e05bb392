"""Dutch names and open-comment templates for the demo organisation (our own, invented)."""

from __future__ import annotations

__all__ = [
    "EMPLOYEE_COMMENTS",
    "LOCATION_NAMES",
    "LOCATION_TYPES",
    "NEGATIVE_BY_ASPECT",
    "NEGATIVE_COMMENTS",
    "ORGANISATION_NAME",
    "POSITIVE_COMMENTS",
    "REGION_NAMES",
    "REGION_TOWNS",
    "TEAM_NAMES",
]

ORGANISATION_NAME = "Kinderopvang Het Klaverblad"

REGION_NAMES: tuple[str, ...] = (
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "Midden",
    "Noordwest",
    "Zuidoost",
    "Zuidwest",
    "Noordoost",
    "Kust",
    "Rivierenland",
    "Veluwe",
)

# Towns per region (cycled when there are more regions than lists).
REGION_TOWNS: tuple[tuple[str, ...], ...] = (
    (
        "Groningen",
        "Assen",
        "Leeuwarden",
        "Drachten",
        "Emmen",
        "Hoogeveen",
        "Meppel",
        "Heerenveen",
        "Sneek",
        "Veendam",
        "Winschoten",
        "Stadskanaal",
    ),
    (
        "Zwolle",
        "Deventer",
        "Apeldoorn",
        "Enschede",
        "Hengelo",
        "Almelo",
        "Doetinchem",
        "Zutphen",
        "Kampen",
        "Arnhem",
        "Nijmegen",
        "Harderwijk",
    ),
    (
        "Eindhoven",
        "Tilburg",
        "Breda",
        "Den Bosch",
        "Helmond",
        "Oss",
        "Venlo",
        "Roermond",
        "Maastricht",
        "Heerlen",
        "Sittard",
        "Waalwijk",
    ),
    (
        "Haarlem",
        "Leiden",
        "Delft",
        "Gouda",
        "Alkmaar",
        "Hoorn",
        "Zaandam",
        "Den Haag",
        "Zoetermeer",
        "Dordrecht",
        "Schiedam",
        "Purmerend",
    ),
    (
        "Utrecht",
        "Amersfoort",
        "Zeist",
        "Houten",
        "Veenendaal",
        "Hilversum",
        "Ede",
        "Nieuwegein",
        "Woerden",
        "Baarn",
        "Soest",
        "Bunnik",
    ),
)

LOCATION_TYPES: tuple[tuple[str, str], ...] = (
    # (unit_type, name prefix)
    ("kinderdagverblijf", "Kinderdagverblijf"),
    ("kinderdagverblijf", "Kinderdagverblijf"),
    ("bso", "BSO"),
    ("kindcentrum", "Kindcentrum"),
    ("peuteropvang", "Peuteropvang"),
)

LOCATION_NAMES: tuple[str, ...] = (
    "De Regenboog",
    "Het Zonnetje",
    "De Speelboom",
    "Klavertje Vier",
    "De Boomhut",
    "Het Kabouterhuis",
    "De Vlindertuin",
    "Dikkertje Dap",
    "De Kleine Wereld",
    "Pinkeltje",
    "De Zandbak",
    "Het Vogelnest",
    "De Eikel",
    "Kiekeboe",
    "De Duinpieper",
    "Het Molentje",
    "De Kikkerpoel",
    "De Wolkentuin",
    "De Speeldoos",
    "Het Bijenkorfje",
    "De Wielewaal",
    "Hummeltjeshonk",
    "De Krullevaar",
    "Ukkepuk",
    "De Notendop",
    "Het Hoefijzer",
    "De Paddestoel",
    "De Zonnebloem",
    "De Uilenburcht",
    "Het Kasteeltje",
    "De Klimboom",
    "De Bolderkar",
    "De Tovertuin",
    "De Lindeboom",
    "Het Speelkwartier",
    "De Dijkhoeve",
    "Polderpret",
    "Het Slootje",
    "De Berenboot",
    "De Walvis",
    "Het Klokhuis",
    "De Vuurtoren",
)

TEAM_NAMES: tuple[str, ...] = (
    "De Rupsjes",
    "De Vlinders",
    "De Egeltjes",
    "De Uiltjes",
    "De Kikkers",
    "De Lieveheersbeestjes",
    "De Dolfijnen",
    "De Pinguïns",
    "De Sterretjes",
    "De Ontdekkers",
    "De Bijtjes",
    "De Konijntjes",
    "De Eendjes",
    "De Avonturiers",
)

# Customer (parent) comments. Positive for high grades, negative for low ones; the
# aspect-tied negatives are used more often where that aspect is a blind spot.
POSITIVE_COMMENTS: tuple[str, ...] = (
    "Onze dochter gaat elke dag met plezier naar de groep.",
    "De leidsters zijn ontzettend lief en betrokken, we voelen ons echt gehoord.",
    "Fijne, warme sfeer op de groep. Ons kind komt altijd vrolijk thuis.",
    "Bij het ophalen krijgen we altijd een goede overdracht over de dag.",
    "Heel tevreden over de leuke activiteiten, ook buiten in de tuin.",
    "Het wendproces is heel goed begeleid, dank daarvoor!",
    "Vaste gezichten op de groep, dat geeft ons en onze zoon veel rust.",
    "De foto's en berichtjes in de app maken onze werkdag een stuk leuker.",
    "Ze denken echt mee als er iets speelt met ons kind. Top!",
    "Flexibel met het ruilen van dagen, dat waarderen we enorm.",
    "Mooie, schone ruimtes en goed speelgoed.",
    "Wij raden deze opvang aan iedereen aan.",
    "Onze zoon heeft hier veel geleerd, hij is echt opgebloeid.",
    "Prettig contact met de locatiemanager, vragen worden snel beantwoord.",
)

NEGATIVE_COMMENTS: tuple[str, ...] = (
    "Er zijn de laatste tijd veel invalkrachten, ons kind weet niet meer wie er staat.",
    "De groep is vaak te vol en het personeel lijkt gehaast.",
    "Jammer dat de tuin zo weinig gebruikt wordt.",
    "De kosten stijgen elk jaar, terwijl de kwaliteit niet beter wordt.",
    "Het eten zou gezonder en gevarieerder mogen.",
    "Wij merken dat de leidsters moe zijn en weinig tijd hebben.",
    "Te weinig uitdagende activiteiten voor de oudere kinderen.",
)

#: Negative comments tied to a mirror aspect (by the part of the item id after ``asp_``).
NEGATIVE_BY_ASPECT: dict[str, tuple[str, ...]] = {
    "communication": (
        "We horen te weinig over hoe de dag van ons kind is verlopen.",
        "Veranderingen op de groep hoorden we pas achteraf.",
    ),
    "responsiveness": (
        "Het duurt vaak dagen voordat we antwoord krijgen op een mail.",
        "Een vraag over de planning bleef twee weken liggen.",
    ),
    "reliability": (
        "Afspraken worden regelmatig vergeten, bijvoorbeeld over het slaapje.",
        "De ruildagen zijn nooit goed geregeld, ondanks toezeggingen.",
    ),
    "friendliness": (
        "Bij het brengen worden we soms nauwelijks begroet.",
        "De toon naar ouders kan wel wat vriendelijker.",
    ),
    "expertise": (
        "Bij zorgen over de ontwikkeling van ons kind wist men niet goed wat te doen.",
        "Nieuwe medewerkers lijken weinig ervaring te hebben met baby's.",
    ),
    "care": (
        "Ons kind kwam al een paar keer met een onverklaarde buil thuis.",
        "De deur van de gang staat vaak open, dat voelt niet veilig.",
    ),
}

EMPLOYEE_COMMENTS: tuple[str, ...] = (
    "Meer tijd voor overleg met collega's zou helpen.",
    "Ik zou graag vaker horen wat ik goed doe.",
    "De werkdruk is hoog door het vele invallen.",
    "Minder administratie, meer tijd voor de kinderen.",
    "Fijn team, ik ga met plezier naar mijn werk.",
    "Graag meer ruimte om zelf activiteiten te bedenken.",
    "Een vaste pauze zonder kinderen zou veel schelen.",
    "Meer scholing over gedrag en ontwikkeling van kinderen.",
    "Duidelijkere communicatie vanuit het centraal bureau.",
    "Ik mis soms het vertrouwen om zelf beslissingen te nemen.",
)
