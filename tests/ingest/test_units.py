"""Importing the organisation tree (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from spiegel.ingest.problems import ImportErrors
from spiegel.services.exporting import export_units
from spiegel.services.importing import import_units
from spiegel.store.db import transaction
from spiegel.store.models import Organisation, Unit, UnitKind

from .conftest import FILES, table_counts


def _units(engine: Engine) -> dict[str, Unit]:
    with transaction(engine) as session:
        return {u.code: u for u in session.scalars(select(Unit))}


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["code;name;kind;parent;unit_type", *rows]) + "\n", encoding="utf-8")
    return path


def test_first_import_creates_organisation_and_tree(engine: Engine) -> None:
    result = import_units(engine, FILES / "units.csv")
    assert result.counts == {"created": 10, "updated": 0, "unchanged": 0}
    units = _units(engine)
    with transaction(engine) as session:
        org = session.scalars(select(Organisation)).one()
    assert (org.slug, org.name) == ("zon", "Kinderopvang Zonnestraal")
    assert units["ZUID"].kind == UnitKind.REGION  # Dutch label "regio"
    assert units["UTR-01"].kind == UnitKind.LOCATION  # "locatie"
    assert units["AMS-01"].unit_type == "kinderdagverblijf"
    team = units["AMS-01-T1"]
    expected = f"/{units['ZON'].id}/{units['NOORD'].id}/{units['AMS-01'].id}/{team.id}/"
    assert team.path == expected
    assert units["ZON"].parent_id is None


def test_same_file_twice_changes_nothing(engine: Engine) -> None:
    first = import_units(engine, FILES / "units.csv")
    before = table_counts(engine)
    second = import_units(engine, FILES / "units.csv")
    assert second.already_imported is not None
    assert second.already_imported.batch_id == first.batch_id
    assert "already imported (batch" in second.summary()
    assert table_counts(engine) == before


def test_changed_file_updates_names_and_parents(engine: Engine, tmp_path: Path) -> None:
    import_units(engine, FILES / "units.csv")
    before = _units(engine)
    path = _write(
        tmp_path / "units2.csv",
        [
            "ZON;Kinderopvang Zonnestraal;organisation;;",
            "AMS-01;Café De Nieuwe Brug;location;ZUID;kinderdagverblijf",  # renamed and moved
            "AMS-03;Het Zonnehuis;location;NOORD;bso",  # new
        ],
    )
    result = import_units(engine, path)
    assert result.counts == {"created": 1, "updated": 1, "unchanged": 1}
    after = _units(engine)
    assert len(after) == 11
    assert after["AMS-01"].id == before["AMS-01"].id  # same unit, not a duplicate
    assert after["AMS-01"].name == "Café De Nieuwe Brug"
    zuid, ams = after["ZUID"], after["AMS-01"]
    assert ams.path == f"{zuid.path}{ams.id}/"
    # the team under the moved location follows it
    assert after["AMS-01-T1"].path == f"{zuid.path}{ams.id}/{after['AMS-01-T1'].id}/"


def test_tree_problems_all_reported_and_nothing_written(engine: Engine, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.csv",
        [
            "ROOT;Organisatie;organisation;;",
            "ROOT2;Tweede wortel;organisation;;",  # row 3: a second root
            "A;Regio A;region;ROOT;",
            "A;Regio A bis;region;ROOT;",  # row 5: duplicate code
            "B;Locatie B;location;NOPE;",  # row 6: unknown parent
            "C;Team C;team;D;",  # rows 7-8: a cycle C -> D -> C, reported once
            "D;Team D;team;C;",
            "E;Team E;team;E;",  # row 9: own parent
            "F;;wijk;A;",  # row 10: empty name, unknown kind
        ],
    )
    before = table_counts(engine)
    with pytest.raises(ImportErrors) as info:
        import_units(engine, path)
    got = {(p.row, p.column, p.reason.split(";")[0].split(" (")[0]) for p in info.value.problems}
    assert got == {
        (3, "parent", "a second unit without parent"),
        (5, "code", "duplicate unit code"),
        (6, "parent", "unknown parent: no unit with this code in the file or the organisation"),
        (7, "parent", "the parents form a cycle: C → D → C"),
        (9, "parent", "a unit cannot be its own parent"),
        (10, "name", "empty unit name"),
        (10, "kind", "not a unit kind"),
    }
    assert table_counts(engine) == before


def test_existing_organisation_refuses_a_second_root(engine: Engine, tmp_path: Path) -> None:
    import_units(engine, FILES / "units.csv")
    path = _write(tmp_path / "other.csv", ["X;Andere organisatie;organisation;;"])
    with pytest.raises(ImportErrors, match="already has its root unit 'ZON'"):
        import_units(engine, path)


def test_exported_units_import_again(engine: Engine, tmp_path: Path) -> None:
    import_units(engine, FILES / "units.csv")
    out = tmp_path / "units.xlsx"
    export_units(engine, out)
    result = import_units(engine, out)
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 10}


def test_no_root_for_a_new_organisation(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "noroot.csv", ["A;A;region;B;", "B;B;region;A;"])
    with pytest.raises(ImportErrors) as info:
        import_units(engine, path)
    reasons = [p.reason for p in info.value.problems]
    assert any(r.startswith("no root unit") for r in reasons)
    assert any(r.startswith("the parents form a cycle") for r in reasons)
