"""Walkthrough: an organisation's own files, as its tools export them, to `spiegel analyze`.

    uv run python bench/exports_walkthrough.py [--locations 30] [--keep]

Writes, in ``bench/out/walkthrough/``, the files a new user brings: a units file and an
HR employees file (``;``-separated, as Dutch Excel saves them), the employee survey of two
waves as Qualtrics exports it (CSV with three header rows, choice texts), the customer
survey of two waves as SurveyMonkey exports it (two header rows, a matrix question) and
outcomes per location and half year in SPSS with the period coded 1-2 and labelled.
Then it runs, one by one, the commands a user runs from those files to `spiegel analyze`
against a new SQLite file, and prints each command with its exit code and seconds
(wall clock, starting the command line included: printed first on its own). The mapping
files are the ones `--suggest-mapping` writes, used without edits; no file is edited.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from spiegel.ingest.rules import item_rules
from spiegel.instruments import get_instrument

OUT = Path(__file__).parent / "out" / "walkthrough"
WAVES = [("2024-H1", "2024-01-01", "2024-06-30"), ("2024-H2", "2024-07-01", "2024-12-31")]
ROLES = [("Directie", 0.03), ("Leidinggevende", 0.12), ("Uitvoerend", 0.70), ("Backoffice", 0.15)]
AGREE = ["Helemaal oneens", "Oneens", "Niet eens, niet oneens", "Eens", "Helemaal eens"]
CITIES = ["Amsterdam", "Utrecht", "Zwolle", "Arnhem", "Breda", "Delft", "Gouda", "Hoorn"]


def _csv(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False) -> str:
    def cell(value: str) -> str:
        if quote_all or any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)


def organisation(n_locations: int) -> tuple[pd.DataFrame, list[str]]:
    """Units: the organisation, three regions and ``n_locations`` locations."""
    rows = [("KOV", "Kinderopvang Het Anker", "organisatie", "")]
    rows += [(f"R{r}", f"Regio {r}", "regio", "KOV") for r in (1, 2, 3)]
    names = []
    for i in range(n_locations):
        name = f"Kindcentrum {CITIES[i % len(CITIES)]} {i // len(CITIES) + 1}"
        names.append(name)
        rows.append((f"L{i + 1:02d}", name, "locatie", f"R{i % 3 + 1}"))
    return pd.DataFrame(rows, columns=["code", "naam", "soort", "bovenliggend"]), names


def employees(names: list[str], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for loc, name in enumerate(names):
        for k in range(int(rng.integers(15, 26))):
            role = rng.choice([r for r, _ in ROLES], p=[p for _, p in ROLES])
            key = f"P{loc + 1:02d}{k:03d}"
            rows.append((key, name, role, f"{key.lower()}@anker.example"))
    return pd.DataFrame(rows, columns=["Personeelsnummer", "Locatie", "Functiegroep", "E-mail"])


def qualtrics_export(staff: pd.DataFrame, wave: int, rng: np.random.Generator) -> str:
    """The whole employee questionnaire, as Qualtrics' CSV with choice texts."""
    instrument = get_instrument("employee")
    rules = item_rules(instrument)
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)"]
    meta += ["Finished", "RecordedDate", "ResponseId", "DistributionChannel", "UserLanguage"]
    ids = [*meta, "QID1", "QID2"]
    texts = [*meta, "Op welke locatie werk je?", "Wat is je functie?"]
    block = "Hoe sterk ben je het eens met de volgende uitspraken?"
    for k, item in enumerate(instrument.items, start=1):
        ids.append(f"QID3_{k}" if rules[item.id].kind != "text" else "QID4_TEXT")
        text = item.text.nl.rstrip(".") if k % 3 == 0 else item.text.nl
        texts.append(f"{block} - {text}" if rules[item.id].kind == "agreement" else text)
    rows = [ids, texts, [f'{{"ImportId":"{i}"}}' for i in ids]]
    answering = staff.sample(frac=0.7, random_state=wave)
    location_effect = {name: rng.normal(0, 0.4) for name in staff["Locatie"].unique()}
    for n, person in enumerate(answering.itertuples()):
        level = 3.6 + location_effect[person.Locatie] + rng.normal(0, 0.5)
        start = pd.Timestamp(f"2024-{3 + 6 * (wave - 1):02d}-04 08:00")
        start += pd.Timedelta(minutes=7 * n)
        row = [str(start), str(start + pd.Timedelta(minutes=9)), "0", "", "100", "540", "1"]
        row += [str(start), f"R_{wave}{n:05d}{rng.integers(10**6):06d}", "anonymous", "NL"]
        row += [person.Locatie, person.Functiegroep]
        for item in instrument.items:
            rule = rules[item.id]
            if rule.kind == "text":
                row.append("Meer collega's op de groep." if n % 9 == 0 else "")
            elif rng.random() < 0.04:
                row.append("")
            elif rule.kind == "agreement":
                row.append(AGREE[int(np.clip(round(level + rng.normal(0, 0.8)), 1, 5)) - 1])
            else:
                row.append(str(int(np.clip(round(level * 2 + rng.normal(0, 1)), 1, 10))))
        rows.append(row)
    return _csv(rows, quote_all=True)


