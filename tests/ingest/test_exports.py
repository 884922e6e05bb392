"""Survey-tool exports imported as the tools write them (files/exports, made by
files/make_exports.py): the header rows and metadata columns of Qualtrics, SurveyMonkey,
LimeSurvey, Microsoft and Google Forms, title rows above an Excel header, and SPSS value
labels on periods (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from spiegel.ingest.mapping import load_mapping
from spiegel.ingest.problems import ImportErrors
from spiegel.ingest.readers import read_table
from spiegel.ingest.responses import validate_responses
from spiegel.ingest.rules import item_rules
from spiegel.ingest.values import UnitLookup
from spiegel.instruments import get_instrument
from spiegel.services.importing import import_outcomes, import_responses
from spiegel.store.db import transaction
from spiegel.store.models import Outcome, Survey
from spiegel.store.response_frames import load_responses, load_text_answers

from .conftest import FILES

EXPORTS = FILES / "exports"
ITEMS = ["vig_energy", "vig_fit", "vig_persist", "ded_meaning", "ded_pride", "abs_focus"]


def _frame(engine: Engine, slug: str) -> pd.DataFrame:
    with transaction(engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == slug)).one()
        return load_responses(session, survey).wide()


def _texts(engine: Engine, slug: str) -> list[str]:
    with transaction(engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == slug)).one()
        return sorted(load_text_answers(session, survey)["text"])


# --- reading: what was detected ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "note", "first_row", "n"),
    [
        ("qualtrics_numeric.csv", "Qualtrics export: 2 header rows skipped", 4, 12),
        ("qualtrics_text.csv", "Qualtrics export: 2 header rows skipped", 4, 12),
        ("surveymonkey.csv", "SurveyMonkey export: 1 header row skipped", 3, 15),
        ("google_forms.csv", "Google Forms export", 2, 10),
        ("ms_forms.xlsx", "Microsoft Forms export", 2, 12),
        ("limesurvey.csv", "LimeSurvey export", 2, 12),
        ("title_row.xlsx", "2 rows above the header skipped", 4, 5),
        ("qualtrics.sav", "Qualtrics export", 1, 12),
        ("limesurvey.sav", "LimeSurvey export", 1, 12),
    ],
)
def test_export_format_is_detected(name: str, note: str, first_row: int, n: int) -> None:
    table = read_table(EXPORTS / name)
    assert any(note in line for line in table.notes), table.notes
    assert table.rows[0] == first_row
    assert len(table) == n
    assert not table.problems


def test_qualtrics_header_rows_give_names_and_question_texts() -> None:
    table = read_table(EXPORTS / "qualtrics_numeric.csv")
    assert table.columns[:2] == ["StartDate", "EndDate"]
    assert "Q3_1" in table.columns
    assert table.texts["Q3_1"].endswith("Ik begin mijn werkdag meestal met voldoende energie.")
    assert table.frame["ResponseId"].str.startswith("R_").all()  # no header row left as data
    assert table.roles["ResponseId"] == "respondent"
    assert table.roles["StartDate"] == table.roles["Duration (in seconds)"] == "ignore"


def test_surveymonkey_matrix_columns_are_named_by_their_row() -> None:
    table = read_table(EXPORTS / "surveymonkey.csv")
    assert "Het kennismakingsgesprek" in table.columns
    assert "Welke locatie bezoekt u?" in table.columns  # "Response" under it: the question
    assert table.texts["Het kennismakingsgesprek"] == "Het kennismakingsgesprek"


def test_header_rows_from_the_mapping_override_detection(tmp_path: Path) -> None:
    # a plain file with two header rows that no tool writes: names, then texts
    path = tmp_path / "two.csv"
    path.write_text(
        "unit;overall_grade\nEenheid;Rapportcijfer\nAMS-01;8\nAMS-02;7\n", encoding="utf-8"
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text("header_rows: 2\n", encoding="utf-8")
    with pytest.raises(ImportErrors):  # without the option, row 2 is read as data
        import_responses_into(path, None)
    table = read_table(path, header_rows=2)
    assert table.rows.tolist() == [3, 4]
    assert table.texts["overall_grade"] == "Rapportcijfer"
    assert any("header_rows: 2" in line for line in table.notes)


def import_responses_into(path: Path, mapping: Path | None) -> None:
    """Validation only (no database): the checks that refuse a header row read as data."""
    customer = get_instrument("customer")
    table = read_table(path)
    validate_responses(
        table,
        load_mapping(mapping),
        item_rules(customer),
        ["overall_grade"],
        UnitLookup.build([(1, "AMS-01", "Café De Brug"), (2, "AMS-02", "Kabouterhuis")]),
        "customer",
    )


# --- importing: every export as it is ---------------------------------------------------


EMPLOYEE_EXPORTS = [
    ("qualtrics_numeric.csv", "qualtrics.yaml"),
    ("qualtrics_text.csv", "qualtrics.yaml"),
    ("qualtrics.sav", "qualtrics.yaml"),
    ("ms_forms.xlsx", "ms_forms.yaml"),
    ("limesurvey.csv", "limesurvey.yaml"),
    ("limesurvey.sav", "limesurvey_sav.yaml"),
]


def test_employee_exports_import_alike(org_engine: Engine) -> None:
    """Six exports of one survey (numeric codes, choice texts, SPSS labels in Dutch and
    English): each imports without edits, and all give the same answers."""
    frames = {}
    for k, (name, mapping) in enumerate(EMPLOYEE_EXPORTS):
        # "qualtrics.sav" lacks the comment column; everything else is the same survey
        result = import_responses(
            org_engine,
            EXPORTS / name,
            survey=f"mw{k}",
            wave=f"2024-H{k}",
            mapping=EXPORTS / mapping,
        )
        assert result.counts["imported"] == 12, (name, result.counts)
        frame = _frame(org_engine, f"mw{k}")
        frames[name] = (
            frame.sort_values(["unit_code", "role_group", *ITEMS])[
                ["unit_code", "role_group", *ITEMS]
            ]
            .reset_index(drop=True)
            .astype({"unit_code": str, "role_group": str})
        )
    reference = frames["qualtrics_numeric.csv"]
    assert set(reference["unit_code"]) <= {"AMS-01", "AMS-02", "UTR-01", "EIN-01"}
    assert set(reference["role_group"]) == {
        "senior_management",
        "manager",
        "front_line",
        "back_office",
    }
    assert reference[ITEMS].notna().sum().sum() > 50
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, reference, check_dtype=False, obj=name)
    assert _texts(org_engine, "mw1") == sorted(
        ["Meer tijd voor de kinderen.", "Minder vergaderen, a.u.b."] * 2
    )


def test_qualtrics_notes_say_what_was_skipped(org_engine: Engine) -> None:
    result = import_responses(
        org_engine,
        EXPORTS / "qualtrics_numeric.csv",
        survey="mw",
        wave="2024-H1",
        mapping=EXPORTS / "qualtrics.yaml",
    )
    text = "\n".join(result.notes)
    assert "Qualtrics export: 2 header rows skipped" in text
    assert "ResponseId" in text and "StartDate" in text  # respondent id; metadata ignored


@pytest.mark.parametrize(
    ("name", "mapping", "n"),
    [("surveymonkey.csv", "surveymonkey.yaml", 15), ("google_forms.csv", "google_forms.yaml", 10)],
)
def test_customer_exports(org_engine: Engine, name: str, mapping: str, n: int) -> None:
    result = import_responses(
        org_engine,
        EXPORTS / name,
        survey="klant",
        wave="2024-H1",
        mapping=EXPORTS / mapping,
    )
    assert result.counts["imported"] == n
    frame = _frame(org_engine, "klant")
    assert frame["overall_grade"].between(6, 10).all()
    assert frame["unit_code"].isin(["AMS-01", "AMS-02", "UTR-01", "EIN-01"]).all()
    assert len(_texts(org_engine, "klant")) >= 1


def test_surveymonkey_respondent_ids_are_kept(org_engine: Engine) -> None:
    import_responses(
        org_engine,
        EXPORTS / "surveymonkey.csv",
        survey="klant",
        wave="2024-H1",
        mapping=EXPORTS / "surveymonkey.yaml",
    )
    frame = _frame(org_engine, "klant")
    assert "114560000000" in set(frame["external_id"])


def test_title_row_above_an_excel_header(org_engine: Engine) -> None:
    result = import_responses(
        org_engine,
        EXPORTS / "title_row.xlsx",
        survey="mw",
        wave="2024-H1",
        instrument="employee",
    )
    assert result.counts["imported"] == 5
    frame = _frame(org_engine, "mw").set_index("external_id")
    assert frame.loc["T1", "vig_fit"] == 5


# --- SPSS value labels on every mapped column --------------------------------------------


def _outcomes(engine: Engine) -> pd.DataFrame:
    with transaction(engine) as session:
        rows = session.execute(select(Outcome.metric, Outcome.period, Outcome.value)).all()
    return pd.DataFrame(rows, columns=["metric", "period", "value"])


def test_spss_period_labels_are_used(org_engine: Engine) -> None:
    result = import_outcomes(org_engine, EXPORTS / "outcomes_periods.sav")
    assert result.counts["created"] == 32
    stored = _outcomes(org_engine)
    assert sorted(stored["period"].unique()) == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]
    assert sorted(stored["metric"].unique()) == ["verloop", "verzuim"]


@pytest.mark.parametrize("key", ["2", "2024-H2"])
def test_mapping_may_name_a_period_by_code_or_label(
    org_engine: Engine, tmp_path: Path, key: str
) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(f'values:\n  periode: {{"{key}": 2024-H2-herzien}}\n', encoding="utf-8")
    import_outcomes(org_engine, EXPORTS / "outcomes_periods.sav", mapping=mapping)
    periods = set(_outcomes(org_engine)["period"])
    assert periods == {"2024-H1", "2024-H2-herzien", "2025-H1", "2025-H2"}


def test_outcome_periods_that_match_no_wave_are_named(org_engine: Engine) -> None:
    import_responses(
        org_engine,
        EXPORTS / "title_row.xlsx",
        survey="mw",
        wave="2024-H1",
        instrument="employee",
    )
    result = import_outcomes(org_engine, EXPORTS / "outcomes_periods.sav")
    text = "\n".join(result.notes)
    assert "2024-H2, 2025-H1, 2025-H2" in text and "no wave" in text


def test_item_codes_may_be_mapped_by_their_label(org_engine: Engine, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    source = (EXPORTS / "qualtrics.yaml").read_text(encoding="utf-8")
    mapping.write_text(source + '  Q3_1: {"Strongly agree": null}\n', encoding="utf-8")
    import_responses(
        org_engine, EXPORTS / "qualtrics.sav", survey="mw", wave="2024-H1", mapping=mapping
    )
    frame = _frame(org_engine, "mw")
    assert (frame["vig_energy"].dropna() < 5).all()
    assert np.isin(frame["vig_fit"].dropna(), [2, 3, 4, 5]).all()


def test_rows_that_look_like_header_rows_are_named(org_engine: Engine, tmp_path: Path) -> None:
    """A tool Spiegel does not know, with question texts under the column names: the
    refusal says that row 2 looks like a header row and which option reads it."""
    path = tmp_path / "onbekend.csv"
    lines = ["unit;overall_grade;recommend", "Locatie;Rapportcijfer;Aanbevelen"]
    lines += [f"AMS-0{1 + i % 2};{6 + i % 4};{i % 11}" for i in range(8)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportErrors) as refused:
        import_responses(org_engine, path, survey="k", wave="w", instrument="customer")
    reasons = [p.reason for p in refused.value.problems if p.row is None]
    assert any("row 2 looks like more header rows" in r and "header_rows: 2" in r for r in reasons)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("header_rows: 2\n", encoding="utf-8")
    result = import_responses(
        org_engine, path, survey="k", wave="w", instrument="customer", mapping=mapping
    )
    assert result.counts["imported"] == 8
