"""Write survey-tool exports as the tools write them (run: ``uv run python make_exports.py``).

Each file in ``exports/`` imitates one tool's own export of a small survey of the example
organisation (``units.csv``): the header rows, metadata columns, answer codes or texts and
encodings the tools use. None of them is edited for Spiegel; ``docs/import-formats.md``
describes what Spiegel does with each.

* ``qualtrics_numeric.csv``, ``qualtrics_text.csv`` - Qualtrics "CSV" with its three header
  rows (column ids, question texts, ``{"ImportId": ...}``), with numeric values and with
  choice texts; ``qualtrics.sav`` - the same survey as Qualtrics' SPSS export.
* ``surveymonkey.csv`` - SurveyMonkey "All responses, condensed": two header rows.
* ``google_forms.csv`` - a Google Forms sheet downloaded as CSV (``Tijdstempel`` first).
* ``ms_forms.xlsx`` - Microsoft Forms "Open in Excel" (``ID``, ``Start time``, ...).
* ``limesurvey.csv`` and ``limesurvey.sav`` - LimeSurvey exports with question codes.
* ``title_row.xlsx`` - a sheet with a title and an empty row above the header.
* ``outcomes_periods.sav`` - outcomes with the period coded 1-4, labelled ``2024-H1``...
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from openpyxl import Workbook

OUT = Path(__file__).parent / "exports"

LOCATIONS = ["Café De Brug", "’t Kabouterhuis", "Kindcentrum Zoë", "Ééndracht"]
ROLES = ["Directie", "Leidinggevende", "Uitvoerend", "Backoffice"]
AGREE_NL = ["Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens"]
AGREE_EN = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
# The engagement statements as the survey designer typed them: some word for word, some
# slightly different from the instrument's text (a real questionnaire drifts).
STATEMENTS = [
    ("vig_energy", "Ik begin mijn werkdag meestal met voldoende energie."),
    ("vig_fit", "Tijdens het werk voel ik me fit en alert"),
    ("vig_persist", "Als het tegenzit in mijn werk zet ik gewoon door."),
    ("ded_meaning", "Het werk dat ik doe doet er echt toe."),
    ("ded_pride", "Ik vertel anderen graag wat voor werk ik doe."),
    ("abs_focus", "Als ik aan het werk ben heb ik mijn aandacht er volledig bij."),
]
MATRIX = "Hoe sterk ben je het eens met de volgende uitspraken?"
COMMENT = "Wat zou jouw werk (nog) beter maken?"
N_EMPLOYEES = 12


def _employees() -> pd.DataFrame:
    rng = np.random.default_rng(14)
    frame = pd.DataFrame(
        {
            "loc": rng.integers(1, 5, N_EMPLOYEES),
            "role": [3, 3, 2, 1, 4, 3, 3, 2, 3, 3, 4, 3],
        }
    )
    for k, (item, _) in enumerate(STATEMENTS):
        values = rng.integers(2, 6, N_EMPLOYEES).astype(float)
        values[(np.arange(N_EMPLOYEES) + k) % 7 == 0] = np.nan
        frame[item] = values
    frame["comment"] = [
        "",
        "Meer tijd voor de kinderen.",
        "",
        "",
        "Minder vergaderen, a.u.b.",
        "",
    ] * 2
    return frame


def _csv(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False) -> str:
    def cell(value: str) -> str:
        if quote_all or any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)


QUALTRICS_META = [
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Europe/Amsterdam"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Europe/Amsterdam"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "Europe/Amsterdam"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
    ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
]


def _qualtrics_questions() -> list[tuple[str, str, dict[str, str]]]:
    questions = [
        ("Q1", "Op welke locatie werk je?", {"ImportId": "QID1"}),
        ("Q2", "Wat is je functie?", {"ImportId": "QID2"}),
    ]
    for k, (_, statement) in enumerate(STATEMENTS, start=1):
        questions.append((f"Q3_{k}", f"{MATRIX} - {statement}", {"ImportId": f"QID3_{k}"}))
    questions.append(("Q4", COMMENT, {"ImportId": "QID4_TEXT"}))
    return questions


def _qualtrics_meta_values(i: int) -> list[str]:
    start = dt.datetime(2024, 3, 4, 9, 0) + dt.timedelta(hours=5 * i)
    return [
        start.strftime("%Y-%m-%d %H:%M:%S"),
        (start + dt.timedelta(minutes=7)).strftime("%Y-%m-%d %H:%M:%S"),
        "0",
        "",
        "100",
        str(400 + 13 * i),
        "1",
        (start + dt.timedelta(minutes=7)).strftime("%Y-%m-%d %H:%M:%S"),
        f"R_{i:02d}xQz8LmK4pT{i * 7:03d}",
        "",
        "",
        "",
        "",
        "52.37",
        "4.89",
        "anonymous",
        "NL",
    ]


def qualtrics_csv(choice_text: bool) -> str:
    frame = _employees()
    columns = QUALTRICS_META + _qualtrics_questions()
    rows = [
        [c[0] for c in columns],
        [c[1] for c in columns],
        [json.dumps(c[2], separators=(",", ":")) for c in columns],
    ]
    for i, r in frame.iterrows():
        answers = [
            LOCATIONS[r["loc"] - 1] if choice_text else str(r["loc"]),
            ROLES[r["role"] - 1] if choice_text else str(r["role"]),
        ]
        for item, _ in STATEMENTS:
            value = r[item]
            if np.isnan(value):
                answers.append("")
            else:
                answers.append(AGREE_NL[int(value) - 1] if choice_text else str(int(value)))
        answers.append(r["comment"])
        rows.append(_qualtrics_meta_values(int(i)) + answers)
    return _csv(rows, quote_all=True)


def qualtrics_sav(path: Path) -> None:
    frame = _employees()
    data: dict[str, object] = {
        "StartDate": [dt.datetime(2024, 3, 4, 9) + dt.timedelta(hours=5 * i) for i in frame.index],
        "Progress": [100.0] * len(frame),
        "Duration__in_seconds_": [400.0 + 13 * i for i in frame.index],
        "Finished": [1.0] * len(frame),
        "ResponseId": [f"R_{i:02d}sav{i * 3:03d}" for i in frame.index],
        "DistributionChannel": ["anonymous"] * len(frame),
        "UserLanguage": ["EN"] * len(frame),
        "Q1": frame["loc"].astype(float),
        "Q2": frame["role"].astype(float),
    }
    labels = ["Start Date", "Progress", "Duration (in seconds)", "Finished", "Response ID"]
    labels += ["Distribution Channel", "User Language", "Which location do you work at?"]
    labels += ["What is your role?"]
    english = [
        "I usually start my working day with plenty of energy.",
        "While I work I feel fit and alert.",
        "When things go against me at work, I simply keep going.",
        "The work I do really matters.",
        "I like telling other people what kind of work I do.",
        "When I am working, my attention is fully on what I am doing.",
    ]
    agree = {float(k): label for k, label in enumerate(AGREE_EN, start=1)}
    value_labels: dict[str, dict[float, str]] = {
        "Finished": {0.0: "False", 1.0: "True"},
        "Q1": {float(k): name for k, name in enumerate(LOCATIONS, start=1)},
        "Q2": {1.0: "Senior management", 2.0: "Manager", 3.0: "Front line", 4.0: "Back office"},
    }
    for k, ((item, _), text) in enumerate(zip(STATEMENTS, english, strict=True), start=1):
        data[f"Q3_{k}"] = frame[item]
        labels.append(f"To what extent do you agree? - {text}")
        value_labels[f"Q3_{k}"] = agree
    data["Q4"] = frame["comment"]
    labels.append("What would make your work (even) better?")
    pyreadstat.write_sav(
        pd.DataFrame(data),
        str(path),
        column_labels=labels,
        variable_value_labels=value_labels,
    )


def surveymonkey_csv() -> str:
    """Customers: two header rows; a matrix question spans several columns."""
    moments = [
        ("Het eerste contact (telefoon, e-mail of website)", "mot_first_contact"),
        ("Het kennismakingsgesprek", "mot_intake"),
        ("Het brengen van uw kind", "mot_drop_off"),
        ("Het ophalen van uw kind", "mot_pick_up"),
    ]
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    first += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    second = [""] * len(first)
    first += ["Welke locatie bezoekt u?", "Welk rapportcijfer geeft u ons, alles bij elkaar?"]
    second += ["Response", "Response"]
    first += ["Hoe waarschijnlijk is het dat u ons aanraadt aan vrienden of familie?"]
    second += ["Response"]
    first += ["Welk cijfer geeft u deze momenten?"] + [""] * (len(moments) - 1)
    second += [text for text, _ in moments]
    first += ["Wilt u ons nog iets meegeven?"]
    second += ["Open-Ended Response"]
    rows = [first, second]
    rng = np.random.default_rng(5)
    for i in range(15):
        start = dt.datetime(2024, 3, 11, 8, 30) + dt.timedelta(hours=9 * i)
        row = [
            str(114_560_000_000 + 7919 * i),
            "432198765",
            start.strftime("%m/%d/%Y %I:%M:%S %p"),
            (start + dt.timedelta(minutes=3)).strftime("%m/%d/%Y %I:%M:%S %p"),
            f"145.{i}.12.{200 + i}",
            "",
            "",
            "",
            "",
            LOCATIONS[i % 4],
            str(int(rng.integers(6, 11))),
            str(int(rng.integers(0, 11))),
        ]
        row += ["" if (i + k) % 5 == 0 else str(int(rng.integers(5, 11))) for k in range(4)]
        row += ["Fijne opvang, alleen het parkeren is lastig." if i % 6 == 0 else ""]
        rows.append(row)
    return _csv(rows)


def google_forms_csv() -> str:
    """Customers: one header row with the full question texts, a timestamp first."""
    header = [
        "Tijdstempel",
        "E-mailadres",
        "Op welke locatie zit uw kind?",
        "Welk rapportcijfer geeft u ons, alles bij elkaar genomen?",
        "Hoe waarschijnlijk is het dat u ons aanraadt aan vrienden, familie of bekenden?",
        "Welk cijfer geeft u de vriendelijkheid van onze medewerkers?",
        "Welk cijfer geeft u de deskundigheid van onze medewerkers?",
        "Wilt u ons nog iets meegeven? Wat doen we goed en wat kan beter?",
    ]
    rows = [header]
    rng = np.random.default_rng(9)
    for i in range(10):
        when = dt.datetime(2024, 3, 12, 10, 0) + dt.timedelta(hours=7 * i, seconds=17 * i)
        rows.append(
            [
                f"{when.day}-{when.month}-{when.year} {when:%H:%M:%S}",
                "",
                LOCATIONS[(i + 1) % 4],
                str(int(rng.integers(6, 11))),
                str(int(rng.integers(0, 11))),
                str(int(rng.integers(6, 11))),
                "" if i == 4 else str(int(rng.integers(6, 11))),
                "Heel tevreden, dank jullie wel!" if i == 2 else "",
            ]
        )
    return _csv(rows)


def ms_forms_xlsx(path: Path) -> None:
    """Employees: ID, Start time, Completion time, Email, Name, then question texts."""
    frame = _employees()
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += ["Op welke locatie werk je?", "Wat is je functie?"]
    header += [statement for _, statement in STATEMENTS]
    header += [COMMENT]
    ws.append(header)
    for i, r in frame.iterrows():
        start = dt.datetime(2024, 3, 5, 8, 15) + dt.timedelta(hours=3 * int(i))
        row: list[object] = [int(i) + 1, start, start + dt.timedelta(minutes=6)]
        row += ["anonymous", None, None, LOCATIONS[r["loc"] - 1], ROLES[r["role"] - 1]]
        row += [None if np.isnan(r[item]) else AGREE_NL[int(r[item]) - 1] for item, _ in STATEMENTS]
        row += [r["comment"] or None]
        ws.append(row)
    wb.save(path)


def limesurvey_csv() -> str:
    """Employees: LimeSurvey's 'question code' headings; list answers by their codes
    (``L1``, ``F3``), the 5-point array by its values 1-5."""
    frame = _employees()
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "locatie", "functie"]
    header += [f"eng[SQ00{k}]" for k in range(1, len(STATEMENTS) + 1)]
    header += ["opm"]
    rows = [header]
    for i, r in frame.iterrows():
        row = [str(int(i) + 1), f"2024-03-0{1 + int(i) % 8} 10:1{int(i) % 10}:00", "3", "nl"]
        row += [str(1_234_567 + int(i)), f"L{r['loc']}", f"F{r['role']}"]
        row += ["" if np.isnan(r[item]) else str(int(r[item])) for item, _ in STATEMENTS]
        row += [r["comment"]]
        rows.append(row)
    return _csv(rows)


def limesurvey_sav(path: Path) -> None:
    """The same survey as LimeSurvey's SPSS export: numeric codes with value labels."""
    frame = _employees()
    data: dict[str, object] = {
        "id": np.arange(1, len(frame) + 1, dtype=float),
        "submitdate": [f"2024-03-01 10:{i:02d}:00" for i in range(len(frame))],
        "lastpage": [3.0] * len(frame),
        "startlanguage": ["nl"] * len(frame),
        "locatie": frame["loc"].astype(float),
        "functie": frame["role"].astype(float),
    }
    labels = ["Antwoord ID", "Datum verstuurd", "Laatste pagina", "Starttaal"]
    labels += ["Op welke locatie werk je?", "Wat is je functie?"]
    agree = {float(k): label for k, label in enumerate(AGREE_NL, start=1)}
    value_labels: dict[str, dict[float, str]] = {
        "locatie": {float(k): name for k, name in enumerate(LOCATIONS, start=1)},
        "functie": {float(k): name for k, name in enumerate(ROLES, start=1)},
    }
    for k, (item, statement) in enumerate(STATEMENTS, start=1):
        data[f"eng_SQ00{k}"] = frame[item]
        labels.append(f"[{statement}] {MATRIX}")
        value_labels[f"eng_SQ00{k}"] = agree
    pyreadstat.write_sav(
        pd.DataFrame(data), str(path), column_labels=labels, variable_value_labels=value_labels
    )


