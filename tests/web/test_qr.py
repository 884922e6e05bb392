"""QR codes and posters: the images encode the link; the poster is a one-page PDF.

The PNG and the SVG are read back into a module matrix (pixels sampled at module
centres; the SVG path's runs replayed) and compared with the QR code segno makes for the
expected URL, which checks the images without a QR decoder library.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import segno
from PIL import Image

from spiegel.services.qr import Poster, make_qr, poster_html, poster_pdf, qr_png, qr_svg

URL = "https://enquete.example.org/s/wze-dd1aMi0xHzAQiGYseuHnZVDfgs0P"


def _matrix(url: str) -> list[list[int]]:
    return [list(row) for row in make_qr(url).matrix]


def _pixel(image: Image.Image, x: int, y: int) -> bool:
    value = image.getpixel((x, y))
    return isinstance(value, int) and value < 128


def _png_matrix(png: bytes, scale: int, border: int) -> list[list[int]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale - 2 * border
    return [
        [
            int(_pixel(image, (border + x) * scale + scale // 2, (border + y) * scale + scale // 2))
            for x in range(size)
        ]
        for y in range(size)
    ]


def _svg_matrix(svg: str, border: int) -> list[list[int]]:
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None
    size = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    scale_match = re.search(r"scale\((\d+)\)", svg)
    modules = size // (int(scale_match.group(1)) if scale_match else 1) - 2 * border
    grid = [[0] * modules for _ in range(modules)]
    x = y = 0.0
    for command, args in re.findall(r"([Mmh])([-\d. ]+)", path.group(1)):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            for i in range(int(numbers[0])):
                grid[int(y - 0.5) - border][int(x) + i - border] = 1
            x += numbers[0]
    return grid


def test_png_encodes_the_url() -> None:
    png = qr_png(URL, scale=6, border=4)
    assert png.startswith(b"\x89PNG")
    assert _png_matrix(png, 6, 4) == _matrix(URL)
    assert _png_matrix(png, 6, 4) != _matrix(URL + "x")


def test_svg_encodes_the_url_and_is_labelled() -> None:
    svg = qr_svg(URL, title="Locatie Zoë").decode()
    assert "<title>Locatie Zoë</title>" in svg
    assert _svg_matrix(svg, 4) == _matrix(URL)


def test_qr_code_is_full_size_with_error_correction() -> None:
    code = make_qr(URL)
    assert not code.is_micro and code.error in {"M", "Q", "H"}
    assert code.designator == segno.make(URL, error="m", micro=False).designator
    with pytest.raises(ValueError):
        make_qr("")


POSTER = Poster(
    url=URL,
    location="Locatie Zoë",
    organisation="Kinderopvang De Spiegel",
    title_nl="Klantonderzoek",
    title_en="Customer survey",
)


def test_poster_html_is_self_contained() -> None:
    html = poster_html(POSTER)
    assert "Locatie Zoë" in html and URL in html and "<svg" in html
    assert "http" not in html.replace(URL, "").replace("http://www.w3.org/2000/svg", "")


@pytest.mark.slow
def test_poster_is_a_one_page_pdf(tmp_path: pytest.TempPathFactory) -> None:
    pdf = poster_pdf(POSTER)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    gs = shutil.which("gs")
    if gs is None:
        return
    path = tmp_path / "poster.pdf"  # type: ignore[operator]
    path.write_bytes(pdf)
    out = subprocess.run(
        [
            gs,
            "-q",
            "-dNODISPLAY",
            "-dNOSAFER",
            "-c",
            f"({path}) (r) file runpdfbegin pdfpagecount = quit",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "1"
