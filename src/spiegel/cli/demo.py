"""``spiegel demo``: the whole product on a synthetic childcare organisation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from spiegel._lazy import lazy_module
from spiegel.cli.analysis import print_steps
from spiegel.cli.common import console, friendly_errors
from spiegel.cli.serve import public_url_for, serve_cmd

if TYPE_CHECKING:
    from spiegel.services import demo, demo_accounts
else:
    demo = lazy_module("spiegel.services.demo")
    demo_accounts = lazy_module("spiegel.services.demo_accounts")


def demo_cmd(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to build the demo.", file_okay=False)
    ] = Path("spiegel-demo"),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same data.")] = 1,
    employees: Annotated[int, typer.Option(help="Number of employees.")] = 1200,
    customers: Annotated[int, typer.Option(help="Customer responses per wave.")] = 10_000,
    locations: Annotated[int, typer.Option(min=2, help="Number of locations.")] = 80,
    bootstrap: Annotated[
        int,
        typer.Option(
            min=20, help="Bootstrap samples for the confidence intervals (fewer: faster)."
        ),
    ] = 500,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Stop after the report; do not start the web app.")
    ] = False,
    pdf: Annotated[bool, typer.Option(help="Also write the PDF report.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web application.")] = 8000,
) -> None:
    """Build a demo organisation with known effects, analyse it, write the report, serve it."""
    start = time.perf_counter()
    with friendly_errors(), console.status("Building the demo...") as status:
        last = [start]

        def progress(message: str) -> None:
            now = time.perf_counter()
            console.log(f"{message}", style="dim" if message.startswith("analysing") else "")
            status.update(f"Demo: {message}")
            last[0] = now

        build = demo.build_demo(
            directory,
            seed=seed,
            employees=employees,
            customers_per_wave=customers,
            locations=locations,
            n_boot=bootstrap,
            pdf=pdf,
            progress=progress,
        )
    print_steps(build.steps)
    console.print(f"\nDemo built in {time.perf_counter() - start:.0f} s in [bold]{directory}[/]:")
    console.print(f"  database      {build.database}")
    console.print(f"  import files  {directory / 'data'}")
    for name, path in build.reports.items():
        console.print(f"  {name:<13} {path}")
    url = public_url_for("127.0.0.1", port)
    accounts_file = demo_accounts.write_accounts_file(directory, build.accounts, url)
    _print_accounts(build.accounts, url, accounts_file)
    if no_serve:
        console.print(
            f"\nServe it later with: spiegel serve --port {port} --db {build.database}",
            highlight=False,
            soft_wrap=True,
        )
        return
    console.print("\nStarting the web application (Ctrl+C to stop)...")
    serve_cmd(host="127.0.0.1", port=port, workers=1, db=build.database)


def _print_accounts(accounts: list[demo_accounts.DemoAccount], url: str, saved: Path) -> None:
    """The demo's staff accounts, shown this once (and kept in ``saved``)."""
    console.print(
        f"\nOpen [bold]{url}/login[/] and log in with one of these accounts:",
        highlight=False,
        soft_wrap=True,
    )
    for account in accounts:
        console.print(
            f"  {account.role:<8} [bold]{account.email}[/]  password [bold]{account.password}[/]"
            f"  (sees {account.scope})",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"The passwords are shown only now; they are also in {saved} (readable by you only).",
        highlight=False,
        soft_wrap=True,
    )
