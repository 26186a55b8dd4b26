"""The face diagram as SVG, drawn in code (no picture files): the plan's points on a front view.

Two drawings of the same geometry (``assistant.core.face_geometry``):

- ``dose_diagram`` for the dose summary: every injection point, its units per point beside it, and
  the side totals: "Right" (the patient's, as the dose table says) on the reader's left, as the
  practitioner faces the patient, "Left" on the reader's right;
- ``treated_diagram`` for the patient's sheet: the treated areas shaded, no units, no words (the
  sheet's template says, in the patient's language, which side is which).

The SVG is drawn in CSS pixels with no scaling (its viewBox is its size), so every font size written
in it is the size printed: 8 pt, like the smallest text of the summary. Every text is escaped; the
result is ``Markup`` so a template prints it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from assistant.core.face_geometry import (
    FACE_HALF_HEIGHT,
    FACE_HALF_WIDTH,
    PlacedPoint,
    SideTotals,
    place_points,
    side_totals,
)
from assistant.core.knowledge import KnowledgeBase
from assistant.core.plan import Plan
from assistant.core.text import number
from assistant.documents.face_labels import POINT_RADIUS, place_labels

#: Pixels per unit of the face's frame, and the room left around the face for labels and totals.
SCALE = 80.0
SIDE_ROOM = 28.0
TOP_ROOM = 6.0
BOTTOM_ROOM = 4.0
WIDTH = 2 * (FACE_HALF_WIDTH * SCALE + SIDE_ROOM)
HEIGHT = TOP_ROOM + 2 * FACE_HALF_HEIGHT * SCALE + BOTTOM_ROOM
CX, CY = WIDTH / 2, TOP_ROOM + FACE_HALF_HEIGHT * SCALE

INK = "#17324d"
FEATURE = "#9aa9b8"
POINT = "#a4001d"
SHADE = "#e8a0a8"
#: The documents' own family first (cut into the PDF by ``assistant.documents.fonts``), at 8 pt: written
#: once, on the group that holds every label (its texts inherit it), not on each text. A style attribute
#: is CSS that WeasyPrint parses twice per element (the page's cascade and the SVG's own): 27 of them on
#: a full face cost more than the labels' drawing, and they were 2 KB of the HTML it tokenises.
FONT = "font-family:'Document Sans','Noto Sans','DejaVu Sans',sans-serif;font-size:8pt"
BOLD = 'font-weight="bold"'


def _xy(x: float, y: float) -> tuple[float, float]:
    return CX + x * SCALE, CY + y * SCALE


def _f(value: float) -> str:
    return f"{value:.1f}"


def _path(points: Iterable[tuple[float, float]], closed: bool = False) -> str:
    """An SVG path through frame points."""
    spots = [_xy(x, y) for x, y in points]
    text = "M" + " L".join(f"{_f(px)} {_f(py)}" for px, py in spots)
    return text + (" Z" if closed else "")


def _face() -> list[str]:
    """The outline, brows, eyes, nose and mouth: enough to find one's way, drawn thin and grey.

    The outline is the frame's ellipse as an ``<ellipse>`` (it was a polygon of 96 points, within 0.04 px of it),
    and the features drawn with the same pen share a path: WeasyPrint parses a path's every point and sets a pen
    up for every element, in each PDF."""
    brow = [(0.08, -0.33), (0.2, -0.38), (0.34, -0.38), (0.46, -0.33)]
    eye = [(0.16, -0.18), (0.28, -0.22), (0.4, -0.18), (0.28, -0.15)]
    nose = [(-0.05, -0.16), (-0.09, 0.14), (-0.12, 0.18), (0, 0.22), (0.12, 0.18), (0.09, 0.14), (0.05, -0.16)]
    mouth = [(-0.2, 0.47), (-0.08, 0.44), (0, 0.45), (0.08, 0.44), (0.2, 0.47), (0, 0.53)]
    brows = " ".join(_path([(mirror * x, y) for x, y in brow]) for mirror in (-1, 1))
    eyes = " ".join(_path([(mirror * x, y) for x, y in eye], closed=True) for mirror in (-1, 1))
    features = f"{eyes} {_path(nose)} {_path(mouth, closed=True)}"
    rx, ry = _f(FACE_HALF_WIDTH * SCALE), _f(FACE_HALF_HEIGHT * SCALE)
    return [
        f'<ellipse cx="{_f(CX)}" cy="{_f(CY)}" rx="{rx}" ry="{ry}" fill="#fbfcfd" stroke="{INK}" stroke-width="1.2"/>',
        f'<path d="{_path([(0, -0.95), (0, 0.95)])}" stroke="{FEATURE}" stroke-width="0.5" stroke-dasharray="3 3"/>',
        f'<path d="{brows}" fill="none" stroke="{FEATURE}" stroke-width="1.4"/>',
        f'<path d="{features}" fill="none" stroke="{FEATURE}" stroke-width="0.9"/>',
    ]


def _svg(parts: list[str], title: str, box: tuple[float, float, float, float] | None = None) -> Markup:
    """The drawing as an SVG element; ``box`` (x, y, width, height) shows only that part (the face
    without the room for labels), drawn at its own size unless the page's CSS scales it."""
    x, y, width, height = box or (0.0, 0.0, WIDTH, HEIGHT)
    head = (
        f'<svg class="face-diagram" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="{_f(x)} {_f(y)} {_f(width)} {_f(height)}" role="img"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(parts) + "</svg>")


def dose_diagram(points: list[PlacedPoint], totals: SideTotals) -> Markup:
    """The summary's diagram: points with their units per point, and the totals of each side."""
    parts = _face()
    spots = [(*_xy(point.x, point.y), number(point.units)) for point in points]
    # Every point in one path: a dot is a line of no length with round caps as wide as the point (SVG and PDF
    # draw it as a filled circle). 25 circles were 25 elements to parse, cascade and set up a pen for.
    dots = "".join(f"M{_f(px)} {_f(py)}h0" for px, py, _ in spots)
    parts.append(
        f'<path d="{dots}" fill="none" stroke="{POINT}" stroke-width="{2 * POINT_RADIUS}" stroke-linecap="round"/>'
    )
    labels = []
    for (_, _, text), label in zip(spots, place_labels(spots, CX), strict=True):
        where = f'x="{_f(label.x)}" y="{_f(label.y)}" text-anchor="{label.anchor}"'
        labels.append(f"<text {where}>{escape(text)}</text>")
    for x, anchor, words, units in (
        (2.0, "start", "Right", totals.right),
        (WIDTH - 2.0, "end", "Left", totals.left),
    ):
        labels.append(f'<text x="{_f(x)}" y="11" text-anchor="{anchor}">{escape(words)}</text>')
        labels.append(f'<text x="{_f(x)}" y="23" text-anchor="{anchor}" {BOLD}>{number(units)} U</text>')
    corners = [(2.0, "start", "Center", f"{number(totals.center)} U")] if totals.center else []
    corners.append((WIDTH - 2.0, "end", "Front", "view"))
    for x, anchor, first, second in corners:
        labels.append(f'<text x="{_f(x)}" y="{_f(HEIGHT - 16)}" text-anchor="{anchor}">{first}</text>')
        weight = f" {BOLD}" if first == "Center" else ""
        labels.append(f'<text x="{_f(x)}" y="{_f(HEIGHT - 4)}" text-anchor="{anchor}"{weight}>{second}</text>')
    parts.append(f'<g style="{FONT}">{"".join(labels)}</g>')
    title = "Face diagram: each injection point with its units per point, as you face the patient"
    return _svg(parts, title)


def treated_diagram(points: list[PlacedPoint]) -> Markup:
    """The patient's picture: each treated area shaded (one patch per zone and side), no numbers."""
    groups: dict[tuple[str, str], list[PlacedPoint]] = {}
    for point in points:
        groups.setdefault((point.zone, point.side), []).append(point)
    patches = []
    for group in groups.values():
        xs, ys = [p.x for p in group], [p.y for p in group]
        cx, cy = _xy((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        rx = (max(xs) - min(xs)) / 2 * SCALE + 8
        ry = (max(ys) - min(ys)) / 2 * SCALE + 8
        patches.append(
            f'<ellipse cx="{_f(cx)}" cy="{_f(cy)}" rx="{_f(rx)}" ry="{_f(ry)}" fill="{SHADE}" fill-opacity="0.75"/>'
        )
    face = _face()
    margin = 4.0
    box = (
        CX - FACE_HALF_WIDTH * SCALE - margin,
        CY - FACE_HALF_HEIGHT * SCALE - margin,
        2 * (FACE_HALF_WIDTH * SCALE + margin),
        2 * (FACE_HALF_HEIGHT * SCALE + margin),
    )
    return _svg([face[0], *patches, *face[1:]], "The areas treated today, shaded", box)


def _placed(plan: Plan, kb: KnowledgeBase) -> list[PlacedPoint] | None:
    face = kb.knowledge.face_points
    if face is None or plan.status != "planned" or not plan.lines:
        return None
    return place_points(plan.lines, face, kb.paired_zone_ids())


def summary_diagram(plan: Plan, kb: KnowledgeBase) -> Markup | None:
    """The dose summary's diagram of ``plan``, or None when nothing is injected (or the knowledge base
    places no points)."""
    placed = _placed(plan, kb)
    return dose_diagram(placed, side_totals(plan.lines)) if placed else None


def patient_diagram(plan: Plan, kb: KnowledgeBase) -> Markup | None:
    """The patient sheet's picture of the areas treated, or None when nothing is injected."""
    placed = _placed(plan, kb)
    return treated_diagram(placed) if placed else None
