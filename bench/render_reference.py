"""The yardstick of the documents' PDF cost: naive WeasyPrint rendering a plain reference page.

The reference page is a plain one-page HTML document: a heading, 20 paragraphs of plain Latin text and
a small table of 4 columns by 6 rows, with no <style> (WeasyPrint's default fonts and user-agent styles).
It is rendered naively, ``weasyprint.HTML(string=REFERENCE_PAGE).write_pdf()``: a new font
configuration each time and WeasyPrint's own font subsetting (fontTools, or libharfbuzz-subset where
installed). Our ``skip_second_subsetting`` wraps WeasyPrint's ``Font.subset`` only for the two families
the documents cut themselves ("Document Sans", "Document Sans KR"); ``reference_is_naive`` checks that
the reference page embeds neither of them and that WeasyPrint still subset its fonts.
"""

from __future__ import annotations

import re
import zlib

_LATIN = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.",
    "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi.",
    "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum.",
    "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia.",
)

_ROWS = "".join(
    f"<tr><td>Res{n}</td><td>{n * 7}</td><td>{n * 3}.5</td><td>{_LATIN[n % 4].split()[n].strip(',.')}</td></tr>"
    for n in range(1, 6)
)

#: A heading, 20 paragraphs and a 4 x 6 table (a header row and 5 rows); no <style>: one A4 page.
REFERENCE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Reference page</title></head><body>"
    "<h1>Reference page</h1>"
    + "".join(f"<p>{_LATIN[i % 4]}</p>" for i in range(20))
    + "<table><tr><th>Item</th><th>Count</th><th>Share</th><th>Note</th></tr>"
    + _ROWS
    + "</table></body></html>"
)

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_FONT = re.compile(rb"/BaseFont\s*/([A-Z]{6}\+)?([\w-]+)")


def render_reference() -> bytes:
    """The reference page as PDF bytes, the naive way."""
    import weasyprint

    return weasyprint.HTML(string=REFERENCE_PAGE).write_pdf()  # type: ignore[no-any-return]


def embedded_fonts(pdf: bytes) -> set[tuple[bool, str]]:
    """(subset by WeasyPrint?, font name) of each font a PDF embeds; WeasyPrint names a subset font
    with a six-letter tag ("ABCDEF+DejaVu-Serif")."""
    chunks = [pdf]
    for found in _STREAM.finditer(pdf):
        try:
            chunks.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    return {(bool(tag), name.decode()) for chunk in chunks for tag, name in _FONT.findall(chunk)}


def reference_is_naive(pdf: bytes) -> str | None:
    """None when the reference PDF was made the naive way (its own fonts, subset by WeasyPrint), else why not."""
    fonts = embedded_fonts(pdf)
    if not fonts:
        return "the reference page embeds no font"
    ours = {name for _, name in fonts if name.startswith("Document-Sans")}
    if ours:
        return f"the reference page embeds our cut fonts ({', '.join(sorted(ours))})"
    unsubset = {name for subset, name in fonts if not subset}
    if unsubset:
        return f"WeasyPrint did not subset the reference page's fonts ({', '.join(sorted(unsubset))})"
    return None
