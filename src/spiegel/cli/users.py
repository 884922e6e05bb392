"""``spiegel users``: staff accounts for the web application.

* ``spiegel users add EMAIL --role admin|analyst|manager|member [--unit CODE]``: asks for
  the password twice (or reads one line from standard input with ``--password-stdin``).
* ``spiegel users list``: e-mail, role, unit, status.
* ``spiegel users disable EMAIL``: their sessions and API tokens end at once.
* ``spiegel users token EMAIL``: a new API token for integrations, printed once.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

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
from spiegel.store.enums import StaffRole

if TYPE_CHECKING:
    from spiegel.services import users
    from spiegel.store import organisation
else:
    users = lazy_module("spiegel.services.users")
    organisation = lazy_module("spiegel.store.organisation")

app = typer.Typer(help="Staff accounts: add, list, disable; API tokens.", no_args_is_help=True)

OrgOption = Annotated[
    str | None,
    typer.Option("--org", help="Organisation slug (needed only when there are several)."),
]
EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.")]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command("add")
def add_cmd(
    email: EmailArg,
    role: Annotated[
        StaffRole, typer.Option("--role", "-r", help="admin, analyst, manager or member.")
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help="Unit code: the part of the tree a manager or member sees."
        ),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Add a staff user (the password is asked for, at least 10 characters)."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        found = organisation.get_organisation(session, org)
        password = _password(password_stdin)
        user = users.add_user(session, found, email, password, role, unit)
        where = f" for unit {unit}" if unit else ""
        console.print(f"User [bold]{user.email}[/] added as {user.role.value}{where}.")


@app.command("list")
def list_cmd(org: OrgOption = None, db: DbOption = None) -> None:
    """Every staff user with role, unit and status."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        found = organisation.get_organisation(session, org)
        rows = users.list_users(session, found.id)
        table = Table(title=f"Users of {found.name}")
        for column in ("e-mail", "role", "unit", "status"):
            table.add_column(column, no_wrap=column == "e-mail")
        for u in rows:
            table.add_row(
                u.email, u.role, u.unit_code or "all units", "active" if u.active else "disabled"
            )
        console.print(table if rows else "No users yet: add one with spiegel users add.")


@app.command("disable")
def disable_cmd(email: EmailArg, org: OrgOption = None, db: DbOption = None) -> None:
    """Disable a user: their sessions and API tokens end at once."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        found = organisation.get_organisation(session, org)
        user = users.find_user(session, email, found.id)
        users.disable_user(session, user)
        console.print(f"User [bold]{user.email}[/] is disabled.")


@app.command("token")
def token_cmd(
    email: EmailArg,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "",
    org: OrgOption = None,
    db: DbOption = None,
) -> None:
    """Print a new API token for the user (shown once; send it as
    ``Authorization: Bearer TOKEN``)."""
    with friendly_errors(), open_session(settings_for(db)) as session:
        found = organisation.get_organisation(session, org)
        user = users.find_user(session, email, found.id)
        token = users.create_token(session, user, name or "spiegel users token")
        typer.echo(token)
        err_console.print(
            "Keep this token safe: it is shown only now. It acts with this user's role and units."
        )
