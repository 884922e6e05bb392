"""``spiegel import`` and ``spiegel export``: files in and out."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spiegel._lazy import lazy_module
from spiegel.cli import import_batches
from spiegel.cli.common import DbOption, console, database, friendly_errors, settings_for

if TYPE_CHECKING:
    from spiegel.cli import import_output
    from spiegel.config import Settings
    from spiegel.services import exporting, importing, response_import
else:  # pandas and the file readers load when an import or export runs
    import_output = lazy_module("spiegel.cli.import_output")
    exporting = lazy_module("spiegel.services.exporting")
    importing = lazy_module("spiegel.services.importing")
    response_import = lazy_module("spiegel.services.response_import")

import_app = typer.Typer(
    help="Import units, employees, survey responses or outcomes from CSV, Excel (.xlsx) or "
    "SPSS (.sav), survey-tool exports as they are. An import is all or nothing; the same "
    "file twice changes nothing; `import undo` takes one out again.",
    no_args_is_help=True,
)
export_app = typer.Typer(
    help="Export responses, scale scores or units to CSV, Excel, SPSS or Parquet (by the "
    "file's extension). Respondent-level data: for administrators and analysts.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the main application."""
    import_batches.register(import_app)
    app.add_typer(import_app, name="import")
    app.add_typer(export_app, name="export")


class Layout(StrEnum):
    wide = "wide"
    long = "long"


