"""The PDF's copy of a document gives its inline SVG to WeasyPrint as an image of the same drawing
(assistant/documents/svg_images.py); the HTML document keeps it inline. The face diagram's labels reading back
from the PDF are tests/test_face_diagram.py's."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from assistant.core.plan import Plan
from assistant.documents import pdf as pdf_module
from assistant.documents import render_summary, svg_images, svg_labels
from assistant.files.resources import Resources
from tests.pdf_pages import page_texts
from tests.test_documents import PRICED, make

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def plan(resources: Resources) -> Plan:
    return make(resources, PRICED, patient_name="Ji-woo Kim", zones=["glabella", "crows_feet"])


def _summary_html(resources: Resources, plan: Plan) -> str:
    return str(render_summary(plan, resources.kb, resources.clinic, "html"))


def test_the_diagram_becomes_an_image_of_the_same_svg(resources: Resources, plan: Plan) -> None:
    html = _summary_html(resources, plan)
    (svg,) = re.findall(r"<svg\b.*?</svg>", html, re.S)
    given = svg_images.as_images(html)
    assert "<svg" not in given and given.count("<img") == html.count("<img") + 1
    (image,) = re.findall(r'<img class="face-diagram"[^>]*>', given)
    assert 'width="176.0" height="170.0"' in image, "the SVG's own size"
    assert 'alt="Face diagram: each injection point with its units per point, as you face the patient"' in image
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', image)
    assert data is not None
    drawing = ElementTree.fromstring(base64.b64decode(data.group(1)))
    inline = ElementTree.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    # A label per point, and the corners: Right, Left and Center with their totals, "Front view".
    labels = inline.findall(f".//{SVG_NS}text")
    assert len(labels) == sum(line.points for line in plan.lines) + 8
    if svg_labels.merge_labels(ElementTree.fromstring(ElementTree.tostring(inline))):
        # Merged for the PDF (assistant/documents/svg_labels.py): one text per weight, the same characters.
        merged = drawing.findall(f".//{SVG_NS}text")
        assert sorted(text.get("font-weight", "normal") for text in merged) == ["bold", "normal"]
        for text in merged:
            weight = text.get("font-weight", "normal")
            same = [label.text or "" for label in labels if label.get("font-weight", "normal") == weight]
            assert text.text == "".join(same)
    for element in (drawing, inline):
        for group in element.iter(f"{SVG_NS}g"):
            for text in group.findall(f"{SVG_NS}text"):
                group.remove(text)
    assert ElementTree.tostring(drawing) == ElementTree.tostring(inline), "the same drawing, element for element"
    assert given.replace(image, "") == html.replace(svg, ""), "nothing else changes"


def test_the_html_document_keeps_its_inline_svg(resources: Resources, plan: Plan) -> None:
    html = _summary_html(resources, plan)
    assert html.count("<svg") == 1 and "data:image/svg" not in html, "a browser's copy stays free of URLs"


def test_an_svg_that_is_not_xml_on_its_own_stays_inline() -> None:
    body = '<p>x</p><svg width="10" height="10"><text x="1" y="9">a &nbsp; b</text></svg><p>y</p>'
    assert svg_images.as_images(body) == body, "&nbsp; is HTML's, not XML's: WeasyPrint reads it inline as before"
    assert svg_images.as_images("<p>no drawing</p>") == "<p>no drawing</p>"


def test_the_pdf_draws_the_image(resources: Resources, plan: Plan, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    pdf = pdf_module.html_to_pdf(_summary_html(resources, plan))
    words = " ".join(page_texts(pdf, tmp_path)).split()
    assert "Front" in words and "view" in words and "Right" in words, "the diagram's corner words are drawn"
    assert words.count("4") >= 5, "the glabella's five points, 4 U each"
