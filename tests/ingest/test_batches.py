"""Import batches: listing, undoing (all or nothing), a file's identity with its mapping,
and respondents imported twice into two surveys of one wave (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from spiegel.cli import app
from spiegel.ingest.problems import ImportErrors
from spiegel.services.import_batches import list_batches, undo_batch
from spiegel.services.importing import import_outcomes, import_responses
from spiegel.store.db import transaction
from spiegel.store.models import (
    AnalysisRun,
    Organisation,
    Outcome,
    Response,
    Survey,
    TextAnswer,
    Unit,
)
from spiegel.store.organisation import NotFound
from spiegel.store.response_frames import load_responses, load_text_answers

from .conftest import FILES, INSTRUMENTS, table_counts

EXPORTS = FILES / "exports"


def _customers(engine: Engine, survey: str = "klant", path: Path | None = None) -> int:
    result = import_responses(
        engine,
        path or FILES / "responses_customer.csv",
        survey=survey,
        wave="2026-Q1",
        instrument="customer",
    )
    assert result.batch_id is not None
    return result.batch_id


def _n_responses(engine: Engine, slug: str) -> int:
    with transaction(engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == slug)).one()
        return len(load_responses(session, survey).meta)


def _outcomes(engine: Engine) -> dict[tuple[str, str, str], float]:
    """Unit code, metric, period -> value."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Unit.code, Outcome.metric, Outcome.period, Outcome.value).join(Unit)
        ).all()
    return {(u, m, p): v for u, m, p, v in rows}


# --- undo ---------------------------------------------------------------------------------


def test_undo_takes_out_one_batch_and_nothing_else(staffed_engine: Engine) -> None:
    engine = staffed_engine
    before = table_counts(engine)
    customers = _customers(engine)
    employees = import_responses(
        engine,
        FILES / "responses_employee_long.csv",
        survey="mw",
        wave="2026-Q1",
        instrument="employee",
    )
    with_employees = {
        t: n for t, n in table_counts(engine).items() if t not in ("survey", "instrument")
    }
    result = undo_batch(engine, customers)
    assert result.counts == {"responses": 20}
    assert "batch" in result.summary() and "20 responses" in result.summary()
    assert _n_responses(engine, "klant") == 0  # the survey stays, empty
    assert _n_responses(engine, "mw") == 4
    with transaction(engine) as session:
        klant = session.scalars(select(Survey).where(Survey.slug == "klant")).one()
        assert load_text_answers(session, klant).empty
    after = table_counts(engine)
    assert after["import_batch"] == with_employees["import_batch"] - 1
    assert after["response_block"] == with_employees["response_block"] - 1
    assert after["unit"] == before["unit"] and after["employee"] == before["employee"]
    # the file can be imported again: it is no longer "already imported"
    again = import_responses(engine, FILES / "responses_customer.csv", survey="klant")
    assert again.already_imported is None and again.counts["imported"] == 20
    assert employees.batch_id is not None
    assert [b.id for b in list_batches(engine)][:2] == [again.batch_id, employees.batch_id]


def test_undo_deletes_response_rows_and_their_open_answers(org_engine: Engine) -> None:
    """Rows in ``response`` (as imports wrote them before response blocks) go too, with
    their open answers: DELETE passes the immutability triggers (UPDATE would not)."""
    batch = _customers(org_engine)
    with transaction(org_engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == "klant")).one()
        unit = session.scalars(select(Unit)).first()
        assert unit is not None
        row = Response(
            survey_id=survey.id,
            unit_id=unit.id,
            external_id="OLD1",
            numeric_answers=b"",
            batch_id=batch,
        )
        session.add(row)
        session.flush()
        session.add(TextAnswer(response_id=row.id, item_id="comment", text="oud"))
    assert undo_batch(org_engine, batch).counts == {"responses": 21}
    counts = table_counts(org_engine)
    assert counts["response"] == counts["text_answer"] == counts["response_block"] == 0


