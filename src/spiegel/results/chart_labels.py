"""Chart fields a person reads by their titles, not their column names.

A Vega-Lite field without a title is shown by its column name in tooltips and in the
description screen readers read (``scale_title: Engagement``, ``ci_low: 0.36``); a title
that is itself a code (``colour``) reads the same. :func:`titled` gives every such field
a title in the chart's language (:class:`spiegel.results.labels.Labels`). Explicit titles
(also ``None``: no axis title) are kept.

Axes and legends are shared by the layers of a chart and Vega-Lite joins their different
explicit titles ("Grade, estimate"); so a positional field without a title gets the
title its channel has elsewhere in the chart (``x2`` that of ``x``), or stays as it is.
The web pages (``services/dashboards``) and the report (``reports.builder``) pass every
spec through :func:`titled`.
"""

from __future__ import annotations

import re

from spiegel.results.labels import VOCABULARY, Labels

__all__ = ["titled"]

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
#: channels drawn as a shared axis or legend, and the channel whose title they share
_SHARED = {
    "x": "x",
    "x2": "x",
    "y": "y",
    "y2": "y",
    "color": "color",
    "size": "size",
    "theta": "theta",
}
Spec = dict[str, object]


def titled(spec: Spec, labels: Labels) -> Spec:
    """A copy of ``spec`` with a readable title on every field a person reads."""
    shared: dict[str, str] = {}
    _collect(spec, shared)
    out = _walk(spec, labels, shared, None)
    assert isinstance(out, dict)
    return out


def _collect(node: object, shared: dict[str, str], channel: str | None = None) -> None:
    """The first explicit string title of each shared channel."""
    if isinstance(node, list):
        for v in node:
            _collect(v, shared, channel)
    elif isinstance(node, dict):
        if channel in _SHARED and isinstance(node.get("title"), str) and "field" in node:
            shared.setdefault(_SHARED[channel], str(node["title"]))
        for k, v in node.items():
            if k == "encoding" and isinstance(v, dict):
                for ch, fdef in v.items():
                    _collect(fdef, shared, ch)
            elif k not in ("data", "datasets"):
                _collect(v, shared, None)


def _walk(node: object, labels: Labels, shared: dict[str, str], channel: str | None) -> object:
    if isinstance(node, list):
        return [_walk(v, labels, shared, channel) for v in node]
    if not isinstance(node, dict):
        return node
    out: Spec = {}
    for k, v in node.items():
        if k in ("data", "datasets"):
            out[k] = v
        elif k == "encoding" and isinstance(v, dict):
            out[k] = {ch: _walk(fdef, labels, shared, ch) for ch, fdef in v.items()}
        elif k == "condition":
            out[k] = _walk(v, labels, shared, channel)
        else:
            out[k] = _walk(v, labels, shared, None)
    field = out.get("field")
    if channel is None or not isinstance(field, str):
        return out
    title = out.get("title", ...)
    if title is ...:
        if channel in _SHARED:
            if _SHARED[channel] in shared:
                out["title"] = shared[_SHARED[channel]]
        else:
            out["title"] = labels.term(field)
    elif isinstance(title, str) and _is_code(title):
        out["title"] = labels.term(title)
    return out


def _is_code(text: str) -> bool:
    return bool(_CODE.match(text)) and (text in VOCABULARY or "_" in text)
