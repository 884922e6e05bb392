"""Every setting and every command is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command

from spiegel.cli import app
from spiegel.config import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer) -> list[str]:
    click_group = get_command(group)
    out = []

    def walk(cmd: object, prefix: str) -> None:
        subs = getattr(cmd, "commands", None)
        if not subs:
            out.append(prefix)
            return
        for name, sub in subs.items():
            walk(sub, f"{prefix} {name}".strip())

    walk(click_group, "")
    return out


def test_every_setting_is_in_the_readme() -> None:
    missing = [
        f"SPIEGEL_{name.upper()}"
        for name in Settings.model_fields
        if f"SPIEGEL_{name.upper()}" not in README
    ]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    commands = _commands(app)
    assert len(commands) > 10
    missing = []
    for command in commands:
        words = command.split()
        # "import units" may appear as "import units|employees|...".
        head, rest = words[0], words[1:]
        if f"spiegel {head}" not in README or any(w not in README for w in rest):
            missing.append(command)
    assert missing == []
