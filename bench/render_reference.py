"""The yardstick of the documents' PDF cost: naive WeasyPrint rendering a plain reference page.

The reference page is a plain one-page HTML document: a heading, 20 paragraphs of plain Latin text and
a small table of 4 columns by 6 rows, with no <style> (WeasyPrint's default fonts and user-agent styles).
It is rendered naively, ``weasyprint.HTML(string=REFERENCE_PAGE).write_pdf()``: a new font
configuration each time and WeasyPrint's own font subsetting (fontTools, or libharfbuzz-subset where
installed). Our ``skip_second_subsetting`` wraps WeasyPrint's ``Font.subset`` only for the two families
the documents cut themselves ("Document Sans", "Document Sans KR"); ``reference_is_naive`` checks that
the reference page embeds neither of them and that WeasyPrint's own subsetters still ran for each of
its fonts (``subset_by_weasyprint``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

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


def subset_by_weasyprint(render: Callable[[], object]) -> set[str]:
    """The fonts WeasyPrint subset itself (with fontTools or HarfBuzz) while ``render`` ran, by their PDF
    names ("DejaVu-Serif-Bold").

    WeasyPrint's two subsetters are watched for that one call, under our ``skip_second_subsetting``
    wrapper: a family it passes over never reaches them.
    """
    from weasyprint.pdf import fonts as weasyprint_fonts

    font = weasyprint_fonts.Font
    seen: set[str] = set()
    originals = {name: getattr(font, name) for name in ("_fonttools_subset", "_harfbuzz_subset") if hasattr(font, name)}

    def watched(original: Callable[..., object]) -> Callable[..., object]:
        def subset(self: object, *args: object, **kwargs: object) -> object:
            name = getattr(self, "name", b"?")
            seen.add((name.decode() if isinstance(name, bytes) else str(name)).split("+")[-1])
            return original(self, *args, **kwargs)

        return subset

    for name, original in originals.items():
        setattr(font, name, watched(original))
    try:
        render()
    finally:
        for name, original in originals.items():
            setattr(font, name, original)
    return seen


def reference_is_naive() -> str | None:
    """None when the reference page is still made the naive way (its own fonts, subset by WeasyPrint
    itself), else why not."""
    pdf: list[bytes] = []
    subset = subset_by_weasyprint(lambda: pdf.append(render_reference()))
    fonts = {name for _, name in embedded_fonts(pdf[0])}
    ours = {name for name in fonts if name.startswith("Document-Sans")}
    if ours:
        return f"the reference page embeds our cut fonts ({', '.join(sorted(ours))})"
    if not fonts or not fonts <= subset:
        listed = ", ".join(sorted(fonts))
        return f"WeasyPrint subset {len(subset)} of the reference page's {len(fonts)} fonts ({listed})"
    return None
