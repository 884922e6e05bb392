"""Importing survey responses: wide and long, CSV, Excel and SPSS (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from spiegel.ingest.problems import ImportErrors
from spiegel.services import response_import
from spiegel.services.importing import ImportResult, import_responses
from spiegel.store.db import transaction
from spiegel.store.models import Instrument, Survey, SurveyStatus
from spiegel.store.organisation import NotFound
from spiegel.store.response_frames import load_responses, load_text_answers
from spiegel.store.surveys import get_survey

from .conftest import FILES, INSTRUMENTS, table_counts


def _frame(engine: Engine, slug: str) -> pd.DataFrame:
    with transaction(engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == slug)).one()
        return load_responses(session, survey).wide().set_index("external_id")


def _texts(engine: Engine) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    with transaction(engine) as session:
        for survey in session.scalars(select(Survey)):
            respondent = load_responses(session, survey).meta.set_index("response_id")
            for row in load_text_answers(session, survey).itertuples():
                out[(respondent.at[row.response_id, "external_id"], row.item_id)] = row.text
    return out


def _import_customers(engine: Engine) -> ImportResult:
    """The example customer file into a new survey ``klant``."""
    return import_responses(
        engine,
        FILES / "responses_customer.csv",
        survey="klant",
        wave="2026-Q1",
        instrument="customer",
    )


def test_customer_wide_csv(org_engine: Engine) -> None:
    result = _import_customers(org_engine)
    assert result.counts == {"imported": 20, "skipped": 0}
    frame = _frame(org_engine, "klant")
    assert len(frame) == 20
    raw = pd.read_csv(
        FILES / "responses_customer.csv", sep=";", encoding="utf-8-sig", dtype=str
    ).set_index("respondent")
    # every cell arrives where it belongs ("8,0" is the whole number 8)
    assert frame.loc["K003", "overall_grade"] == 8
    for item in ["recommend", "mot_first_contact", "mot_intake", "asp_care"]:
        expected = pd.to_numeric(raw[item]).to_numpy()
        np.testing.assert_array_equal(frame.loc[raw.index, item].to_numpy(), expected)
    assert frame["unit_code"].loc["K001"] == "AMS-02"
    assert frame["role_group"].isna().all()  # customers have no role group
    assert np.isnan(frame.loc["K004", "mot_intake"])  # blank cell = no answer
    texts = _texts(org_engine)
    assert texts[("K002", "comment")] == "Heel tevreden over juf Zoë; ze is geweldig!"
    assert texts[("K004", "comment")] == 'Soms "druk" bij het ophalen;\nverder prima.'
    assert len(texts) == 12
    with transaction(org_engine) as session:
        survey = session.scalars(select(Survey)).one()
        stored = session.get(Instrument, survey.instrument_id)
        assert survey.status == SurveyStatus.CLOSED
        assert stored is not None and stored.name == "customer"
        assert "comment" not in stored.item_order  # open text is not in the numeric vector


def test_same_file_twice_and_overlapping_rows(org_engine: Engine, tmp_path: Path) -> None:
    first = _import_customers(org_engine)
    before = table_counts(org_engine)
    again = import_responses(org_engine, FILES / "responses_customer.csv", survey="klant")
    assert again.already_imported is not None
    assert again.already_imported.batch_id == first.batch_id
    assert table_counts(org_engine) == before
    # a new file with five known respondents and two new ones
    raw = (FILES / "responses_customer.csv").read_text(encoding="utf-8-sig")
    lines = raw.splitlines()
    header = lines[0]
    body = [ln for ln in lines if ln.startswith(("K001", "K002", "K003", "K005", "K006"))]
    extra = ["K900;AMS-01;9;9;9;9;9;9;9;9;9;9;", "K901;UTR-01;7;8;;;;;;;;;Goed"]
    path = tmp_path / "more.csv"
    path.write_text("\n".join([header, *body, *extra]) + "\n", encoding="utf-8")
    result = import_responses(org_engine, path, survey="klant")
    assert result.counts == {"imported": 2, "skipped": 5}
    assert len(_frame(org_engine, "klant")) == 22
    assert _texts(org_engine)[("K901", "comment")] == "Goed"


def test_no_respondent_column_gives_stable_ids(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "anon.csv"
    path.write_text("unit;overall_grade;recommend\nAMS-01;8;9\nAMS-02;7;\n", encoding="utf-8")
    result = import_responses(
        org_engine, path, survey="klant", wave="2026-Q1", instrument="customer"
    )
    assert result.counts == {"imported": 2, "skipped": 0}
    ids = sorted(_frame(org_engine, "klant").index)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert ids == [f"{sha[:16]}-2", f"{sha[:16]}-3"]  # file hash and spreadsheet row
    assert "no respondent column" in result.notes[1]


def test_employee_xlsx_with_mapping(staffed_engine: Engine) -> None:
    result = import_responses(
        staffed_engine,
        FILES / "responses_employee.xlsx",
        survey="mw",
        wave="2026-Q1",
        mapping=FILES / "mapping_employee.yaml",
    )
    assert result.counts == {"imported": 5, "skipped": 0}
    frame = _frame(staffed_engine, "mw")
    assert frame.loc["R1", ["vig_energy", "vig_fit", "vig_persist"]].tolist() == [4, 5, 4]
    assert frame.loc["R1", "ded_pride"] == 5  # "Helemaal eens", the instrument's own label
    assert frame.loc["R3", "ded_pride"] == 3  # "Niet eens, niet oneens"
    assert np.isnan(frame.loc["R4", "ded_pride"])  # "Weet niet" mapped to no answer
    assert frame.loc["R4", "role_group"] == "senior_management"  # "Directie"
    assert frame.loc["R5", "role_group"] == "senior_management"  # "MT", mapped
    assert frame.loc["R5", "unit_code"] == "AMS-01"  # "Brug", mapped under units:
    assert frame.loc["R2", "role_group"] == "front_line"
    assert _texts(staffed_engine)[("R4", "employee_comment")] == "Meer overleg met de locaties."


def test_employee_long_csv(staffed_engine: Engine) -> None:
    result = import_responses(
        staffed_engine,
        FILES / "responses_employee_long.csv",
        survey="mw",
        wave="2026-Q1",
        instrument="employee",
    )
    assert result.counts == {"imported": 4, "skipped": 0}
    assert "long layout" in result.notes[0]
    frame = _frame(staffed_engine, "mw")
    assert frame.loc["M01", ["vig_energy", "ded_meaning", "abs_hours"]].tolist() == [4, 5, 4]
    assert frame.loc["M04", "role_group"] == "back_office"
    assert frame.loc["M03", "unit_code"] == "AMS-01"
    assert np.isnan(frame.loc["M01", "tru_manager"])  # not in the file
    assert _texts(staffed_engine)[("M03", "employee_comment")] == "Minder vergaderen, a.u.b."


def test_employee_sav_with_value_labels(staffed_engine: Engine) -> None:
    result = import_responses(
        staffed_engine,
        FILES / "responses_employee.sav",
        survey="mw",
        wave="2026-Q1",
        instrument="employee",
        mapping=FILES / "mapping_sav.yaml",
    )
    assert result.counts == {"imported": 6, "skipped": 0}
    frame = _frame(staffed_engine, "mw")
    # units and role groups through their value labels
    assert frame["unit_code"].to_dict() == {
        "S1": "AMS-01",
        "S2": "AMS-02",
        "S3": "UTR-01",
        "S4": "HQ",
        "S5": "AMS-01",
        "S6": "UTR-01",
    }
    assert frame.loc["S4", "role_group"] == "senior_management"
    assert frame.loc["S5", "role_group"] == "back_office"
    # coded 0-4 in the file; the labels say 0 = "Helemaal oneens" = 1 in the instrument
    assert frame["abs_focus"].tolist() == [4, 3, 5, 5, 2, 1]
    assert frame["vig_energy"].tolist()[:4] == [4, 3, 5, 4]
    assert np.isnan(frame.loc["S5", "vig_energy"])


def test_survey_needs_wave_and_instrument(org_engine: Engine) -> None:
    with pytest.raises(NotFound, match="no survey 'nieuw' yet; to create it give --wave"):
        import_responses(
            org_engine, FILES / "responses_customer.csv", survey="nieuw", instrument="customer"
        )
    with transaction(org_engine) as session:
        assert session.scalar(select(func.count()).select_from(Survey)) == 0


def test_instrument_of_existing_survey_must_match(org_engine: Engine) -> None:
    _import_customers(org_engine)
    with pytest.raises(ValueError, match="uses instrument 'customer', not 'employee'"):
        import_responses(
            org_engine, FILES / "responses_employee_long.csv", survey="klant", instrument="employee"
        )


def test_refused_file_leaves_no_survey_behind(staffed_engine: Engine) -> None:
    before = table_counts(staffed_engine)
    with pytest.raises(ImportErrors):
        import_responses(
            staffed_engine,
            FILES / "responses_errors.csv",
            survey="pulse",
            wave="2026-Q2",
            mapping=FILES / "mapping_errors.yaml",
            instrument_dirs=[INSTRUMENTS],
        )
    assert table_counts(staffed_engine) == before  # no wave, instrument, survey or batch
    with transaction(staffed_engine) as session, pytest.raises(NotFound):
        get_survey(session, 1, "pulse")


def test_long_form_problems(staffed_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "respondent,unit,role_group,item,value\n"
        "A,HQ,manager,vig_energy,4\n"
        "A,HQ,manager,vig_energy,5\n"  # row 3: answered twice
        "A,AMS-01,manager,vig_fit,4\n"  # row 4: another unit for A
        "B,HQ,manager,vig_nope,4\n"  # row 5: unknown item
        "B,HQ,manager,vig_fit,6\n",  # row 6: out of range
        encoding="utf-8",
    )
    with pytest.raises(ImportErrors) as info:
        import_responses(staffed_engine, path, survey="mw", wave="2026-Q1", instrument="employee")
    got = {(p.row, p.column, p.reason.split(";")[0].split(" (")[0]) for p in info.value.problems}
    assert got == {
        (3, "item", "this respondent already answered this item in an earlier row"),
        (4, "unit", "the same respondent has another unit in row 2"),
        (5, "item", "unknown item: not an item of the instrument"),
        (6, "value", "6 is out of range"),
    }


def test_concurrent_imports_into_one_survey_store_each_respondent_once(
    org_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files sharing respondents, imported at the same moment: the second import checks
    which respondents are new only after the first has committed (the survey's row lock),
    so nobody is stored twice. Each import dawdles before writing, which without the lock
    lets both find the shared respondents new."""
    _import_customers(org_engine)
    header = "respondent;unit;overall_grade;recommend"
    shared = [f"S{i};AMS-01;8;9" for i in range(30)]
    paths = []
    for name in ("a", "b"):
        own = [f"{name}{i};UTR-01;7;7" for i in range(20)]
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join([header, *shared, *own]) + "\n", encoding="utf-8")
        paths.append(path)

    real_write = response_import.write_blocks

    def dawdling_write(*args: object, **kwargs: object) -> int:
        time.sleep(0.5)
        return real_write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(response_import, "write_blocks", dawdling_write)
    start = threading.Barrier(2)

    def run(path: Path) -> dict[str, int]:
        start.wait()
        return import_responses(org_engine, path, survey="klant").counts

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(run, paths))
    assert sorted(c["imported"] for c in counts) == [20, 50]
    assert sorted(c["skipped"] for c in counts) == [0, 30]
    frame = _frame(org_engine, "klant")
    assert len(frame) == 20 + 30 + 2 * 20
    assert frame.index.is_unique
