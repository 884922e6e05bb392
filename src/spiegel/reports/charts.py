"""Chart definitions as Vega-Lite specifications, built with Altair.

One definition serves the web (rendered in the browser by the bundle Spiegel serves
itself), the HTML report and the PDF (both rendered to SVG by vl-convert, offline).
Every function takes an already-protected table: hidden groups arrive without numbers
and are drawn as "too few responses", never as values.
"""

from __future__ import annotations

from typing import cast

import altair as alt
import pandas as pd
import vl_convert as vlc

VL_VERSION = "6.4"
PALETTE = {
    "primary": "#1f5f8b",
    "accent": "#d9822b",
    "good": "#2e7d4f",
    "bad": "#b3261e",
    "muted": "#9aa5b1",
}
LABEL_LIMIT = 320  # px for a row label (an item's question): whole, not cut at 180
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
Spec = dict[str, object]


Drawable = alt.Chart | alt.LayerChart | alt.FacetChart


def to_spec(chart: Drawable) -> Spec:
    """The Vega-Lite dictionary of an Altair chart, data inlined."""
    configured = (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=11,
            titleFontSize=12,
            grid=True,
            gridColor="#e6e9ed",
            # Vega describes axes and legends to screen readers in English ("a linear
            # scale with values from ..."); the chart's title and the table beside it say
            # it in the reader's language.
            aria=False,
        )
        .configure_legend(aria=False)
    )
    return cast(Spec, configured.to_dict())


def to_svg(spec: Spec, width: int = 640) -> str:
    """Render a Vega-Lite spec to SVG, offline; a container-wide chart gets ``width``."""
    static = dict(spec)
    if static.get("width") == "container":
        static["width"] = width
    svg: str = vlc.vegalite_to_svg(static, vl_version=VL_VERSION)
    return svg


def relative(mean: float | None, reference: float | None, higher_is_better: bool) -> float | None:
    """How much better than ``reference`` a mean is, in scale points (negative: worse).

    For a scale where a high score is worrying (``higher_is_better`` false) a mean above
    the reference is worse, so its sign flips: high workload never shows as green.
    """
    if mean is None or reference is None:
        return None
    gap = mean - reference
    return gap if higher_is_better else -gap


def heatmap(
    table: pd.DataFrame,
    row: str,
    column: str,
    value: str,
    label: str,
    domain: tuple[float, float],
    row_title: str,
    column_title: str,
    hidden_text: str,
    legend_title: str = "",
) -> Spec:
    """Units x scales. ``value`` is NaN for hidden cells, which show ``hidden_text``.

    ``value`` is a diverging figure (see :func:`relative`): 0 is the organisation,
    positive better, negative worse, coloured red - yellow - green on the symmetric
    ``domain``, with a colour legend titled ``legend_title`` below the chart.
    """
    data = table[[row, column, value, label]].copy()
    data["text"] = data[label].fillna(hidden_text)
    n_rows = data[row].nunique()
    base = alt.Chart(data).encode(
        x=alt.X(
            f"{column}:N",
            title=column_title,
            sort=None,
            axis=alt.Axis(labelAngle=-40, orient="top", grid=False, labelLimit=0),
        ),
        # The rows are named units: the row title names them for screen readers and
        # tooltips, but is not drawn over their names.
        y=alt.Y(
            f"{row}:N",
            title=row_title,
            sort=None,
            axis=alt.Axis(grid=False, labelLimit=0, title=None),
        ),
    )
    low, high = domain
    cells = base.mark_rect(stroke="white").encode(
        color=alt.condition(
            f"isValid(datum['{value}'])",
            alt.Color(
                f"{value}:Q",
                scale=alt.Scale(
                    scheme="redyellowgreen", domain=[low, high], domainMid=0, clamp=True
                ),
                title=legend_title or None,
                legend=alt.Legend(
                    orient="bottom",
                    direction="horizontal",
                    gradientLength=260,
                    titleLimit=0,
                    format="+.1f",
                ),
            ),
            alt.value("#eceff1"),
        ),
        tooltip=[f"{row}:N", f"{column}:N", alt.Tooltip("text:N", title=column_title)],
    )
    strong = 0.6 * max(abs(low), abs(high))  # dark cells get white text, for contrast
    text = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition(
            f"isValid(datum['{value}']) && abs(datum['{value}']) > {strong}",
            alt.value("white"),
            alt.value("#1b1f23"),
        ),
    )
    return to_spec(alt.layer(cells, text).properties(width="container", height=20 * n_rows + 20))


