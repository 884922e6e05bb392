"""Exporting responses, scale scores and units from the store (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import Engine

from spiegel.analysis.scoring import score_scales
from spiegel.instruments import get_instrument
from spiegel.services.exporting import export_responses, export_scores, export_units
from spiegel.services.importing import import_employees, import_responses, import_units
from spiegel.store.organisation import NotFound
from tests.ingest.conftest import FILES


@pytest.fixture
def filled(engine: Engine) -> Engine:
    import_units(engine, FILES / "units.csv")
    import_employees(engine, FILES / "employees_cp1252.csv")
    import_responses(
        engine,
        FILES / "responses_customer.csv",
        survey="klant",
        wave="2026-Q1",
        instrument="customer",
    )
    import_responses(
        engine,
        FILES / "responses_employee.xlsx",
        survey="mw",
        wave="2026-Q1",
        mapping=FILES / "mapping_employee.yaml",
    )
    import_responses(
        engine, FILES / "responses_employee.sav", survey="mw", mapping=FILES / "mapping_sav.yaml"
    )
    return engine


def test_responses_round_trip_csv(filled: Engine, tmp_path: Path) -> None:
    result = export_responses(filled, tmp_path / "klant.csv", survey="klant")
    assert result.rows == 20
    frame = pd.read_csv(result.path, encoding="utf-8-sig", dtype={"respondent": str})
    source = pd.read_csv(
        FILES / "responses_customer.csv", sep=";", encoding="utf-8-sig", decimal=","
    )
    merged = frame.merge(source, on="respondent", suffixes=("", "_file"))
    assert len(merged) == 20
    for item in ["overall_grade", "recommend", "mot_intake", "asp_care"]:
        np.testing.assert_array_equal(
            merged[item].to_numpy(dtype=float), merged[f"{item}_file"].to_numpy(dtype=float)
        )
    assert (merged["unit_code"] == merged["unit"]).all()
    assert set(frame.columns[:6]) == {
        "response_id",
        "respondent",
        "survey",
        "wave",
        "unit_code",
        "unit_name",
    }
    assert "role_group" not in frame.columns  # customers have none
    assert "comment" not in frame.columns  # open text only on request
    assert frame.loc[frame["unit_code"] == "AMS-01", "unit_name"].iloc[0] == "Café De Brug"


def test_responses_with_texts(filled: Engine, tmp_path: Path) -> None:
    result = export_responses(filled, tmp_path / "klant.xlsx", survey="klant", texts=True)
    frame = pd.read_excel(result.path).set_index("respondent")
    assert frame.loc["K002", "comment"] == "Heel tevreden over juf Zoë; ze is geweldig!"
    assert pd.isna(frame.loc["K001", "comment"])


def test_responses_sav_carries_labels(filled: Engine, tmp_path: Path) -> None:
    result = export_responses(filled, tmp_path / "mw.sav", survey="mw")
    frame, meta = pyreadstat.read_sav(str(result.path))
    assert len(frame) == 11
    labels = meta.variable_value_labels
    assert labels["vig_energy"][5.0] == "Helemaal eens"
    assert labels["role_group"] == {
        1.0: "Senior management",
        2.0: "Leidinggevende",
        3.0: "Frontoffice / uitvoerend",
        4.0: "Backoffice / ondersteunend",
    }
    by_id = frame.set_index("respondent")
    assert by_id.loc["R4", "role_group"] == 1.0  # senior_management
    assert by_id.loc["S5", "role_group"] == 4.0  # back_office
    assert (
        meta.column_names_to_labels["vig_energy"]
        == get_instrument("employee").item("vig_energy").text.nl
    )


def test_responses_parquet_english(filled: Engine, tmp_path: Path) -> None:
    result = export_responses(filled, tmp_path / "mw.parquet", survey="mw", lang="en")
    frame = pd.read_parquet(result.path)
    assert (
        frame["role_group"]
        .isin(["front_line", "manager", "senior_management", "back_office"])
        .all()
    )


def test_scores_match_score_scales(filled: Engine, tmp_path: Path) -> None:
    result = export_scores(filled, tmp_path / "scores.csv", survey="mw")
    frame = pd.read_csv(result.path, encoding="utf-8-sig").set_index("respondent")
    answers = pd.read_csv(
        export_responses(filled, tmp_path / "r.csv", survey="mw").path, encoding="utf-8-sig"
    ).set_index("respondent")
    expected = score_scales(answers, get_instrument("employee"))
    np.testing.assert_allclose(frame["vigor"].to_numpy(), expected["vigor"].to_numpy())
    assert frame.loc["R1", "vigor"] == pytest.approx((4 + 5 + 4) / 3)
    assert "6 of 11 respondents without a score on vigor" in result.notes[0]  # the .sav rows
    assert result.notes[-1].startswith("no respondent has a score on dedication, absorption, trust")


def test_units_export(filled: Engine, tmp_path: Path) -> None:
    result = export_units(filled, tmp_path / "units.csv")
    frame = pd.read_csv(result.path, encoding="utf-8-sig").set_index("code")
    assert len(frame) == 10
    assert frame.loc["AMS-01-T1", "path"] == "ZON/NOORD/AMS-01/AMS-01-T1"
    assert frame.loc["AMS-01-T1", "parent"] == "AMS-01"
    assert frame.loc["UTR-01", "name"] == "Kindcentrum Zoë"


def test_unknown_survey(filled: Engine, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no survey 'nope'; known surveys: klant, mw"):
        export_responses(filled, tmp_path / "x.csv", survey="nope")
