"""QR codes for location links (PNG, SVG) and a one-page PDF poster per location.

The poster is HTML rendered by WeasyPrint with the QR code inlined as SVG: nothing is
fetched from the network. Its text is in Dutch and English at once, since a poster at an
entrance serves every visitor.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["Poster", "make_qr", "poster_html", "poster_pdf", "qr_png", "qr_svg"]

TEMPLATES = Path(__file__).parent / "templates"


def make_qr(url: str) -> segno.QRCode:
    """The QR code of ``url``: error correction at least M (segno raises it when the
    symbol has room), never a Micro QR code (phones' cameras read the full kind)."""
    if not url:
        raise ValueError("a QR code needs a non-empty URL")
    return segno.make(url, error="m", micro=False)


def qr_png(url: str, scale: int = 10, border: int = 4) -> bytes:
    """A PNG of the QR code of ``url``: ``scale`` pixels per module, ``border`` modules of
    quiet zone (4 is what the standard asks)."""
    out = io.BytesIO()
    make_qr(url).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qr_svg(url: str, title: str | None = None, scale: int = 10, border: int = 4) -> bytes:
    """An SVG of the QR code of ``url`` with an accessible ``<title>`` (default: the URL)."""
    out = io.BytesIO()
    make_qr(url).save(
        out, kind="svg", scale=scale, border=border, title=title or url, svgclass="qr", nl=False
    )
    return out.getvalue()


@dataclass(frozen=True)
class Poster:
    """What a location's poster says."""

    url: str
    location: str
    organisation: str
    title_nl: str
    title_en: str


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def poster_html(poster: Poster) -> str:
    """The poster as a self-contained HTML page (the QR code inlined as SVG)."""
    svg = qr_svg(poster.url, title=poster.url, scale=1, border=4).decode()
    svg = svg[svg.index("<svg") :]
    return _environment().get_template("poster.html").render(poster=poster, qr_svg=svg)


def _no_network(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    raise ValueError(f"the poster fetches nothing from outside ({url})")


def poster_pdf(poster: Poster) -> bytes:
    """The poster as a one-page A4 PDF."""
    from weasyprint import HTML  # heavy (Pango): loaded only when a poster is made

    document = HTML(string=poster_html(poster), url_fetcher=_no_network).render()
    if len(document.pages) != 1:
        raise ValueError(
            f"the poster for {poster.location!r} runs to {len(document.pages)} pages; "
            "shorten the survey title or location name"
        )
    return bytes(document.write_pdf())