def scatter_with_fit(
    points: pd.DataFrame,
    x: str,
    y: str,
    label: str,
    fit: pd.DataFrame | None,
    x_title: str,
    y_title: str,
    size: str | None = None,
) -> Spec:
    """Units as points, with a fitted line and its confidence band (columns x, fit, lo, hi)."""
    enc: dict[str, object] = {
        "x": alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False)),
        "y": alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
        "tooltip": [
            f"{label}:N",
            alt.Tooltip(f"{x}:Q", format=".2f"),
            alt.Tooltip(f"{y}:Q", format=".2f"),
        ],
    }
    if size:
        enc["size"] = alt.Size(f"{size}:Q", title="n", legend=None)
    layers: list[alt.Chart] = []
    if fit is not None and len(fit):
        band = (
            alt.Chart(fit)
            .mark_area(opacity=0.18, color=PALETTE["primary"])
            .encode(x="x:Q", y="lo:Q", y2="hi:Q")
        )
        line = (
            alt.Chart(fit)
            .mark_line(color=PALETTE["primary"], strokeWidth=2)
            .encode(x="x:Q", y="fit:Q")
        )
        layers += [band, line]
    dots = alt.Chart(points).mark_circle(opacity=0.75, color=PALETTE["accent"]).encode(**enc)
    return to_spec(alt.layer(*layers, dots).properties(width="container", height=320))


def forest(
    table: pd.DataFrame,
    label: str,
    estimate: str,
    low: str,
    high: str,
    x_title: str,
    zero: float = 0.0,
) -> Spec:
    """Estimates with confidence intervals, one row each, and a reference line."""
    base = alt.Chart(table).encode(
        y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    rule = base.mark_rule(color=PALETTE["primary"], strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", title=x_title), x2=f"{high}:Q"
    )
    dot = base.mark_point(filled=True, size=70, color=PALETTE["primary"]).encode(
        x=f"{estimate}:Q",
        tooltip=[
            f"{label}:N",
            alt.Tooltip(f"{estimate}:Q", format=".3f"),
            alt.Tooltip(f"{low}:Q", format=".3f"),
            alt.Tooltip(f"{high}:Q", format=".3f"),
        ],
    )
    ref = (
        alt.Chart(pd.DataFrame({"zero": [zero]}))
        .mark_rule(color=PALETTE["muted"], strokeDash=[4, 4])
        .encode(x="zero:Q")
    )
    return to_spec(
        alt.layer(ref, rule, dot).properties(width="container", height=28 * len(table) + 30)
    )


def quadrants(
    table: pd.DataFrame,
    label: str,
    x: str,
    y: str,
    category: str,
    x_cut: float,
    y_cut: float,
    x_title: str,
    y_title: str,
) -> Spec:
    """A priority matrix: importance against performance, split into four quadrants."""
    dots = (
        alt.Chart(table)
        .mark_circle(size=120)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False)),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(f"{category}:N", title=None),
            tooltip=[f"{label}:N", f"{category}:N"],
        )
    )
    text = (
        alt.Chart(table)
        .mark_text(align="left", dx=8, fontSize=11)
        .encode(x=f"{x}:Q", y=f"{y}:Q", text=f"{label}:N")
    )
    vline = (
        alt.Chart(pd.DataFrame({"v": [x_cut]}))
        .mark_rule(color=PALETTE["muted"], strokeDash=[4, 4])
        .encode(x="v:Q")
    )
    hline = (
        alt.Chart(pd.DataFrame({"h": [y_cut]}))
        .mark_rule(color=PALETTE["muted"], strokeDash=[4, 4])
        .encode(y="h:Q")
    )
    return to_spec(alt.layer(vline, hline, dots, text).properties(width="container", height=340))


