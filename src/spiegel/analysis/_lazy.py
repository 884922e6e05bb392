"""Deferred import of heavy dependencies (semopy loads sympy: seconds at start-up).

``semopy = lazy_module("semopy")`` behaves like the module once an attribute is used, so
``import spiegel.analysis`` stays fast for the CLI and the web tier, which rarely fit
structural equation models.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule(ModuleType):
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._target: ModuleType | None = None

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if self._target is None:
            self._target = importlib.import_module(self.__name__)
        return getattr(self._target, attr)


def lazy_module(name: str) -> ModuleType:
    """A stand-in for ``import name`` that imports on first use."""
    return LazyModule(name)
