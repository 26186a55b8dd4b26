"""For the PDF only: an SVG's plain labels become one ``<text>`` per weight, every character placed.

Why: WeasyPrint draws each SVG ``<text>`` element at a cost of its own (a cascade of the element, its graphical
state, and for an ``end`` or ``middle`` anchor a PDF group of its own to shift), on top of the cost of its
letters: the face diagram's 27 labels of a full face were a quarter of the dose summary's drawing. WeasyPrint
places every letter of a ``<text>`` on its own anyway, so the same letters with their positions written out
(SVG's ``x`` and ``y`` lists, a position per character) draw the same labels from two elements.

The positions are those WeasyPrint gives: each letter after the one before by its advance in the face that
draws it (the installed face "Document Sans" is cut from: ``fonts.find_face``, read with uharfbuzz), a label
moved left by its width for ``text-anchor="end"`` and by half of it for ``middle``. Only labels placed exactly
are merged: the ``<text>`` children of a ``<g>`` whose ``style`` sets the font size in pt or px, with only
``x``, ``y``, ``text-anchor`` and ``font-weight`` attributes, a single number each, and plain text without
leading, trailing or double spaces (which SVG would collapse). Every other label is left as it is, and nothing
is merged without uharfbuzz or the face: the diagram is then drawn label by label as before.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ElementTree

from assistant.documents import fonts

_SVG = "{http://www.w3.org/2000/svg}"
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)(pt|px)")
_PX_PER = {"pt": 4 / 3, "px": 1.0}
_PLACED = {"x", "y", "text-anchor", "font-weight"}
_WEIGHTS = {None: 400, "normal": 400, "400": 400, "bold": 700, "700": 700}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@functools.lru_cache(maxsize=1024)
def _advance(weight: int, character: str) -> float | None:
    """The advance of ``character`` in the document face of ``weight``, in ems; None when not known."""
    face = fonts.find_face(fonts.LATIN_FAMILIES, weight)
    return None if face is None else fonts.advance(face, character)


def _size(group: ElementTree.Element) -> float | None:
    found = _FONT_SIZE.search(group.get("style", ""))
    return float(found.group(1)) * _PX_PER[found.group(2)] if found else None


def _placed(label: ElementTree.Element, size: float) -> tuple[int, list[tuple[float, float, str]]] | None:
    """(weight, each character with its x and y) of a plain label, or None when it is not one."""
    text, x, y = label.text or "", label.get("x", ""), label.get("y", "")
    weight = _WEIGHTS.get(label.get("font-weight"))
    plain = text and text == " ".join(text.split()) and len(label) == 0 and not (label.tail or "").strip()
    numbers = _NUMBER.fullmatch(x) and _NUMBER.fullmatch(y)
    if not plain or not numbers or weight is None or set(label.attrib) - _PLACED:
        return None
    advances = [_advance(weight, character) for character in text]
    if any(advance is None for advance in advances):
        return None
    widths = [advance * size for advance in advances if advance is not None]
    anchor = label.get("text-anchor", "start")
    if anchor not in ("start", "middle", "end"):
        return None
    left = float(x) - {"start": 0.0, "middle": sum(widths) / 2, "end": sum(widths)}[anchor]
    characters = []
    for character, width in zip(text, widths, strict=True):
        characters.append((left, float(y), character))
        left += width
    return weight, characters


def merge_labels(svg: ElementTree.Element) -> bool:
    """Merge the plain labels of ``svg`` (parsed, SVG namespace) in place; whether any were merged."""
    merged = False
    for group in svg.iter(f"{_SVG}g"):
        size = _size(group)
        if size is None:
            continue
        by_weight: dict[int, list[tuple[float, float, str]]] = {}
        labels = []
        for label in group.findall(f"{_SVG}text"):
            placed = _placed(label, size)
            if placed is not None:
                by_weight.setdefault(placed[0], []).extend(placed[1])
                labels.append(label)
        if len(labels) < 2:
            continue
        for label in labels:
            group.remove(label)
        for weight, characters in by_weight.items():
            text = ElementTree.SubElement(group, f"{_SVG}text")
            text.set("x", " ".join(f"{x:.3f}" for x, _, _ in characters))
            text.set("y", " ".join(f"{y:g}" for _, y, _ in characters))
            if weight != 400:
                text.set("font-weight", "bold")
            text.text = "".join(character for _, _, character in characters)
        merged = True
    return merged
