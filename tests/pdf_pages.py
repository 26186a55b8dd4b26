"""Reading PDFs back in tests: page count (no tools needed), and per page its text and how far down it is filled
(poppler's pdftotext, skipped without it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_COUNT = (
    re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)"),
    re.compile(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b"),
)
MM = 72 / 25.4


def objects(pdf: bytes) -> list[bytes]:
    """The PDF's bytes, then each stream it compressed (object streams hold the page tree and fonts)."""
    chunks = [pdf]
    for found in _STREAM.finditer(pdf):
        try:
            chunks.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    return chunks


def font_names(pdf: bytes) -> set[str]:
    """The names of the fonts a PDF embeds, without their subset prefix: {"Document-Sans", ...}."""
    return {m.decode() for chunk in objects(pdf) for m in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", chunk)}


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """The page sizes in points, rounded: {(595, 842)} is A4, {(612, 792)} US Letter."""
    boxes = (re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", chunk) for chunk in objects(pdf))
    return {(round(float(w)), round(float(h))) for found in boxes for w, h in found}


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, from its page tree's /Count (also inside compressed object streams)."""
    chunks = objects(pdf)
    counts = [int(n) for chunk in chunks for pattern in _COUNT for n in pattern.findall(chunk)]
    assert counts, "no page tree found: not a PDF?"
    return max(counts)


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed: the PDF's pages cannot be read back")
    return found


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, on one line."""
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.decode("utf-8").split("\f")[: page_count(pdf)]]


def page_fill(pdf: bytes, tmp_path: Path, top_mm: float, bottom_mm: float) -> list[float]:
    """How far down each page's text reaches, as a share of the area between the top and bottom page
    margins (the running header and the footer left out): 1.0 is a full page."""
    path = tmp_path / "fill.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    fills = []
    for _width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out.stdout, re.S):
        top, bottom = top_mm * MM, float(height) - bottom_mm * MM
        words = [(float(a), float(b)) for a, b in re.findall(r'yMin="([\d.]+)" [^>]*yMax="([\d.]+)"', body)]
        inside = [y_max for y_min, y_max in words if y_min >= top - 1 and y_max <= bottom + 1]
        fills.append(round((max(inside) - top) / (bottom - top), 3) if inside else 0.0)
    return fills


def right_margin_left(pdf: bytes, tmp_path: Path) -> float:
    """The smallest space, in mm, between any word and the right edge of its page (a table wider
    than the page shows as a small or negative figure)."""
    path = tmp_path / "edge.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_poppler("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    gaps = []
    for width, _height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out.stdout, re.S):
        gaps += [(float(width) - float(x)) / MM for x in re.findall(r'xMax="([\d.]+)"', body)]
    return min(gaps)
