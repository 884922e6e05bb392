"""``spiegel surveys``, ``spiegel invitations`` and ``spiegel links``: fieldwork.

* ``spiegel surveys list|open|close``: see surveys with their counts; open or close one.
* ``spiegel surveys exclusions|exclude|include``: a customer survey's flagged hours per
  location link; leave a window of a link out of the analysis, or undo that.
* ``spiegel invitations create --survey S [--out mailmerge.csv]``: a personal link for
  every employee who has none yet, written once to a mail-merge file (the tokens are not
  stored and cannot be shown again).
* ``spiegel links --survey S --out DIR``: per location a QR code (PNG and SVG) and a
  one-page PDF poster, and ``links.csv`` listing the addresses. Running it again gives the
  same links.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.table import Table

from spiegel._lazy import lazy_module
from spiegel.cli.common import (
    DbOption,
    console,
    err_console,
    friendly_errors,
    open_session,
    settings_for,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from spiegel.config import Settings
    from spiegel.services import integrity, invitations, qr, surveys
    from spiegel.store import organisation
    from spiegel.store.models import Organisation, Survey
else:
    integrity = lazy_module("spiegel.services.integrity")
    invitations = lazy_module("spiegel.services.invitations")
    qr = lazy_module("spiegel.services.qr")
    surveys = lazy_module("spiegel.services.surveys")
    organisation = lazy_module("spiegel.store.organisation")

app = typer.Typer(help="List surveys; open or close one.", no_args_is_help=True)
invitations_app = typer.Typer(help="Personal survey links for employees.", no_args_is_help=True)

OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="Organisation slug (needed only when there are several)."),
]
SurveyOption = Annotated[str, typer.Option("--survey", "-s", help="The survey's slug.")]
UnitsOption = Annotated[
    list[str] | None,
    typer.Option("--unit", help="Only this unit (code); repeat for several."),
]
MAILMERGE_COLUMNS = (
    "employee_key",
    "email",
    "name",
    "unit_code",
    "unit_name",
    "role_group",
    "url",
)


def _survey(session: Session, org: str | None, slug: str) -> tuple[Organisation, Survey]:
    found = organisation.get_organisation(session, org)
    return found, surveys.find_survey(session, found.id, slug)


def _when(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date or time like 2026-09-01 or 2026-09-01T08:00",
            param_hint=option,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _at(value: str, option: str) -> dt.datetime:
    moment = _when(value, option)
    if moment is None:
        raise typer.BadParameter("give a date or time", param_hint=option)
    return moment


def _state(summary: surveys.SurveySummary) -> str:
    text = summary.state.value.replace("_", " ")
    if summary.state == surveys.SurveyState.NOT_YET_OPEN and summary.opens_at:
        return f"{text} (from {summary.opens_at:%Y-%m-%d %H:%M})"
    if summary.state == surveys.SurveyState.OPEN and summary.closes_at:
        return f"{text} until {summary.closes_at:%Y-%m-%d %H:%M}"
    return text


@app.command("list")
def list_cmd(org: OrgOption = None, db: DbOption = None) -> None:
    """Every survey with its state, links and responses."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        found = organisation.get_organisation(session, org)
        rows = surveys.list_surveys(session, found.id)
        table = Table(title=f"Surveys of {found.name}")
        table.add_column("survey", no_wrap=True)
        table.add_column("wave", no_wrap=True)
        table.add_column("for")
        table.add_column("state")
        table.add_column("links", justify="right")
        table.add_column("responses", justify="right")
        for s in rows:
            links = (
                f"{s.location_links} loc."
                if s.audience == "customer"
                else f"{s.personal_links_used}/{s.personal_links}"
            )
            table.add_row(s.slug, s.wave, s.audience, _state(s), links, str(s.responses))
        console.print(table if rows else "No surveys yet.")