def dumbbell(
    table: pd.DataFrame,
    label: str,
    first: str,
    second: str,
    first_title: str,
    second_title: str,
    x_title: str,
    domain: tuple[float, float] | None = None,
    gap_low: str | None = None,
    gap_high: str | None = None,
) -> Spec:
    """Two values per row joined by a line (customers vs employees; current vs reachable).

    ``domain`` fixes the x axis to the scale's full range. ``gap_low``/``gap_high`` name
    the 95% CI of ``first - second``: drawn as a whisker around ``first`` from
    ``second + gap_low`` to ``second + gap_high``, so a whisker that reaches the other
    dot says the two cannot be told apart.
    """
    long = table.melt(id_vars=[label], value_vars=[first, second], var_name="who", value_name="v")
    long["who"] = long["who"].map({first: first_title, second: second_title})
    x_scale = alt.Scale(domain=list(domain)) if domain else alt.Scale(zero=False)
    base = alt.Chart(long).encode(
        y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    line = base.mark_line(color=PALETTE["muted"]).encode(
        x=alt.X("v:Q", title=x_title, scale=x_scale), detail=f"{label}:N"
    )
    layers: list[alt.Chart] = [line]
    if gap_low and gap_high:
        ci = table[[label, second, gap_low, gap_high]].dropna().copy()
        ci["ci_from"] = ci[second] + ci[gap_low]
        ci["ci_to"] = ci[second] + ci[gap_high]
        layers.append(
            alt.Chart(ci)
            .mark_rule(color=PALETTE["accent"], strokeWidth=2, opacity=0.7)
            .encode(
                y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
                x=alt.X("ci_from:Q", scale=x_scale),
                x2="ci_to:Q",
            )
        )
    dots = base.mark_point(filled=True, size=90).encode(
        x=alt.X("v:Q", scale=x_scale),
        color=alt.Color(
            "who:N",
            scale=alt.Scale(
                domain=[first_title, second_title], range=[PALETTE["accent"], PALETTE["primary"]]
            ),
            title=None,
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[f"{label}:N", "who:N", alt.Tooltip("v:Q", format=".2f")],
    )
    layers.append(dots)
    return to_spec(
        alt.layer(*layers).properties(width="container", height=26 * table[label].nunique() + 40)
    )


def bars(
    table: pd.DataFrame,
    label: str,
    value: str,
    x_title: str,
    low: str | None = None,
    high: str | None = None,
    color: str | None = None,
) -> Spec:
    """Horizontal bars, optionally with error bars."""
    base = alt.Chart(table).encode(
        y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    bar_enc: dict[str, object] = {
        "x": alt.X(f"{value}:Q", title=x_title),
        "tooltip": [f"{label}:N", alt.Tooltip(f"{value}:Q", format=".2f")],
    }
    if color:
        bar_enc["color"] = alt.Color(f"{color}:N", title=None)
    layers: list[alt.Chart] = [
        base.mark_bar(color=PALETTE["primary"], opacity=0.85).encode(**bar_enc)
    ]
    if low and high:
        layers.append(base.mark_rule(color="#333").encode(x=f"{low}:Q", x2=f"{high}:Q"))
    return to_spec(alt.layer(*layers).properties(width="container", height=24 * len(table) + 30))


def lines(
    table: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    x_title: str,
    y_title: str,
    domain: tuple[float, float] | None = None,
    low: str | None = None,
    high: str | None = None,
    small: str | None = None,
) -> Spec:
    """A line per ``series`` over ``x`` (a trend over waves); gaps where ``y`` is missing.

    The y axis runs over ``domain``, the scale's full range, so a small change does not
    look like a cliff (no zoomed axis). ``low``/``high`` name 95% CI columns, drawn as
    error bars; ``small`` names a boolean column marking small groups, drawn hollow.
    """
    y_scale = alt.Scale(domain=list(domain)) if domain else alt.Scale(zero=False)
    tooltip: list[object] = [f"{series}:N", f"{x}:O", alt.Tooltip(f"{y}:Q", format=".2f")]
    if low and high:
        tooltip += [alt.Tooltip(f"{low}:Q", format=".2f"), alt.Tooltip(f"{high}:Q", format=".2f")]
    base = alt.Chart(table).encode(
        x=alt.X(f"{x}:O", title=x_title, sort=None),
        color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    layers: list[alt.Chart] = [
        base.mark_line().encode(y=alt.Y(f"{y}:Q", title=y_title, scale=y_scale))
    ]
    if low and high:
        layers.append(
            base.mark_rule(strokeWidth=1.5, opacity=0.6).encode(
                y=alt.Y(f"{low}:Q", scale=y_scale), y2=f"{high}:Q"
            )
        )
    point_enc: dict[str, object] = {"y": alt.Y(f"{y}:Q", scale=y_scale), "tooltip": tooltip}
    if small:
        point_enc["fill"] = alt.condition(
            f"datum['{small}']", alt.value("white"), alt.Color(f"{series}:N", legend=None)
        )
        point_enc["shape"] = alt.condition(
            f"datum['{small}']", alt.value("diamond"), alt.value("circle")
        )
    layers.append(base.mark_point(filled=False, size=60, strokeWidth=2).encode(**point_enc))
    return to_spec(alt.layer(*layers).properties(width="container", height=240))
