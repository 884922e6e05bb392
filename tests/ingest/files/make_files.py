"""Write the example import files in this directory (run: ``uv run python make_files.py``).

The files are small and committed; this script documents exactly what is in them and
produces the binary ones (Excel, SPSS) and the ones whose bytes matter (BOM, cp1252).
Running it again gives the same content (Excel files differ only in their timestamps).

Organisation: Kinderopvang Zonnestraal (root ``ZON``) with two regions, four locations
(``Café De Brug``, ``’t Kabouterhuis``, ``Kindcentrum Zoë``, ``Ééndracht``) and teams.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from openpyxl import Workbook

HERE = Path(__file__).parent

UNITS = [
    # code, name, kind, parent, unit_type
    ("ZON", "Kinderopvang Zonnestraal", "organisation", "", ""),
    ("NOORD", "Regio Noord", "region", "ZON", ""),
    ("ZUID", "Regio Zuid", "regio", "ZON", ""),  # Dutch kind label on purpose
    ("AMS-01", "Café De Brug", "location", "NOORD", "kinderdagverblijf"),
    ("AMS-02", "’t Kabouterhuis", "location", "NOORD", "bso"),
    ("UTR-01", "Kindcentrum Zoë", "locatie", "ZUID", "kinderdagverblijf"),
    ("EIN-01", "Ééndracht", "location", "ZUID", "kinderdagverblijf"),
    ("AMS-01-T1", "Babygroep Zonnetjes", "team", "AMS-01", ""),
    ("AMS-01-T2", "Peutergroep Egeltjes", "team", "AMS-01", ""),
    ("HQ", "Hoofdkantoor", "team", "ZON", "kantoor"),
]

EMPLOYEES = [
    # key, unit (code or name), role group (Dutch label), e-mail, name
    ("E001", "HQ", "Directie", "zoe.devries@zonnestraal.example", "Zoë de Vries"),
    ("E002", "Café De Brug", "Leidinggevende", "anais.bakker@zonnestraal.example", "Anaïs Bakker"),
    ("E003", "AMS-01-T1", "Uitvoerend", "jeroen.muller@zonnestraal.example", "Jeroen Müller"),
    ("E004", "AMS-01-T2", "Uitvoerend", "", "Fenna Ünal"),
    ("E005", "Kindcentrum Zoë", "Leidinggevende", "renee@zonnestraal.example", "Renée Smit"),
    ("E006", "UTR-01", "Uitvoerend", "", ""),
    ("E007", "EIN-01", "front_line", "sem.dijkstra@zonnestraal.example", "Sem Dijkstra"),
    ("E008", "HQ", "Backoffice", "", "Loïs Jansen"),
]

CUSTOMER_ITEMS = [
    "overall_grade",
    "recommend",
    "mot_first_contact",
    "mot_intake",
    "mot_drop_off",
    "mot_pick_up",
    "asp_friendliness",
    "asp_expertise",
    "asp_reliability",
    "asp_care",
]
LOCATIONS = ["AMS-01", "AMS-02", "UTR-01", "EIN-01"]
ENGAGEMENT = [
    "vig_energy",
    "vig_fit",
    "vig_persist",
    "ded_meaning",
    "ded_pride",
    "ded_challenge",
    "abs_focus",
    "abs_deep",
    "abs_hours",
]
AGREE_NL = ["Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens"]


def _write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "\r\n".join(delimiter.join(cell(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))


def units_csv() -> None:
    """``;``-delimited UTF-8 with BOM, as Excel's 'CSV UTF-8' saves it."""
    rows = [["code", "name", "kind", "parent", "unit_type"], *[list(u) for u in UNITS]]
    _write_csv(HERE / "units.csv", rows, ";", "utf-8-sig")


def employees_cp1252() -> None:
    """``;``-delimited Windows-1252 (Excel's plain 'CSV' on a Dutch Windows)."""
    rows = [
        ["Personeelsnummer", "unit", "Functiegroep", "E-mail", "Naam"],
        *[list(e) for e in EMPLOYEES],
    ]
    _write_csv(HERE / "employees_cp1252.csv", rows, ";", "cp1252")


