"""Deferred imports of heavy modules, so that start-up pays only for what it uses.

``spiegel --help``, a ``spiegel serve`` worker and a respondent's requests must not wait
for pandas, the statistics, the report renderer or semopy (which loads sympy): a restart
is downtime. A module that needs one of them only in some of its functions writes::

    from typing import TYPE_CHECKING

    from spiegel._lazy import lazy_module

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy_module("pandas")

``pd`` then behaves like the module once an attribute is used; type checkers see the real
import. Use it for modules, not names (``pd.DataFrame``, not ``DataFrame``); a name needed
only in annotations goes under ``TYPE_CHECKING``. ``tests/test_lazy_imports.py`` checks
that the CLI's start and a respondent's requests load none of the heavy modules.
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
