"""On its way to WeasyPrint, a document's inline SVG (the face diagram) becomes an image of the same drawing.

Why: WeasyPrint reads the HTML with tinyhtml5, an HTML parser written in Python, and cascades the page's CSS over
every element of it. The dose summary's diagram is half the page's markup (5 KB, 85 elements): parsing it took
5 ms of CPU, as long as the whole rest of the page, and the cascade matched the page's rules against its circles
and labels, which they never style. Given as ``<img src="data:image/svg+xml;base64,...">``, the same SVG is read by
the XML parser in C and drawn by the same code at the same size: the PDF looks the same. Its plain labels are
merged on the way, one ``<text>`` per weight with every character where it was (``assistant.documents.svg_labels``).

Only the PDF's copy changes: the HTML document (a browser, the tests) keeps its inline SVG and stays free of URLs;
the data: URL is the one kind the PDF maker's fetcher reads. The image keeps the SVG's class, width and height (the
templates style ``.face-diagram``, whichever element carries it) and its title as the alternative text. An SVG
that is not well-formed XML on its own stays inline, as WeasyPrint drew it before.
"""

from __future__ import annotations

import base64
import html as html_text
import re
import xml.etree.ElementTree as ElementTree

from assistant.documents import svg_labels

_SVG = re.compile(r"<svg\b([^>]*)>(.*?)</svg>", re.S)
_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
#: The SVG namespace, declared inside the image's data (an XML document needs it; it is a name, not fetched).
_NAMESPACE = "http://www.w3.org/2000/svg"
#: What the image carries over from the SVG element.
_KEPT = ("class", "width", "height")


def as_images(body: str) -> str:
    """``body`` with each inline ``<svg>`` element given as an ``<img>`` of the same drawing."""
    return _SVG.sub(_image, body) if "<svg" in body else body


def _image(found: re.Match[str]) -> str:
    markup, attributes = found.group(0), dict(_ATTRIBUTE.findall(found.group(1)))
    if "xmlns" not in attributes:
        markup = f'<svg xmlns="{_NAMESPACE}"{markup[4:]}'
    try:
        drawing = ElementTree.fromstring(markup)
    except ElementTree.ParseError:  # not XML on its own: WeasyPrint reads it inline, as before
        return found.group(0)
    if svg_labels.merge_labels(drawing):
        markup = ElementTree.tostring(drawing, encoding="unicode")  # the same drawing, its namespace as a prefix
    title = _TITLE.search(found.group(2))
    alt = html_text.unescape(re.sub(r"<[^>]*>", "", title.group(1))) if title else ""
    kept = "".join(f' {name}="{attributes[name]}"' for name in _KEPT if name in attributes)
    data = base64.b64encode(markup.encode("utf-8")).decode("ascii")
    return f'<img{kept} alt="{html_text.escape(alt)}" src="data:image/svg+xml;base64,{data}">'