def customer_wide_csv() -> None:
    """Customer responses, wide, ``;`` + BOM, with blanks, a decimal comma and comments."""
    rng = np.random.default_rng(7)
    header = ["respondent", "unit", *CUSTOMER_ITEMS, "comment"]
    rows = [header]
    comments = [
        "Fijne opvang, één klein puntje: de parkeerplaats.",
        "",
        "Heel tevreden over juf Zoë; ze is geweldig!",
        "",
        'Soms "druk" bij het ophalen;\nverder prima.',
    ]
    for i in range(1, 21):
        values = [str(int(v)) for v in rng.integers(6, 11, len(CUSTOMER_ITEMS))]
        values[1] = str(int(rng.integers(0, 11)))  # recommend 0-10
        if i % 4 == 0:
            values[3] = ""  # skipped intake
        if i == 3:
            values[0] = "8,0"  # decimal comma, still a whole number
        rows.append([f"K{i:03d}", LOCATIONS[i % 4], *values, comments[i % 5]])
    _write_csv(HERE / "responses_customer.csv", rows, ";", "utf-8-sig")


def employee_long_csv() -> None:
    """Employee responses in long form: respondent, unit, role group, item, value."""
    rows = [["respondent", "unit", "role_group", "item", "value"]]
    answers = {
        "M01": (
            "AMS-01-T1",
            "front_line",
            [4, 5, 4, 5, 5, 4, 3, 4, 4],
            "Meer tijd voor de kinderen.",
        ),
        "M02": ("AMS-01-T2", "front_line", [3, 3, 2, 4, 4, 3, 3, 2, 3], ""),
        "M03": ("AMS-01", "manager", [5, 4, 4, 5, 5, 5, 4, 4, 5], "Minder vergaderen, a.u.b."),
        "M04": ("HQ", "back_office", [2, 3, 3, 3, 2, 3, 2, 2, 3], ""),
    }
    for respondent, (unit, role, values, comment) in answers.items():
        for item, value in zip(ENGAGEMENT, values, strict=True):
            rows.append([respondent, unit, role, item, str(value)])
        if comment:
            rows.append([respondent, unit, role, "employee_comment", comment])
    _write_csv(HERE / "responses_employee_long.csv", rows, ",", "utf-8")


def employee_xlsx() -> None:
    """Employee responses, wide, as a survey tool exports them to Excel: own column names,
    Dutch answer labels in one column, a date column to ignore (see mapping_employee.yaml)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Resultaten"
    ws.append(
        [
            "Respondent",
            "Team",
            "Functie",
            "Startdatum",
            "vig_energy",
            "vig_fit",
            "vig_persist",
            "Trots",
            "Opmerking",
        ]
    )
    data = [
        ("R1", "AMS-01-T1", "Uitvoerend", 4, 5, 4, "Helemaal eens", "Goed team!"),
        ("R2", "AMS-01-T2", "Uitvoerend", 3, 3, None, "Eens", None),
        ("R3", "AMS-01", "Leidinggevende", 5, 4, 4, "Niet eens, niet oneens", None),
        ("R4", "HQ", "Directie", 4, 4, 5, "Weet niet", "Meer overleg met de locaties."),
        ("R5", "Brug", "MT", 2, 3, 3, "Oneens", None),
    ]
    for i, (resp, unit, role, a, b, c, pride, comment) in enumerate(data):
        ws.append([resp, unit, role, dt.datetime(2026, 3, 2 + i, 9, 30), a, b, c, pride, comment])
    wb.save(HERE / "responses_employee.xlsx")


def employee_sav() -> None:
    """Employee responses in SPSS with value labels: items coded 1-5 with the instrument's
    own labels, one item coded 0-4 (labels tell the values), the unit as a numeric code
    labelled with the unit's name and the role group as a labelled code."""
    units = {
        1.0: "Café De Brug",
        2.0: "’t Kabouterhuis",
        3.0: "Kindcentrum Zoë",
        4.0: "Hoofdkantoor",
    }
    roles = {1.0: "Directie", 2.0: "Leidinggevende", 3.0: "Uitvoerend", 4.0: "Backoffice"}
    frame = pd.DataFrame(
        {
            "resp_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
            "locatie": [1.0, 2.0, 3.0, 4.0, 1.0, 3.0],
            "rol": [3.0, 3.0, 2.0, 1.0, 4.0, 3.0],
            "vig_energy": [4.0, 3.0, 5.0, 4.0, np.nan, 2.0],
            "ded_meaning": [5.0, 4.0, 4.0, 5.0, 3.0, 2.0],
            "abs_focus0": [3.0, 2.0, 4.0, 4.0, 1.0, 0.0],  # coded 0-4
        }
    )
    agree = {float(i + 1): label for i, label in enumerate(AGREE_NL)}
    agree0 = {float(i): label for i, label in enumerate(AGREE_NL)}
    pyreadstat.write_sav(
        frame,
        str(HERE / "responses_employee.sav"),
        column_labels=[
            "Respondent",
            "Locatie",
            "Functiegroep",
            "Ik zit vol energie",
            "Mijn werk is zinvol",
            "Ik ga op in mijn werk",
        ],
        variable_value_labels={
            "locatie": units,
            "rol": roles,
            "vig_energy": agree,
            "ded_meaning": agree,
            "abs_focus0": agree0,
        },
    )