def test_a_corrected_mapping_is_a_new_import(org_engine: Engine, tmp_path: Path) -> None:
    """The SPSS outcomes file imported with a wrong mapping: the same file with the same
    mapping is "already imported", with a corrected mapping it is a new import, and after
    undoing the wrong one only the right figures are left."""
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("columns:\n  verzuim: absenteism\n", encoding="utf-8")
    right = tmp_path / "right.yaml"
    right.write_text("columns:\n  verzuim: absenteeism\n", encoding="utf-8")
    sav = EXPORTS / "outcomes_periods.sav"
    first = import_outcomes(org_engine, sav, mapping=wrong)
    again = import_outcomes(org_engine, sav, mapping=wrong)
    assert again.already_imported is not None
    assert again.already_imported.batch_id == first.batch_id
    # the same mapping written differently (another file name, comments) is the same
    same = tmp_path / "same.yaml"
    same.write_text("# comment\ncolumns: {verzuim: absenteism}\n", encoding="utf-8")
    assert import_outcomes(org_engine, sav, mapping=same).already_imported is not None
    second = import_outcomes(org_engine, sav, mapping=right)
    assert second.already_imported is None
    assert second.counts == {"created": 16, "updated": 0, "unchanged": 16}
    assert first.batch_id is not None and second.batch_id is not None
    # every figure is the latest import's: undoing the first takes out only its typo
    assert undo_batch(org_engine, first.batch_id).counts == {"outcomes": 16}
    assert {m for _, m, _ in _outcomes(org_engine)} == {"absenteeism", "verloop"}
    # and undoing the second gives nothing back to the batch that is gone
    assert undo_batch(org_engine, second.batch_id).counts == {"outcomes": 32}
    assert _outcomes(org_engine) == {}


def test_undo_restores_the_figures_an_import_replaced(org_engine: Engine, tmp_path: Path) -> None:
    import_outcomes(
        org_engine, FILES / "outcomes_wide.txt", mapping=FILES / "mapping_outcomes.yaml"
    )
    before = _outcomes(org_engine)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        "unit;periode;absenteeism;wachttijd\nAMS-01;2026-Q1;9,9;3\n", encoding="utf-8"
    )
    result = import_outcomes(org_engine, changed)
    assert result.counts == {"created": 1, "updated": 1, "unchanged": 0}
    assert _outcomes(org_engine)[("AMS-01", "absenteeism", "2026-Q1")] == 9.9
    assert result.batch_id is not None
    undone = undo_batch(org_engine, result.batch_id)
    assert undone.counts == {"outcomes": 1, "restored": 1}
    assert _outcomes(org_engine) == before
    # the first file's figures are its own again: undoing it takes them all out
    first = list_batches(org_engine)[0]
    assert first.kind == "outcomes" and undo_batch(org_engine, first.id).counts["outcomes"] > 0
    assert _outcomes(org_engine) == {}


def test_undo_is_refused_when_results_were_built_on_it(org_engine: Engine) -> None:
    batch = _customers(org_engine)
    with transaction(org_engine) as session:
        org = session.scalars(select(Organisation)).one()
        session.add(AnalysisRun(organisation_id=org.id, results={}))
    before = table_counts(org_engine)
    with pytest.raises(ValueError, match=r"analysis results were built on batch .* --force"):
        undo_batch(org_engine, batch)
    assert table_counts(org_engine) == before
    result = undo_batch(org_engine, batch, force=True)
    assert result.counts == {"responses": 20}
    assert "spiegel analyze" in result.notes[0]


def test_units_and_unknown_batches_are_not_undone(org_engine: Engine) -> None:
    units = list_batches(org_engine)[-1]
    assert units.kind == "units" and not units.undoable
    with pytest.raises(ValueError, match="imported units, which cannot be undone"):
        undo_batch(org_engine, units.id)
    with pytest.raises(NotFound, match="no import batch 999"):
        undo_batch(org_engine, 999)


