"""The face diagram's geometry: a plan's injection points placed on the face, and the side totals.

Pure: plan lines and the knowledge base's ``face_points`` in, coordinates out (the frame is described
in ``assistant.core.face_points``); the drawing is ``assistant.documents.face_diagram``'s.

Front view, as the practitioner faces the patient: the patient's left is on the reader's right
(x above 0). A paired zone's positions are its left side's; its right side is their mirror. A count
the knowledge base lists no positions for (a touch-up's single point, a count recorded as given) is
spread evenly along the positions of the nearest count it lists, so every point is drawn, inside the
zone. The outline is an ellipse ``FACE_HALF_WIDTH`` wide and 1 tall on each side of the centre: the
product's drawing, no clinical figure.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from assistant.core.face_points import FacePoints, Position, ZonePoints
from assistant.core.plan import PlanLine

#: The face outline's half width and half height in the diagram's frame (product choice: a drawing).
FACE_HALF_WIDTH = 0.75
FACE_HALF_HEIGHT = 1.0
#: How far a central zone's midline point moves into the half it is planned in (product choice).
MIDLINE_NUDGE = 0.05


class PlacedPoint(BaseModel):
    """One injection point on the diagram: where, which zone and side, and its units."""

    model_config = ConfigDict(frozen=True)

    zone: str
    side: str
    x: float
    y: float
    units: float


class SideTotals(BaseModel):
    """The units on the patient's right and left (halves of a central zone count to their side) and
    in the central zones given whole."""

    model_config = ConfigDict(frozen=True)

    right: float = 0
    left: float = 0
    center: float = 0


def inside_face(x: float, y: float) -> bool:
    """Whether a point of the frame lies inside the face outline."""
    return (x / FACE_HALF_WIDTH) ** 2 + (y / FACE_HALF_HEIGHT) ** 2 < 1


def _resample(path: tuple[Position, ...], count: int) -> tuple[Position, ...]:
    """``count`` points spread evenly along ``path`` (its points in the order listed), ends included;
    a single point at the middle of the path."""
    if len(path) == 1:
        return tuple(path * count)
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(path)]
    total = sum(lengths)
    if total == 0:
        return tuple(path[:1] * count)
    wanted = [total / 2] if count == 1 else [total * i / (count - 1) for i in range(count)]
    placed: list[Position] = []
    for distance in wanted:
        walked = 0.0
        for (a, b), length in zip(itertools.pairwise(path), lengths, strict=True):
            if walked + length >= distance or (a, b) == (path[-2], path[-1]):
                t = 0.0 if length == 0 else min(1.0, (distance - walked) / length)
                placed.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
                break
            walked += length
    return tuple(placed)


def positions_for(entry: ZonePoints, count: int) -> tuple[Position, ...]:
    """The positions of ``count`` points: as listed, else spread along the nearest count listed."""
    if count in entry.positions:
        return entry.positions[count]
    nearest = min(entry.positions, key=lambda listed: (abs(listed - count), -listed))
    return _resample(entry.positions[nearest], count)


def _units_per_point(lines: list[PlanLine]) -> list[float]:
    """Each point's units, the largest dose first (as the dose table lists a split dose)."""
    parts = sorted(lines, key=lambda line: -line.units_per_point)
    return [line.units_per_point for line in parts for _ in range(line.points)]


def place_points(lines: Iterable[PlanLine], face: FacePoints, paired: set[str]) -> list[PlacedPoint]:
    """Every point of ``lines`` on the face; a zone the knowledge base places no points for is left
    out (``check`` reports it)."""
    groups: dict[str, dict[str, list[PlanLine]]] = {}
    for line in lines:
        if line.points > 0:
            groups.setdefault(line.zone, {}).setdefault(line.side, []).append(line)
    placed: list[PlacedPoint] = []
    for zone, sides in groups.items():
        entry = face.for_zone(zone)
        if entry is None:
            continue
        if zone in paired or "center" in sides:
            for side, side_lines in sides.items():
                units = _units_per_point(side_lines)
                mirror = -1 if side == "right" else 1
                for (x, y), each in zip(positions_for(entry, len(units)), units, strict=True):
                    placed.append(PlacedPoint(zone=zone, side=side, x=mirror * x, y=y, units=each))
            continue
        placed += _halves(zone, sides, entry)
    return placed


def _halves(zone: str, sides: dict[str, list[PlanLine]], entry: ZonePoints) -> list[PlacedPoint]:
    """A central zone planned in halves: the zone's positions for all its points, those on the
    reader's left to the patient's right half; a point on the midline moves into its half."""
    right, left = _units_per_point(sides.get("right", [])), _units_per_point(sides.get("left", []))
    spots = sorted(positions_for(entry, len(right) + len(left)))
    placed = []
    for side, units, chosen, sign in (
        ("right", right, spots[: len(right)], -1),
        ("left", left, spots[len(right) :], 1),
    ):
        for (x, y), each in zip(chosen, units, strict=True):
            x = sign * max(sign * x, MIDLINE_NUDGE)
            placed.append(PlacedPoint(zone=zone, side=side, x=x, y=y, units=each))
    return placed


def side_totals(lines: Iterable[PlanLine]) -> SideTotals:
    """The units per side of the patient: right, left, and the central zones given whole."""
    sums = {"right": 0.0, "left": 0.0, "center": 0.0}
    for line in lines:
        sums[line.side] += line.units
    return SideTotals(**{side: round(total, 6) for side, total in sums.items()})