def outcomes_files() -> None:
    """Outcomes wide (tab-delimited, cp1252, decimal commas, '%') and long (Excel)."""
    rows = [
        ["unit", "periode", "Verzuim %", "Verloop %", "Klachten"],
        ["AMS-01", "2026-Q1", "4,2%", "8,5", "3"],
        ["AMS-02", "2026-Q1", "6,1%", "12,0", "5"],
        ["UTR-01", "2026-Q1", "3,0%", "", "1"],
        ["Ééndracht", "2026-Q1", "5,5%", "9,9", "0"],
    ]
    _write_csv(HERE / "outcomes_wide.txt", rows, "\t", "cp1252")
    wb = Workbook()
    ws = wb.active
    ws.append(["unit", "metric", "period", "value"])
    for unit, metric, period, value in [
        ("AMS-01", "wachtlijst", "2026-03", 14),
        ("AMS-02", "wachtlijst", "2026-03", 3),
        ("UTR-01", "wachtlijst", "2026-03", 0),
        ("AMS-01", "omzet", "2026-03", 125000.5),
    ]:
        ws.append([unit, metric, period, value])
    wb.save(HERE / "outcomes_long.xlsx")


def errors_csv() -> None:
    """A responses file with a dozen kinds of mistakes (see tests/ingest/test_errors.py).

    UTF-8 with ``;``; one row holds a Windows-1252 byte and one row has a cell too many.
    """
    header = "respondent;Team;Functie;energie;vitaal;zinvol;contract;opmerking;q99"
    lines = [
        header,
        "P01;AMS-01-T1;Uitvoerend;4;4;5;1;Prima;",  # row 2: fine
        "P02;AMS-99;Uitvoerend;4;4;5;1;;",  # row 3: unknown unit
        "P03;;Uitvoerend;4;4;5;1;;",  # row 4: empty unit
        "P04;AMS-01-T2;Uitvoerend;7;4;5;1;;",  # row 5: out of range
        "P05;AMS-01-T2;Uitvoerend;4;veel;5;1;;",  # row 6: not a number
        "P06;AMS-01-T2;Uitvoerend;4;4;3,5;1;;",  # row 7: decimal, not whole
        "P07;AMS-01-T2;Uitvoerend;4;4;5;9;;",  # row 8: unknown choice code
        "P02;AMS-01-T2;Uitvoerend;4;4;5;1;;",  # row 9: duplicate respondent
        "P09;AMS-01-T2;stagiair;4;4;5;1;;",  # row 10: bad role group
        "P10;AMS-01-T2;;4;4;5;1;;",  # row 11: empty role group
        "P11;AMS-01-T2;Uitvoerend;4;4;5;1;" + "x" * 61 + ";",  # row 12: text too long
        "P12;AMS-01-T2;Uitvoerend;4;4;5;1;;;extra",  # row 13: a cell too many
        "P13;AMS-01-T2;Uitvoerend;4;4;5;1;Zo\x00;",  # row 14: cp1252 byte (below)
        "P14;AMS-01-T2;Uitvoerend;4;4;5;Weet niet;;",  # row 15: mapped to a bad code
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8").replace(b"\x00", b"\xeb")
    # one proper UTF-8 accent elsewhere makes the file recognisably UTF-8
    data = data.replace(b"Prima", "Prima, één ding".encode())
    (HERE / "responses_errors.csv").write_bytes(data)


def main() -> None:
    units_csv()
    employees_cp1252()
    customer_wide_csv()
    employee_long_csv()
    employee_xlsx()
    employee_sav()
    outcomes_files()
    errors_csv()


if __name__ == "__main__":
    main()
