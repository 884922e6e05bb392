"""Build an :class:`Instrument` from a checked document and its parent and includes.

Order of the result: the parent's scales (a scale of the same name in this file takes
its place, ``remove`` drops one), then the scales of each included instrument, then
this file's new scales. Items outside scales follow the same rule, by id.
"""

from __future__ import annotations

from collections.abc import Sequence

from spiegel.instruments.document import InstrumentDoc
from spiegel.instruments.model import Instrument, Item, MirrorPair, ResponseFormat, Scale
from spiegel.instruments.standard import STANDARD_FORMATS

__all__ = ["build_instrument"]


def _localise(pair: MirrorPair, name: str, audience: str) -> MirrorPair:
    """The pair with this instrument's side renamed to ``name``."""
    if audience == "employee":
        return pair.model_copy(update={"employee_instrument": name})
    return pair.model_copy(update={"customer_instrument": name})


def build_instrument(
    doc: InstrumentDoc,
    parent: Instrument | None,
    includes: Sequence[Instrument],
    source: str,
) -> Instrument:
    """The resolved instrument of ``doc`` (which must have passed every check)."""
    formats: dict[str, ResponseFormat] = {}
    for inst in ([parent] if parent is not None else []) + list(includes):
        formats.update(inst.formats)
    formats.update(doc.response_formats)

    def use(fname: str) -> str:
        if fname not in formats:
            formats[fname] = STANDARD_FORMATS[fname]
        return fname

    own_scales = [
        Scale(
            name=s.name,
            title=s.title,
            description=s.description,
            higher_is_better=s.higher_is_better,
            format=use(s.format),
            items=tuple(
                Item(
                    id=i.id,
                    text=i.text,
                    format=use(i.format or s.format),
                    reverse=i.reverse,
                    self_text=i.self_text,
                    title=i.title,
                    scale=s.name,
                )
                for i in s.items
            ),
        )
        for s in doc.scales
    ]
    own_extra = [
        Item(
            id=i.id,
            text=i.text,
            format=use(i.format),
            reverse=i.reverse,
            self_text=i.self_text,
            title=i.title,
            position=i.position,
        )
        for i in doc.items
    ]
    removed = set(doc.remove)
    by_name = {s.name: s for s in own_scales}
    by_id = {i.id: i for i in own_extra}
    scales: list[Scale] = []
    extra: list[Item] = []
    if parent is not None:
        for s in parent.scales:
            if s.name not in removed:
                scales.append(by_name.pop(s.name, s))
        for i in parent.extra_items:
            if i.id not in removed:
                extra.append(by_id.pop(i.id, i))
    for inc in includes:
        scales.extend(inc.scales)
        extra.extend(inc.extra_items)
    scales.extend(by_name.values())
    extra.extend(by_id.values())

    audience = doc.audience or (parent.audience if parent is not None else None)
    title = doc.title or (parent.title if parent is not None else None)
    description = doc.description or (parent.description if parent is not None else None)
    if audience is None or title is None or description is None:
        raise ValueError(f"instrument {doc.name!r} lacks audience, title or description")

    pairs: list[MirrorPair] = []
    lineage: list[str] = [doc.name]
    for inst in ([parent] if parent is not None else []) + list(includes):
        pairs.extend(_localise(p, doc.name, audience) for p in inst.mirror_pairs)
        lineage.extend(n for n in inst.lineage if n not in lineage)
    if doc.mirror is not None:
        for p in doc.mirror.pairs:
            if audience == "employee":
                other = doc.mirror.customer_instrument or ""
                pairs.append(
                    MirrorPair(
                        customer_instrument=other,
                        customer_item=p.customer,
                        employee_instrument=doc.name,
                        employee_item=p.employee,
                    )
                )
            else:
                other = doc.mirror.employee_instrument or ""
                pairs.append(
                    MirrorPair(
                        customer_instrument=doc.name,
                        customer_item=p.customer,
                        employee_instrument=other,
                        employee_item=p.employee,
                    )
                )

    return Instrument(
        name=doc.name,
        version=doc.version,
        title=title,
        audience=audience,
        description=description,
        formats=formats,
        scales=tuple(scales),
        extra_items=tuple(extra),
        mirror_pairs=tuple(pairs),
        lineage=tuple(lineage),
        source=source,
    )