def surveymonkey_export(names: list[str], wave: int, rng: np.random.Generator) -> str:
    """The customer questionnaire as SurveyMonkey's condensed CSV."""
    instrument = get_instrument("customer")
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    first += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    second = [""] * len(first)
    first += ["Bij welke locatie komt uw kind?"]
    second += ["Response"]
    items: list[str] = []
    for scale in (None, "moments_of_truth", "aspects"):
        if scale is None:
            for item_id in ("overall_grade", "recommend"):
                first.append(instrument.item(item_id).text.nl)
                second.append("Response")
                items.append(item_id)
            continue
        ids = instrument.scale(scale).item_ids
        first += ["Welk cijfer geeft u voor:"] + [""] * (len(ids) - 1)
        for item_id in ids:
            second.append(
                instrument.item(item_id).text.nl.removeprefix("Welk cijfer geeft u ").rstrip("?")
            )
            items.append(item_id)
    first.append(instrument.item("comment").text.nl)
    second.append("Open-Ended Response")
    rows = [first, second]
    quality = {name: rng.normal(0, 0.6) for name in names}
    for loc, name in enumerate(names):
        for k in range(int(rng.integers(40, 70))):
            level = 7.6 + quality[name] + rng.normal(0, 0.8)
            row = [str(11_450_000_000 + wave * 10**7 + loc * 1000 + k), "4321", "", "", ""]
            row += ["", "", "", "", name]
            for item_id in items:
                if item_id.startswith("mot_") and rng.random() < 0.3:
                    row.append("")  # a moment this parent did not have
                elif item_id == "recommend":
                    row.append(str(int(np.clip(round(level + rng.normal(0, 1.2)), 0, 10))))
                else:
                    row.append(str(int(np.clip(round(level + rng.normal(0, 0.9)), 1, 10))))
            row.append("Fijne opvang!" if k % 11 == 0 else "")
            rows.append(row)
    return _csv(rows)


def outcomes_sav(path: Path, names: list[str], rng: np.random.Generator) -> None:
    locations = {float(i + 1): name for i, name in enumerate(names)}
    periods = {float(i + 1): wave for i, (wave, _, _) in enumerate(WAVES)}
    rows = [(loc, per) for loc in locations for per in periods]
    frame = pd.DataFrame(
        {
            "locatie": [r[0] for r in rows],
            "periode": [r[1] for r in rows],
            "verzuim": np.round(rng.uniform(2, 9, len(rows)), 1),
            "verloop": np.round(rng.uniform(4, 18, len(rows)), 1),
            "klachten": rng.integers(0, 6, len(rows)).astype(float),
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Locatie", "Periode", "Verzuim %", "Verloop %", "Klachten"],
        variable_value_labels={"locatie": locations, "periode": periods},
    )


def write_files(n_locations: int) -> None:
    rng = np.random.default_rng(2024)
    OUT.mkdir(parents=True, exist_ok=True)
    units, names = organisation(n_locations)
    (OUT / "eenheden.csv").write_bytes(units.to_csv(sep=";", index=False).encode("utf-8-sig"))
    staff = employees(names, rng)
    (OUT / "medewerkers_hr.csv").write_bytes(staff.to_csv(sep=";", index=False).encode("cp1252"))
    for wave in (1, 2):
        label = WAVES[wave - 1][0]
        (OUT / f"qualtrics_mw_{label}.csv").write_bytes(
            qualtrics_export(staff, wave, rng).encode("utf-8-sig")
        )
        (OUT / f"surveymonkey_ouders_{label}.csv").write_bytes(
            surveymonkey_export(names, wave, rng).encode("utf-8")
        )
    outcomes_sav(OUT / "kpi.sav", names, rng)


def commands(db: Path) -> list[str]:
    d = f"--db {db}"
    out = [f"spiegel db upgrade {d}"]
    out += [
        f"spiegel import units eenheden.csv {d}",
        f"spiegel import employees medewerkers_hr.csv {d}",
    ]
    out += [f"spiegel waves add {w} --start {s} --end {e} {d}" for w, s, e in WAVES]
    first = WAVES[0][0]
    out += [
        f"spiegel import responses qualtrics_mw_{first}.csv --survey mw-{first} "
        f"--instrument employee --suggest-mapping mw.yaml {d}",
        f"spiegel import responses surveymonkey_ouders_{first}.csv --survey ouders-{first} "
        f"--instrument customer --suggest-mapping ouders.yaml {d}",
    ]
    for wave, _, _ in WAVES:
        out += [
            f"spiegel import responses qualtrics_mw_{wave}.csv --survey mw-{wave} "
            f"--wave {wave} --mapping mw.yaml {d}",
            f"spiegel import responses surveymonkey_ouders_{wave}.csv --survey ouders-{wave} "
            f"--wave {wave} --mapping ouders.yaml {d}",
        ]
    out += [f"spiegel import outcomes kpi.sav {d}", f"spiegel import list {d}"]
    out += [f"spiegel analyze {d}"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locations", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    write_files(args.locations)
    db = OUT / "anker.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "COLUMNS": "120"}
    failed = 0
    start = time.perf_counter()
    subprocess.run(["uv", "run", "spiegel", "--version"], cwd=OUT, env=env, capture_output=True)
    print(f"(starting the command line alone: {time.perf_counter() - start:.1f} s)")
    for command in commands(db.name):
        start = time.perf_counter()
        done = subprocess.run(
            ["uv", "run", *shlex.split(command)], cwd=OUT, env=env, capture_output=True, text=True
        )
        seconds = time.perf_counter() - start
        print(f"$ {command.replace(f' --db {db.name}', '')}")
        print(f"  exit {done.returncode}, {seconds:.1f} s")
        shown = (done.stdout + done.stderr).strip().splitlines()
        for line in shown[:12] if "analyze" not in command else shown[-25:]:
            print(f"  | {line}")
        failed += done.returncode != 0
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