def title_row_xlsx(path: Path) -> None:
    """A report sheet: a title in A1, an empty row, then the header in row 3."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["Medewerkersonderzoek Zonnestraal - export van 12 maart 2024"])
    ws.append([])
    ws.append(["respondent", "unit", "role_group", "vig_energy", "vig_fit", "ded_meaning"])
    data = [
        ("T1", "AMS-01-T1", "front_line", 4, 5, 4),
        ("T2", "AMS-01-T2", "front_line", 3, 3, None),
        ("T3", "AMS-01", "manager", 5, 4, 4),
        ("T4", "HQ", "senior_management", 4, 4, 5),
        ("T5", "UTR-01", "back_office", 2, 3, 3),
    ]
    for row in data:
        ws.append(list(row))
    wb.save(path)


def outcomes_periods_sav(path: Path) -> None:
    """Outcomes per location and half year; the period is coded 1-4 with labels."""
    units = {1.0: "AMS-01", 2.0: "AMS-02", 3.0: "UTR-01", 4.0: "EIN-01"}
    periods = {1.0: "2024-H1", 2.0: "2024-H2", 3.0: "2025-H1", 4.0: "2025-H2"}
    rows = [(u, p) for u in units for p in periods]
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "locatie": [u for u, _ in rows],
            "periode": [p for _, p in rows],
            "verzuim": np.round(rng.uniform(2, 8, len(rows)), 1),
            "verloop": np.round(rng.uniform(5, 15, len(rows)), 1),
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Locatie", "Periode", "Verzuim %", "Verloop %"],
        variable_value_labels={"locatie": units, "periode": periods},
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "qualtrics_numeric.csv").write_bytes(qualtrics_csv(False).encode("utf-8-sig"))
    (OUT / "qualtrics_text.csv").write_bytes(qualtrics_csv(True).encode("utf-8-sig"))
    qualtrics_sav(OUT / "qualtrics.sav")
    (OUT / "surveymonkey.csv").write_bytes(surveymonkey_csv().encode("utf-8"))
    (OUT / "google_forms.csv").write_bytes(google_forms_csv().encode("utf-8"))
    ms_forms_xlsx(OUT / "ms_forms.xlsx")
    (OUT / "limesurvey.csv").write_bytes(limesurvey_csv().encode("utf-8"))
    limesurvey_sav(OUT / "limesurvey.sav")
    title_row_xlsx(OUT / "title_row.xlsx")
    outcomes_periods_sav(OUT / "outcomes_periods.sav")


if __name__ == "__main__":
    main()
