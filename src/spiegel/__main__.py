"""The ``spiegel`` command's entry point (the console script, and ``python -m spiegel``).

Kept small on purpose: every ``spiegel serve`` worker runs the console script again
(multiprocessing starts a process that way), and a worker needs none of the command line:
Typer, Rich and the command modules load only when :func:`main` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiegel._lazy import lazy_module

if TYPE_CHECKING:
    from spiegel import cli
else:
    cli = lazy_module("spiegel.cli")


def main() -> None:
    """Run the ``spiegel`` command."""
    cli.main()


if __name__ == "__main__":
    main()
