"""``spiegel instruments``: the questionnaire library and the user's own files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from spiegel._lazy import lazy_module
from spiegel.cli.common import console, err_console, friendly_errors

if TYPE_CHECKING:
    from spiegel import config, instruments
else:
    config = lazy_module("spiegel.config")
    instruments = lazy_module("spiegel.instruments")

app = typer.Typer(help="The questionnaire library: list, show and validate.", no_args_is_help=True)

DirsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--dir",
        help="Extra folder with your own instrument files (besides SPIEGEL_INSTRUMENT_DIRS).",
        file_okay=False,
    ),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the texts: nl or en.")]


def _dirs(extra: list[Path] | None) -> list[Path]:
    return [*config.get_settings().instrument_dirs, *(extra or [])]


@app.command("list")
def list_cmd(dirs: DirsOption = None, lang: LangOption = "en") -> None:
    """List the built-in instruments and your own, with any problems."""
    with friendly_errors():
        table = Table(title="Instruments")
        for col in ("name", "version", "audience", "scales", "items", "source", "title"):
            table.add_column(col)
        broken = 0
        for entry in instruments.list_instruments(extra_dirs=_dirs(dirs)):
            inst = entry.instrument
            if inst is None or entry.problems:
                broken += 1
                table.add_row(entry.name, "", "", "", "", entry.file, "[red]invalid[/]")
                continue
            table.add_row(
                inst.name,
                str(inst.version),
                str(inst.audience),
                str(len(inst.scales)),
                str(len(inst.items)),
                "built-in" if entry.builtin else entry.file,
                inst.title.get(lang),
            )
        console.print(table)
        if broken:
            err_console.print(
                f"[yellow]{broken} file(s) invalid: run 'spiegel instruments validate FILE'[/]"
            )


def _show(inst: instruments.Instrument, lang: str) -> Tree:
    tree = Tree(f"[bold]{inst.name}[/] v{inst.version} ({inst.audience}): {inst.title.get(lang)}")
    for scale in inst.scales:
        branch = tree.add(f"[bold]{scale.name}[/]: {scale.title.get(lang)}")
        for item in scale.items:
            mark = " [dim](reversed)[/]" if item.reverse else ""
            branch.add(f"{item.id} [dim]\\[{item.format}][/]{mark}: {item.text.get(lang)}")
    if inst.extra_items:
        other = tree.add("[bold]other items[/]")
        for item in inst.extra_items:
            other.add(f"{item.id} [dim]\\[{item.format}][/]: {item.text.get(lang)}")
    if inst.mirror_pairs:
        mirror = tree.add("[bold]mirror pairs[/] (customer item ↔ employee item)")
        for p in inst.mirror_pairs:
            mirror.add(
                f"{p.customer_instrument}.{p.customer_item} ↔ "
                f"{p.employee_instrument}.{p.employee_item}"
            )
    return tree


@app.command("show")
def show_cmd(
    name: Annotated[str, typer.Argument(help="Instrument name, e.g. engagement.")],
    dirs: DirsOption = None,
    lang: LangOption = "en",
) -> None:
    """Show an instrument's scales and items."""
    with friendly_errors():
        if lang not in ("nl", "en"):
            raise ValueError(f"--lang must be nl or en, not {lang!r}")
        console.print(_show(instruments.get_instrument(name, extra_dirs=_dirs(dirs)), lang))


@app.command("validate")
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="Instrument file(s) to check.")],
    dirs: DirsOption = None,
) -> None:
    """Check instrument files; every problem is listed with its place in the file."""
    failed = 0
    for path in files:
        try:
            problems = instruments.validate_file(path, extra_dirs=_dirs(dirs))
        except (instruments.InstrumentError, OSError) as exc:
            err_console.print(f"[red]{path}: {exc}[/]")
            failed += 1
            continue
        if problems:
            failed += 1
            table = Table(title=f"{path}: {len(problems)} problem(s)", title_justify="left")
            for col in ("line", "where", "problem"):
                table.add_column(col)
            for p in problems:
                table.add_row(str(p.line or ""), p.location or "(document)", p.message)
            err_console.print(table)
        else:
            console.print(f"[green]{path}: valid[/]")
    if failed:
        raise typer.Exit(1)
