"""The PDF's copy of an SVG draws its plain labels from one ``<text>`` per weight, each character where the
label put it (assistant/documents/svg_labels.py); labels it cannot place exactly keep their own element."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

import pytest

from assistant.documents import fonts, svg_labels

SVG_NS = "{http://www.w3.org/2000/svg}"
SIZE_PX = 8 * 4 / 3  # 8pt

LABELS = (
    '<text x="10" y="20" text-anchor="start">2.6</text>'
    '<text x="100" y="20" text-anchor="end">10 U</text>'
    '<text x="50" y="40" text-anchor="middle">4</text>'
    '<text x="5" y="60" font-weight="bold">32 U</text>'
)


def _svg(labels: str = LABELS, style: str = "font-family:'Document Sans';font-size:8pt") -> ElementTree.Element:
    return ElementTree.fromstring(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="176" height="170"><path d="M0 0 L1 1"/>'
        f'<g style="{style}">{labels}</g></svg>'
    )


@pytest.fixture(autouse=True)
def _fresh_advances() -> Iterator[None]:
    svg_labels._advance.cache_clear()
    yield
    svg_labels._advance.cache_clear()


def _width(text: str, weight: int) -> float:
    advances = [svg_labels._advance(weight, character) for character in text]
    assert all(advance is not None for advance in advances)
    return sum(advance for advance in advances if advance is not None) * SIZE_PX


def _needs_faces() -> None:
    if not fonts.can_cut() or fonts.find_face(fonts.LATIN_FAMILIES, 400) is None:
        pytest.skip("needs uharfbuzz and an installed Latin face")
    if fonts.find_face(fonts.LATIN_FAMILIES, 700) is None:
        pytest.skip("needs a bold Latin face")


def test_plain_labels_become_one_text_per_weight_with_each_character_placed() -> None:
    _needs_faces()
    svg = _svg()
    assert svg_labels.merge_labels(svg)
    regular, bold = sorted(svg.iter(f"{SVG_NS}text"), key=lambda text: text.get("font-weight", ""))
    assert regular.text == "2.610 U4" and bold.text == "32 U" and bold.get("font-weight") == "bold"
    xs = [float(x) for x in regular.get("x", "").split()]
    ys = [float(y) for y in regular.get("y", "").split()]
    assert len(xs) == len(ys) == len("2.610 U4")
    assert xs[0] == pytest.approx(10), "text-anchor start: the first letter at x"
    assert xs[1] - xs[0] == pytest.approx(_width("2", 400), abs=1e-3), "each letter after the one before"
    assert xs[3] == pytest.approx(100 - _width("10 U", 400), abs=1e-3), "end: the label ends at x"
    assert xs[7] == pytest.approx(50 - _width("4", 400) / 2, abs=1e-3), "middle: centred on x"
    assert ys == [20, 20, 20, 20, 20, 20, 20, 40]
    assert float(bold.get("x", "").split()[0]) == pytest.approx(5)
    assert _width("32 U", 700) > _width("32 U", 400), "the bold face's own advances"
    assert len(svg.findall(f"{SVG_NS}path")) == 1, "the drawing itself is left alone"


@pytest.mark.parametrize(
    "odd",
    [
        '<text x="1 2" y="9">ab</text>',  # a position per character already
        '<text x="1" y="9" fill="red">a</text>',  # an attribute this module does not carry over
        '<text x="1" y="9"><tspan>a</tspan></text>',  # not plain text
        '<text x="1" y="9"> a</text>',  # a space SVG would collapse
    ],
)
def test_a_label_it_cannot_place_exactly_keeps_its_element(odd: str) -> None:
    _needs_faces()
    svg = _svg(LABELS + odd)
    assert svg_labels.merge_labels(svg)
    texts = list(svg.iter(f"{SVG_NS}text"))
    kept = ElementTree.fromstring(odd)
    assert len(texts) == 3 and texts[0].attrib == kept.attrib
    assert texts[0].text == kept.text and len(texts[0]) == len(kept)


def test_nothing_is_merged_without_a_font_size_or_without_uharfbuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not svg_labels.merge_labels(_svg(style="font-family:'Document Sans'")), "no size to place them with"
    monkeypatch.setattr(fonts, "_uharfbuzz", lambda: None)
    svg = _svg()
    assert not svg_labels.merge_labels(svg)
    assert len(list(svg.iter(f"{SVG_NS}text"))) == 4