FileArg = Annotated[Path, typer.Argument(help="The file to import (.csv, .xlsx or .sav).")]
OutArg = Annotated[
    Path, typer.Argument(help="The file to write: .csv, .xlsx, .sav or .parquet.", dir_okay=False)
]
MappingOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        "-m",
        help="Mapping file (YAML): columns, codes and unit labels.",
        dir_okay=False,
    ),
]
OrgOpt = Annotated[
    str | None, typer.Option("--org", help="Organisation (slug); needed when there are several.")
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding", help="CSV: the file's encoding (default: detected; UTF-8 or Windows-1252)."
    ),
]
DelimiterOpt = Annotated[
    str | None, typer.Option("--delimiter", help="CSV: the delimiter (default: detected).")
]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Excel: the sheet to read.")]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--errors-csv", help="Write every problem found to this CSV file.", dir_okay=False
    ),
]
LayoutOpt = Annotated[
    Layout | None,
    typer.Option(
        "--layout",
        help="wide (a column per item) or long (respondent, item, value); default: detected.",
    ),
]
SurveyOpt = Annotated[str, typer.Option("--survey", "-s", help="The survey (slug).")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: nl or en.")]
OutDelimiterOpt = Annotated[str, typer.Option("--delimiter", help="CSV: the delimiter.")]


def _options(
    encoding: str | None, delimiter: str | None, sheet: str | None, settings: Settings
) -> importing.ReadOptions:
    if delimiter == "\\t" or (delimiter or "").lower() == "tab":
        delimiter = "\t"
    return importing.ReadOptions.from_settings(
        settings, encoding=encoding, delimiter=delimiter, sheet=sheet
    )


@import_app.command("units")
def import_units(
    file: FileArg,
    mapping: MappingOpt = None,
    org: OrgOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    errors_csv: ErrorsOpt = None,
    db: DbOption = None,
) -> None:
    """Import the organisation tree: code, name, kind, parent, unit_type.

    The first import creates the organisation from the unit without a parent (or --org).
    Importing a changed file updates names and parents; nothing is duplicated.
    """
    settings = settings_for(db)
    with friendly_errors(), import_output.import_errors(errors_csv), database(settings) as engine:
        options = _options(encoding, delimiter, sheet, settings)
        import_output.report(importing.import_units(engine, file, mapping, org, options))


@import_app.command("employees")
def import_employees(
    file: FileArg,
    mapping: MappingOpt = None,
    org: OrgOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    errors_csv: ErrorsOpt = None,
    db: DbOption = None,
) -> None:
    """Import employees: key, unit, role_group, and optionally email and name."""
    settings = settings_for(db)
    with friendly_errors(), import_output.import_errors(errors_csv), database(settings) as engine:
        options = _options(encoding, delimiter, sheet, settings)
        import_output.report(importing.import_employees(engine, file, mapping, org, options))


@import_app.command("responses")
def import_responses(
    file: FileArg,
    survey: SurveyOpt,
    wave: Annotated[
        str | None,
        typer.Option("--wave", "-w", help="Wave of a new survey (created when missing)."),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            "-i",
            help="Instrument of a new survey (see `spiegel instruments list`).",
        ),
    ] = None,
    mapping: MappingOpt = None,
    layout: LayoutOpt = None,
    org: OrgOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    errors_csv: ErrorsOpt = None,
    allow_duplicates: Annotated[
        bool,
        typer.Option(
            "--allow-duplicates",
            help="Import even when respondent ids are already in another survey of the "
            "same wave and audience.",
        ),
    ] = False,
    suggest: Annotated[
        Path | None,
        typer.Option(
            "--suggest-mapping",
            help="Write a mapping file guessed from the question texts and answers to "
            "this file, and import nothing.",
            dir_okay=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Import survey responses, wide (a row per respondent) or long (a row per answer).

    An existing survey is named with --survey; a new one also needs --wave and
    --instrument. Rows whose respondent id is already stored are skipped and counted.
    Exports of Qualtrics, SurveyMonkey, LimeSurvey and Microsoft/Google Forms are read as
    they are; --suggest-mapping writes a first mapping file for them.
    """
    with friendly_errors(), import_output.import_errors(errors_csv):
        settings = settings_for(db)
        options = _options(encoding, delimiter, sheet, settings)
        with database(settings) as engine:
            if suggest is not None:
                import_output.suggested(
                    response_import.suggest_responses_mapping(
                        engine,
                        file,
                        suggest,
                        survey,
                        instrument=instrument,
                        mapping=mapping,
                        organisation=org,
                        read_options=options,
                        instrument_dirs=settings.instrument_dirs,
                    ),
                    suggest,
                )
                return
            with import_output.progress_bar() as progress:
                result = importing.import_responses(
                    engine,
                    file,
                    survey,
                    wave=wave,
                    instrument=instrument,
                    mapping=mapping,
                    organisation=org,
                    layout=layout.value if layout else None,
                    read_options=options,
                    instrument_dirs=settings.instrument_dirs,
                    progress=progress,
                    allow_duplicates=allow_duplicates,
                )
            import_output.report(result)


@import_app.command("outcomes")
def import_outcomes(
    file: FileArg,
    mapping: MappingOpt = None,
    layout: LayoutOpt = None,
    org: OrgOpt = None,
    encoding: EncodingOpt = None,
    delimiter: DelimiterOpt = None,
    sheet: SheetOpt = None,
    errors_csv: ErrorsOpt = None,
    db: DbOption = None,
) -> None:
    """Import outcomes per unit and period: long (unit, metric, period, value) or wide
    (unit, period and a column per metric)."""
    settings = settings_for(db)
    with friendly_errors(), import_output.import_errors(errors_csv), database(settings) as engine:
        options = _options(encoding, delimiter, sheet, settings)
        import_output.report(
            importing.import_outcomes(
                engine, file, mapping, org, layout.value if layout else None, options
            )
        )


def _exported(result: exporting.ExportResult) -> None:
    console.print(f"[green]Exported[/] {result.summary()}")
    for note in result.notes:
        console.print(f"  {note}")


@export_app.command("responses")
def export_responses(
    file: OutArg,
    survey: SurveyOpt,
    texts: Annotated[
        bool,
        typer.Option(
            "--texts/--no-texts", help="Include open-text answers (they can identify people)."
        ),
    ] = False,
    lang: LangOpt = "nl",
    delimiter: OutDelimiterOpt = ",",
    org: OrgOpt = None,
    db: DbOption = None,
) -> None:
    """Every response of a survey: respondent, unit, role group, one column per item."""
    with friendly_errors(), database(settings_for(db)) as engine:
        _exported(
            exporting.export_responses(engine, file, survey, org, texts, lang, _delim(delimiter))
        )


@export_app.command("scores")
def export_scores(
    file: OutArg,
    survey: SurveyOpt,
    min_share: Annotated[
        float,
        typer.Option("--min-share", help="Share of a scale's items a respondent must answer."),
    ] = 0.5,
    lang: LangOpt = "nl",
    delimiter: OutDelimiterOpt = ",",
    org: OrgOpt = None,
    db: DbOption = None,
) -> None:
    """Each response's scale scores (mean of answered items, reverse keying applied)."""
    with friendly_errors(), database(settings_for(db)) as engine:
        _exported(
            exporting.export_scores(engine, file, survey, org, min_share, lang, _delim(delimiter))
        )


@export_app.command("units")
def export_units(
    file: OutArg,
    delimiter: OutDelimiterOpt = ",",
    org: OrgOpt = None,
    db: DbOption = None,
) -> None:
    """The organisation tree (can be imported again with `spiegel import units`)."""
    with friendly_errors(), database(settings_for(db)) as engine:
        _exported(exporting.export_units(engine, file, org, _delim(delimiter)))


def _delim(value: str) -> str:
    return "\t" if value in ("\\t", "tab") else value
