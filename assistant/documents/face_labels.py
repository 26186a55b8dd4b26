"""Where the face diagram writes each point's units: beside it, clear of the other points and labels.

Each label tries, in turn, the side away from the midline (level with the point, then a little
higher or lower), above the point, below it and the side toward the midline, and takes the first
place that overlaps no point and no label already placed (the first place when none is clear). Text
widths are estimated from the font's digit widths, which is all a label holds ("2.6", "12"): near
enough to keep 8 pt labels apart.
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]

#: 8 pt in CSS pixels, and the advance of a digit and of a full stop in ems (DejaVu and Noto Sans).
FONT_PX = 8 * 96 / 72
DIGIT_EM, STOP_EM = 0.64, 0.32
POINT_RADIUS = 1.9
GAP = 3.5


@dataclass(frozen=True)
class Placed:
    """A label's anchor (x, baseline y), its SVG text-anchor and its box."""

    x: float
    y: float
    anchor: str
    box: Box


def text_width(text: str) -> float:
    return sum(STOP_EM if char in ".," else DIGIT_EM for char in text) * FONT_PX


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _beside(px: float, py: float, side: int, width: float, shift: float) -> Placed:
    ascent, descent = FONT_PX * 0.73, FONT_PX * 0.05
    y = py + ascent / 2 + shift
    x = px + side * GAP
    left = x if side == 1 else x - width
    return Placed(x, y, "start" if side == 1 else "end", (left, y - ascent, left + width, y + descent))


def _over(px: float, py: float, below: bool, width: float) -> Placed:
    ascent, descent = FONT_PX * 0.73, FONT_PX * 0.05
    y = py + GAP + ascent if below else py - GAP - descent
    return Placed(px, y, "middle", (px - width / 2, y - ascent, px + width / 2, y + descent))


def _candidates(px: float, py: float, outward: int, width: float) -> list[Placed]:
    """The places a label tries, best first: away from the midline (level, then a little higher or
    lower), above, below, toward the midline; on the midline, below and above first."""
    side = outward or 1
    away = [_beside(px, py, side, width, shift) for shift in (0, -4, 4, -8, 8)]
    over = [_over(px, py, False, width), _over(px, py, True, width)]
    toward = [_beside(px, py, -side, width, shift) for shift in (0, -4, 4)]
    if outward == 0:
        return [over[1], over[0], *away, *toward]
    return [*away, *over, *toward]


def place_labels(points: list[tuple[float, float, str]], midline: float) -> list[Placed]:
    """A place for each (x, y, text) point's label, in order; ``midline`` is the face's centre x."""
    taken: list[Box] = [(x - POINT_RADIUS, y - POINT_RADIUS, x + POINT_RADIUS, y + POINT_RADIUS) for x, y, _ in points]
    placed = []
    for x, y, text in points:
        outward = -1 if x < midline - 0.5 else 1 if x > midline + 0.5 else 0
        options = _candidates(x, y, outward, text_width(text))
        clear = (option for option in options if not any(_overlaps(option.box, box) for box in taken))
        choice = next(clear, options[0])
        taken.append(choice.box)
        placed.append(choice)
    return placed
