"""One wave's respondent frames: a row per respondent, a column per instrument item.

The columns are ``respondent_id``, ``unit``, (employees: ``role_group``), ``wave``, then
every item of the instrument in questionnaire order: numbers as float with NaN for a
skipped item, open text as str or None. An item the generator gives no answers is left
empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spiegel.demo.customers import CustomerLayout, CustomerWave
from spiegel.demo.organisation import Organisation
from spiegel.demo.texts import EMPLOYEE_COMMENTS
from spiegel.demo.truth import ROLE_GROUPS, Truth
from spiegel.instruments import Instrument, TextFormat

__all__ = ["customer_frame", "employee_frame"]


def _ids(prefix: str, n: int) -> np.ndarray:
    if n == 0:
        return np.empty(0, dtype=object)
    width = max(5, len(str(n)))
    numbers = np.char.zfill(np.arange(1, n + 1).astype(str), width)
    return np.char.add(prefix, numbers).astype(object)


def _frame(
    columns: dict[str, object],
    instrument: Instrument,
    n: int,
    answers: dict[str, np.ndarray],
    comment_item: str | None,
    comments: np.ndarray | None,
) -> pd.DataFrame:
    """``columns`` followed by one column per item: its answers, else the comments for
    ``comment_item``, else empty (None for open text, NaN for numbers)."""
    for item in instrument.item_ids:
        if item in answers:
            columns[item] = answers[item]
        elif item == comment_item:
            columns[item] = comments
        elif isinstance(instrument.format_of(item), TextFormat):
            columns[item] = np.full(n, None, dtype=object)
        else:
            columns[item] = np.full(n, np.nan)
    return pd.DataFrame(columns)


def _first_text_item(instrument: Instrument) -> str | None:
    return next(
        (i for i in instrument.item_ids if isinstance(instrument.format_of(i), TextFormat)), None
    )


def employee_frame(
    wave: str,
    instrument: Instrument,
    answers: dict[str, np.ndarray],
    respond: np.ndarray,
    org: Organisation,
    truth: Truth,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The responding employees' answers; the first open-text item gets a few comments."""
    idx = np.flatnonzero(respond)
    n = idx.size
    columns: dict[str, object] = {
        "respondent_id": _ids(f"{wave}-M", n),
        "unit": org.units["code"].to_numpy()[org.emp_unit[idx]],
        "role_group": np.array(ROLE_GROUPS, dtype=object)[org.emp_role[idx]],
        "wave": wave,
    }
    comment_item = _first_text_item(instrument)
    comments = None
    if comment_item is not None and comment_item not in answers:
        comments = np.full(n, None, dtype=object)
        writes = rng.random(n) < truth.employee_comment_rate
        pick = rng.integers(0, len(EMPLOYEE_COMMENTS), size=int(writes.sum()))
        comments[writes] = np.asarray(EMPLOYEE_COMMENTS, dtype=object)[pick]
    mine = {item: values[idx] for item, values in answers.items()}
    return _frame(columns, instrument, n, mine, comment_item, comments)


def customer_frame(
    wave: str,
    instrument: Instrument,
    layout: CustomerLayout,
    cw: CustomerWave,
    org: Organisation,
) -> pd.DataFrame:
    """One wave's customer answers, with their comments in ``layout.comment_item``."""
    n = cw.location.size
    columns: dict[str, object] = {
        "respondent_id": _ids(f"{wave}-K", n),
        "unit": org.location_codes.astype(object)[cw.location],
        "wave": wave,
    }
    return _frame(columns, instrument, n, cw.answers, layout.comment_item, cw.comments)
