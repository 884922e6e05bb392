"""Charts that compare groups with their uncertainty: group means with a 95% CI, small
groups drawn hollow (risk locations against the rest)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from spiegel.reports.charts import LABEL_LIMIT, PALETTE, Spec, to_spec
from spiegel.results import RiskOutcomeLink


def comparison(
    table: pd.DataFrame,
    label: str,
    mean: str,
    low: str,
    high: str,
    x_title: str,
    small: str | None = None,
) -> Spec:
    """Group means with their 95% CI, one row each (e.g. risk locations against the rest);
    rows where ``small`` is true are drawn hollow: a small group, read with care."""
    base = alt.Chart(table).encode(
        y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    rule = base.mark_rule(color=PALETTE["primary"], strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", title=x_title, scale=alt.Scale(zero=True)), x2=f"{high}:Q"
    )
    enc: dict[str, object] = {
        "x": f"{mean}:Q",
        "tooltip": [
            f"{label}:N",
            alt.Tooltip(f"{mean}:Q", format=".2f"),
            alt.Tooltip(f"{low}:Q", format=".2f"),
            alt.Tooltip(f"{high}:Q", format=".2f"),
        ],
    }
    if small:
        enc["fill"] = alt.condition(
            f"datum['{small}']", alt.value("white"), alt.value(PALETTE["primary"])
        )
    dot = base.mark_point(size=90, strokeWidth=2, color=PALETTE["primary"]).encode(**enc)
    return to_spec(alt.layer(rule, dot).properties(width="container", height=34 * len(table) + 40))


def risk_comparison(
    mean_flagged: float,
    mean_other: float,
    ci_low: float,
    ci_high: float,
    n_flagged: int,
    n_other: int,
    titles: tuple[str, str],
    x_title: str,
    small_below: int = 5,
) -> Spec:
    """Flagged locations' mean against the other locations', the 95% CI of the
    difference drawn around the flagged mean (a whisker reaching the other mean: no clear
    difference); a group of fewer than ``small_below`` locations is drawn hollow."""
    frame = pd.DataFrame(
        {
            "group": [f"{titles[0]} (n = {n_flagged})", f"{titles[1]} (n = {n_other})"],
            "mean": [mean_flagged, mean_other],
            "low": [mean_other + ci_low, mean_other],
            "high": [mean_other + ci_high, mean_other],
            "small": [n_flagged < small_below, n_other < small_below],
        }
    )
    return comparison(frame, "group", "mean", "low", "high", x_title, small="small")


ABSENTEEISM_TITLES = {
    "nl": (("Risicolocaties", "Overige locaties"), "Verzuim (%)"),
    "en": (("Risk locations", "Other locations"), "Absenteeism (%)"),
}


def absenteeism_comparison(link: RiskOutcomeLink, lang: str) -> Spec | None:
    """:func:`risk_comparison` of the risk step's absenteeism link in ``lang``, or
    ``None`` when the link has no interval to draw."""
    flagged, other, low, high = link.mean_flagged, link.mean_other, link.ci_low, link.ci_high
    if flagged is None or other is None or low is None or high is None:
        return None
    groups, x_title = ABSENTEEISM_TITLES["nl" if lang == "nl" else "en"]
    return risk_comparison(flagged, other, low, high, link.n_flagged, link.n_other, groups, x_title)
