"""``--suggest-mapping``: a mapping file guessed from an export's question texts and
answers, good enough to import with (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from spiegel.ingest.suggest import similarity
from spiegel.services.importing import import_responses
from spiegel.services.response_import import suggest_responses_mapping
from spiegel.store.db import transaction
from spiegel.store.models import Survey
from spiegel.store.response_frames import load_responses

from .conftest import FILES

EXPORTS = FILES / "exports"


def _columns(path: Path) -> dict[str, str]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8"))["columns"])


def _answers(engine: Engine, slug: str) -> list[tuple[object, ...]]:
    with transaction(engine) as session:
        survey = session.scalars(select(Survey).where(Survey.slug == slug)).one()
        loaded = load_responses(session, survey)
    frame = loaded.wide()[["unit_code", "role_group", *loaded.items]]
    return sorted(tuple(str(v) for v in row) for row in frame.to_numpy(dtype=object))


@pytest.mark.parametrize(
    ("name", "reference", "instrument"),
    [
        ("qualtrics_text.csv", "qualtrics.yaml", "employee"),
        ("ms_forms.xlsx", "ms_forms.yaml", "employee"),
        ("surveymonkey.csv", "surveymonkey.yaml", "customer"),
        ("google_forms.csv", "google_forms.yaml", "customer"),
        ("limesurvey.sav", "limesurvey_sav.yaml", "employee"),
    ],
)
def test_suggested_mapping_places_every_question(
    org_engine: Engine, tmp_path: Path, name: str, reference: str, instrument: str
) -> None:
    """The suggestion maps the same columns as the mapping written by hand, and importing
    with it gives the same answers."""
    out = tmp_path / "suggested.yaml"
    suggestion = suggest_responses_mapping(
        org_engine, EXPORTS / name, out, survey="s", instrument=instrument
    )
    assert suggestion.unplaced == []
    suggested = _columns(out)
    for column, target in _columns(EXPORTS / reference).items():
        if column in suggested or target not in ("unit", "role_group"):
            assert suggested.get(column) == target, (column, suggested.get(column), target)
    import_responses(
        org_engine, EXPORTS / name, survey="by-hand", wave="w1", mapping=EXPORTS / reference
    )
    import_responses(org_engine, EXPORTS / name, survey="guessed", wave="w2", mapping=out)
    assert _answers(org_engine, "guessed") == _answers(org_engine, "by-hand")


def test_codes_without_labels_are_left_to_fill_in(org_engine: Engine, tmp_path: Path) -> None:
    """Qualtrics' numeric export: the location and role are codes 1-4 that nothing
    explains; the columns are placed by their questions and the codes left as TODO."""
    out = tmp_path / "suggested.yaml"
    suggestion = suggest_responses_mapping(
        org_engine, EXPORTS / "qualtrics_numeric.csv", out, survey="s", instrument="employee"
    )
    assert suggestion.columns["Q1"] == "unit" and suggestion.columns["Q2"] == "role_group"
    assert sorted(suggestion.open_units) == ["1", "2", "3", "4"]
    assert sorted(suggestion.open_roles) == ["1", "2", "3", "4"]
    text = out.read_text(encoding="utf-8")
    assert '# "1": UNIT_CODE' in text and "TODO" in text
    assert "Qualtrics export: 2 header rows skipped" in text
    assert yaml.safe_load(text)["columns"]["Q3_2"] == "vig_fit"


def test_choice_texts_are_mapped_to_the_scale(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "forms.csv"
    path.write_text(
        "Tijdstempel,Op welke locatie werk je?,Wat is je functie?,"
        "Ik begin mijn werkdag meestal met voldoende energie\n"
        "1-3-2024 10:00:00,Café De Brug,Teamleider,Helemaal mee eens\n"
        "1-3-2024 11:00:00,Ééndracht,Uitvoerend,Mee eens\n"
        "1-3-2024 12:00:00,Ééndracht,Uitvoerend,Strongly agree\n"
        "1-3-2024 13:00:00,Ééndracht,Stagiair,Weet ik niet\n",
        encoding="utf-8",
    )
    out = tmp_path / "suggested.yaml"
    suggestion = suggest_responses_mapping(org_engine, path, out, survey="s", instrument="employee")
    column = "Ik begin mijn werkdag meestal met voldoende energie"
    assert suggestion.columns[column] == "vig_energy"
    assert suggestion.values[column] == {"Helemaal mee eens": 5, "Mee eens": 4}
    assert suggestion.open_values[column] == ["Weet ik niet"]
    assert suggestion.open_roles == ["Stagiair"]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["values"][column] == {
        "Helemaal mee eens": 5,
        "Mee eens": 4,
        "Weet ik niet": None,
    }


@pytest.mark.parametrize(
    ("question", "item", "alike"),
    [
        (
            "Tijdens het werk voel ik me fit en alert",
            "Tijdens mijn werk voel ik me fit en alert.",
            True,
        ),
        ("Het kennismakingsgesprek", "Welk cijfer geeft u het kennismakingsgesprek?", True),
        ("Het brengen van uw kind", "Welk cijfer geeft u het ophalen van uw kind?", False),
        ("Response", "Ik heb een goede band met mijn leidinggevende", False),
    ],
)
def test_similarity(question: str, item: str, alike: bool) -> None:
    assert (similarity(question, item) >= 0.6) is alike


def test_a_file_with_a_unit_column_gets_no_second_one(org_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "unit;Vorige locatie;overall_grade\nAMS-01;Café De Brug;8\nAMS-02;Ééndracht;7\n",
        encoding="utf-8",
    )
    out = tmp_path / "suggested.yaml"
    suggestion = suggest_responses_mapping(org_engine, path, out, survey="s", instrument="customer")
    assert suggestion.automatic == ["unit", "overall_grade"]
    assert "unit" not in suggestion.columns.values()
    assert suggestion.unplaced == ["Vorige locatie"]