@app.command("open")
def open_cmd(
    slug: Annotated[str, typer.Argument(help="The survey's slug.")],
    opens_at: Annotated[
        str | None, typer.Option("--opens-at", help="Take answers only from then (ISO, UTC).")
    ] = None,
    closes_at: Annotated[
        str | None, typer.Option("--closes-at", help="Stop taking answers then (ISO, UTC).")
    ] = None,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Open a survey for answers (optionally between two moments)."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        _, survey = _survey(session, org, slug)
        surveys.open_survey(
            session, survey, _when(opens_at, "--opens-at"), _when(closes_at, "--closes-at")
        )
        console.print(f"Survey [bold]{slug}[/] is open.")


@app.command("close")
def close_cmd(
    slug: Annotated[str, typer.Argument(help="The survey's slug.")],
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Close a survey: its links show a 'closed' page from now on."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        _, survey = _survey(session, org, slug)
        surveys.close_survey(session, survey)
        console.print(f"Survey [bold]{slug}[/] is closed.")


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


ByOption = Annotated[
    str | None, typer.Option("--by", help="Who does it, for the log (default: cli:USER).")
]


@app.command("exclude")
def exclude_cmd(
    slug: Annotated[str, typer.Argument(help="The survey's slug.")],
    link: Annotated[str, typer.Option("--link", help="The location link: its unit code.")],
    starts: Annotated[str, typer.Option("--from", help="Start of the window (ISO, UTC).")],
    ends: Annotated[str, typer.Option("--to", help="End of the window, not included.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept with the exclusion.")],
    by: ByOption = None,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Leave a location link's web responses in a time window out of the analysis."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        _, survey = _survey(session, org, slug)
        made = integrity.exclude_window(
            session, survey, link, _at(starts, "--from"), _at(ends, "--to"), reason, _who(by)
        )
        console.print(
            f"Exclusion {made.id}: {made.responses} response(s) of link {link} from "
            f"{made.starts_at:%Y-%m-%d %H:%M} to {made.ends_at:%Y-%m-%d %H:%M} UTC are left "
            f"out of the analysis (undo: spiegel surveys include {slug} {made.id})."
        )


@app.command("include")
def include_cmd(
    slug: Annotated[str, typer.Argument(help="The survey's slug.")],
    exclusion: Annotated[int, typer.Argument(help="The exclusion's number.")],
    by: ByOption = None,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Undo an exclusion: its responses count again (the record of it stays)."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        _, survey = _survey(session, org, slug)
        undone = integrity.undo_exclusion(session, survey, exclusion, _who(by))
        console.print(
            f"Exclusion {undone.id} is undone: {undone.responses} response(s) count again."
        )


@app.command("exclusions")
def exclusions_cmd(
    slug: Annotated[str, typer.Argument(help="The survey's slug.")],
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """A customer survey's flagged hours per location link, and its exclusions."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        _, survey = _survey(session, org, slug)
        report = integrity.survey_integrity(session, survey)
        flags = Table(title=f"Flagged windows of {slug} (UTC)")
        for name in ("link", "from", "to", "responses", "left out", "usual/hour"):
            flags.add_column(
                name, justify="left" if name in ("link", "from", "to") else "right", no_wrap=True
            )
        for link, flag in report.flags:
            flags.add_row(
                link.unit_code,
                f"{flag.starts_at:%Y-%m-%d %H:%M}",
                f"{flag.ends_at:%Y-%m-%d %H:%M}",
                str(flag.responses),
                str(flag.excluded),
                f"{link.usual_per_hour:g}",
            )
        console.print(flags if report.flags else "No hour stands out.")
        console.print(
            f"[bold]Exclusions of {slug}[/] (UTC)" if report.exclusions else "No exclusions."
        )
        for e in report.exclusions:
            state = (
                "active" if e.active else f"undone by {e.revoked_by}, {e.revoked_at:%Y-%m-%d %H:%M}"
            )
            console.print(
                f"{e.id}. link {e.unit_code}, {e.starts_at:%Y-%m-%d %H:%M} to "
                f"{e.ends_at:%Y-%m-%d %H:%M}: {e.responses} response(s); {state}\n"
                f"   by {e.created_by}, {e.created_at:%Y-%m-%d %H:%M}: {e.reason}",
                highlight=False,
                markup=False,
            )
        console.print(f"{report.excluded} response(s) are left out of the analysis now.")


def _write_mailmerge(out: TextIO, rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(out, fieldnames=MAILMERGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@invitations_app.command("create")
def create_invitations_cmd(
    survey: SurveyOption,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Mail-merge CSV to write (default: standard output).",
            dir_okay=False,
        ),
    ] = None,
    units: UnitsOption = None,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Create a personal link for every employee who has none for the survey yet."""
    settings = settings_for(db)
    with friendly_errors(), open_session(settings) as session:
        if out is not None and out.exists():
            raise ValueError(f"{out} exists; choose a new file (links are shown only once)")
        owner, found = _survey(session, org, survey)
        unit_ids = None
        if units:
            codes = organisation.units_by_code(session, owner.id)
            by_code = {code: u.id for code, u in codes.items()}
            missing = sorted(set(units) - set(by_code))
            if missing:
                raise ValueError(f"no unit with code(s): {', '.join(missing)}")
            unit_ids = [by_code[c] for c in units]
        issued, skipped = invitations.create_personal_invitations(session, found, unit_ids)
        rows = [
            {
                "employee_key": link.employee_key,
                "email": link.email or "",
                "name": link.name or "",
                "unit_code": link.unit_code,
                "unit_name": link.unit_name,
                "role_group": link.role_group,
                "url": invitations.link_url(settings.public_url, link.token),
            }
            for link in issued
        ]
        if out is None:
            _write_mailmerge(sys.stdout, rows)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("w", encoding="utf-8", newline="") as f:
                _write_mailmerge(f, rows)
        where = f" to {out}" if out else ""
        err_console.print(
            f"{len(issued)} new personal link(s) written{where}; {skipped} employee(s) "
            "already had one. Keep the file safe: the links cannot be shown again."
        )
        _public_url_note(settings)


def links_cmd(
    survey: SurveyOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Directory for the QR codes and posters.", file_okay=False
        ),
    ],
    units: UnitsOption = None,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Per-location links of a customer survey: QR codes (PNG, SVG) and PDF posters."""
    settings = settings_for(db)
    with friendly_errors(), open_session(settings) as session:
        owner, found = _survey(session, org, survey)
        links = invitations.ensure_location_links(session, found, settings.secret_key, units)
        instrument = surveys.instrument_of(found.instrument)
        out.mkdir(parents=True, exist_ok=True)
        index: list[dict[str, str]] = []
        for link in links:
            url = invitations.link_url(settings.public_url, link.token)
            stem = out / link.unit_code
            stem.with_suffix(".png").write_bytes(qr.qr_png(url))
            stem.with_suffix(".svg").write_bytes(qr.qr_svg(url, title=f"{link.unit_name}: {url}"))
            poster = qr.Poster(
                url=url,
                location=link.unit_name,
                organisation=owner.name,
                title_nl=instrument.title.nl,
                title_en=instrument.title.en,
            )
            stem.with_suffix(".pdf").write_bytes(qr.poster_pdf(poster))
            index.append({"unit_code": link.unit_code, "unit_name": link.unit_name, "url": url})
        with (out / "links.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=("unit_code", "unit_name", "url"))
            writer.writeheader()
            writer.writerows(index)
        created = sum(link.created for link in links)
        console.print(
            f"{len(links)} location link(s) ({created} new): QR codes and posters in {out}"
        )
        _public_url_note(settings)


def _public_url_note(settings: Settings) -> None:
    """Say where the links point when ``SPIEGEL_PUBLIC_URL`` is not set (only the web
    server knows its own address)."""
    if "public_url" not in settings.model_fields_set:
        err_console.print(
            f"The links point to {settings.public_url}, because SPIEGEL_PUBLIC_URL is not "
            "set: set it to the address respondents reach Spiegel at before sending them.",
            highlight=False,
        )