# --- the same respondents in two surveys ---------------------------------------------------


def test_same_file_into_another_survey_is_refused(org_engine: Engine, tmp_path: Path) -> None:
    _customers(org_engine, "klant-a")
    renamed = tmp_path / "klanten_maart.csv"
    shutil.copy(FILES / "responses_customer.csv", renamed)
    before = table_counts(org_engine)
    with pytest.raises(ImportErrors) as refused:
        _customers(org_engine, "klant-b", renamed)
    reason = refused.value.problems[0].reason
    assert "20 respondents already imported in survey 'klant-a'" in reason
    assert "is this the same file?" in reason and "this very file" in reason
    assert table_counts(org_engine) == before  # not even survey klant-b was created
    result = import_responses(
        org_engine,
        renamed,
        survey="klant-b",
        wave="2026-Q1",
        instrument="customer",
        allow_duplicates=True,
    )
    assert result.counts["imported"] == 20
    assert any("allowed: 20 respondents" in n for n in result.notes)


def test_files_without_respondent_ids_are_recognised_too(
    org_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "anon.csv"
    path.write_text("unit;overall_grade\nAMS-01;8\nAMS-02;7\nUTR-01;9\n", encoding="utf-8")
    _customers(org_engine, "klant-a", path)
    copy = tmp_path / "anon (1).csv"
    shutil.copy(path, copy)
    with pytest.raises(ImportErrors, match="3 respondents already imported"):
        _customers(org_engine, "klant-b", copy)


def test_other_waves_and_audiences_do_not_count(org_engine: Engine, tmp_path: Path) -> None:
    _customers(org_engine, "klant-a")
    other_wave = import_responses(
        org_engine,
        FILES / "responses_customer.csv",
        survey="klant-later",
        wave="2026-Q3",
        instrument="customer",
    )
    assert other_wave.counts["imported"] == 20
    long = pd.read_csv(FILES / "responses_employee_long.csv")
    long["respondent"] = long["respondent"].str.replace("M", "K00")  # ids as the customers'
    path = tmp_path / "mw.csv"
    long.to_csv(path, index=False)
    employees = import_responses(
        org_engine, path, survey="mw", wave="2026-Q1", instrument="employee"
    )
    assert employees.counts["imported"] == 4


# --- command line -------------------------------------------------------------------------


def test_cli_list_and_undo(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPIEGEL_DATABASE_URL", db_url)
    monkeypatch.setenv("SPIEGEL_INSTRUMENT_DIRS", json.dumps([str(INSTRUMENTS)]))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: object, given: str | None = None) -> tuple[int, str]:
        result = runner.invoke(app, [str(a) for a in args], input=given)
        assert "Traceback" not in result.output
        return result.exit_code, " ".join(result.output.split())

    assert run("import", "units", FILES / "units.csv")[0] == 0
    args = ["import", "responses", FILES / "responses_customer.csv", "--survey", "klant"]
    assert run(*args, "--wave", "2026-Q1", "--instrument", "customer")[0] == 0
    code, out = run("import", "list")
    assert code == 0 and "responses_customer.csv" in out and "klant" in out and "units" in out
    copy_args = ["import", "responses", FILES / "responses_customer.csv", "--survey", "klant-b"]
    code, out = run(*copy_args, "--wave", "2026-Q1", "--instrument", "customer")
    assert code == 1 and "already imported in survey 'klant'" in out
    code, out = run(
        *copy_args, "--wave", "2026-Q1", "--instrument", "customer", "--allow-duplicates"
    )
    assert code == 0 and "20 imported" in out
    code, out = run("import", "undo", "2", given="n\n")
    assert code == 1 and "nothing changed" in out.lower()
    code, out = run("import", "undo", "2", given="y\n")
    assert code == 0 and "20 responses" in out
    code, out = run("import", "undo", "1", "--yes")
    assert code == 1 and "cannot be undone" in out
