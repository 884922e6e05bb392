"""The tables an export writes: responses, scale scores and units, with their labels.

Respondent-level tables for administrators and analysts; no group aggregates are made
here (those go through :mod:`spiegel.privacy` elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from spiegel.analysis.scoring import score_scales
from spiegel.instruments.model import ChoiceFormat, Instrument, TextFormat

ROLE_CODES: dict[str, int] = {
    "senior_management": 1,
    "manager": 2,
    "front_line": 3,
    "back_office": 4,
}
ROLE_LABELS = {
    "nl": {
        1: "Senior management",
        2: "Leidinggevende",
        3: "Frontoffice / uitvoerend",
        4: "Backoffice / ondersteunend",
    },
    "en": {1: "Senior management", 2: "Manager", 3: "Front line", 4: "Back office"},
}
META = ["response_id", "respondent", "survey", "wave", "unit_code", "unit_name", "role_group"]


@dataclass
class ExportTable:
    """A table to write, with the labels an SPSS file carries."""

    frame: pd.DataFrame
    value_labels: dict[str, dict[float | int | str, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lang: str = "nl"

    def for_format(self, kind: str) -> ExportTable:
        """SPSS gets the role group as a labelled number; other formats keep the text."""
        if kind != "sav" or "role_group" not in self.frame.columns:
            return self
        frame = self.frame.copy()
        frame["role_group"] = frame["role_group"].map(ROLE_CODES).astype("float64")
        labels = dict(self.value_labels)
        role_labels = ROLE_LABELS.get(self.lang, ROLE_LABELS["nl"])
        labels["role_group"] = {float(k): v for k, v in role_labels.items()}
        return ExportTable(frame, labels, self.variable_labels, self.notes, self.lang)


def _meta(
    meta: pd.DataFrame, units: pd.DataFrame, survey: str, wave: str, audience: str
) -> pd.DataFrame:
    names = dict(zip(units["id"], units["name"], strict=True))
    out = pd.DataFrame(
        {
            "response_id": meta["response_id"].to_numpy(dtype=np.int64),
            "respondent": meta["external_id"].astype("str").to_numpy(),
            "survey": survey,
            "wave": wave,
            "unit_code": meta["unit_code"].astype("str").to_numpy(),
            "unit_name": meta["unit_id"].map(names).astype("str").to_numpy(),
        }
    )
    if audience == "employee":
        out["role_group"] = meta["role_group"].astype("str").to_numpy()
    return out


def responses_table(
    meta: pd.DataFrame,
    items: list[str],
    matrix: np.ndarray,
    instrument: Instrument,
    units: pd.DataFrame,
    survey: str,
    wave: str,
    texts: pd.DataFrame | None = None,
    lang: str = "nl",
) -> ExportTable:
    """One row per response: metadata, one column per item, open texts when given.

    ``meta`` has ``response_id, unit_id, unit_code, role_group, external_id`` (as
    :func:`spiegel.store.response_frames.load_responses` returns it); ``texts`` has
    ``response_id, item_id, text``. Items keep their stored numbers; a choice item with
    text codes is written as its code except in SPSS, which gets the number and a label.
    """
    frame = _meta(meta, units, survey, wave, instrument.audience)
    value_labels: dict[str, dict[float | int | str, str]] = {}
    variable_labels: dict[str, str] = {}
    for j, item_id in enumerate(items):
        frame[item_id] = matrix[:, j] if matrix.size else np.full(len(frame), np.nan)
        if not instrument.has_item(item_id):
            continue
        fmt = instrument.format_of(item_id)
        variable_labels[item_id] = instrument.item(item_id).text.get(lang)
        labels = fmt.value_labels(lang)
        if isinstance(fmt, ChoiceFormat) and not all(isinstance(c, int) for c in fmt.values):
            value_labels[item_id] = {float(i + 1): str(labels[c]) for i, c in enumerate(fmt.values)}
        elif labels:
            value_labels[item_id] = {float(k): str(v) for k, v in labels.items()}
    if texts is not None:
        for item in instrument.items:
            if not isinstance(instrument.format_of(item.id), TextFormat):
                continue
            given = texts[texts["item_id"] == item.id]
            by_response = dict(zip(given["response_id"], given["text"], strict=True))
            frame[item.id] = pd.Series(frame["response_id"].map(by_response), dtype="str")
            variable_labels[item.id] = item.text.get(lang)
    return ExportTable(frame, value_labels, variable_labels, lang=lang)


def text_choice_codes(instrument: Instrument, frame: pd.DataFrame) -> pd.DataFrame:
    """Replace the position numbers of text-coded choice items by their codes."""
    out = frame
    for item in instrument.items:
        fmt = instrument.format_of(item.id)
        if item.id not in frame.columns or not isinstance(fmt, ChoiceFormat):
            continue
        if all(isinstance(c, int) for c in fmt.values):
            continue
        codes = {float(i + 1): str(c) for i, c in enumerate(fmt.values)}
        out = out.copy() if out is frame else out
        out[item.id] = pd.Series(frame[item.id].map(codes), dtype="str")
    return out


def scores_table(
    meta: pd.DataFrame,
    items: list[str],
    matrix: np.ndarray,
    instrument: Instrument,
    units: pd.DataFrame,
    survey: str,
    wave: str,
    min_share: float = 0.5,
    lang: str = "nl",
) -> ExportTable:
    """One row per response: metadata and the score on each scale of the instrument.

    Scores are the mean of the answered items after reverse keying
    (:func:`spiegel.analysis.scoring.score_scales`); a respondent who answered fewer than
    ``min_share`` of a scale's items gets no score on it, and the notes count them.
    """
    frame = _meta(meta, units, survey, wave, instrument.audience)
    answers = (
        pd.DataFrame(matrix, columns=items)
        if matrix.size
        else pd.DataFrame({i: pd.Series(dtype=float) for i in items})
    )
    specs = instrument.scale_specs()
    if not specs:
        raise ValueError(f"instrument {instrument.name!r} has no scales to score")
    for spec in specs.values():
        for item_id in spec.items:
            if item_id not in answers.columns:
                answers[item_id] = np.nan
    scores = score_scales(answers, instrument, min_share=min_share)
    variable_labels: dict[str, str] = {}
    for name in scores.columns:
        frame[name] = scores[name].to_numpy()
        variable_labels[str(name)] = instrument.scale(str(name)).title.get(lang)
    missing = scores.attrs.get("n_missing", {})
    unasked = [s for s, n in missing.items() if n and n == len(frame)]
    notes = [
        f"{n} of {len(frame)} respondents without a score on {scale} (fewer than "
        f"{min_share:.0%} of its items answered)"
        for scale, n in missing.items()
        if n and scale not in unasked
    ]
    if unasked:
        notes.append(
            f"no respondent has a score on {', '.join(unasked)} (too few of their items answered)"
        )
    return ExportTable(frame, {}, variable_labels, notes, lang)


def units_table(units: pd.DataFrame) -> ExportTable:
    """The organisation tree: code, name, kind, parent code, unit type, path of codes.

    ``units`` has ``id, code, name, kind, parent_id, unit_type, path, active``.
    """
    code_of = dict(zip(units["id"], units["code"], strict=True))
    paths = [
        "/".join(code_of.get(int(p), "?") for p in str(path).strip("/").split("/") if p)
        for path in units["path"]
    ]
    frame = pd.DataFrame(
        {
            "code": units["code"].astype("str"),
            "name": units["name"].astype("str"),
            "kind": units["kind"].astype("str"),
            "parent": units["parent_id"].map(code_of).astype("str"),
            "unit_type": units["unit_type"].astype("str"),
            "path": pd.Series(paths, dtype="str", index=units.index),
            "active": units["active"].astype(bool),
        }
    )
    return ExportTable(frame.sort_values("path", kind="stable").reset_index(drop=True))
