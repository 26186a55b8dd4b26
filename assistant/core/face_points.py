"""Where the face diagram places each zone's injection points: the knowledge base's ``face_points``.

The frame is the face seen from the front, as the practitioner faces the patient: x from -1 to 1
(negative on the reader's left, which is the patient's right), y from -1 (top of the forehead) to
1 (the chin), downward as on a page. The face is the ellipse of ``assistant.core.face_geometry``.

Positions are listed per zone and point count: ``positions: {3: [[x, y], ...], 4: [...]}``. For a
paired zone they are the points of the patient's LEFT side (x above 0, the reader's right); the right
side is their mirror. For a central zone they are the whole zone; a central zone planned in halves
(``split_sides``) gives its points on the reader's left to the patient's right half.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from assistant.core.knowledge_figures import Sourced, Strict

Position = tuple[float, float]


class ZonePoints(Sourced):
    """One zone's point positions per point count, with the sources of the counts they draw."""

    zone: str
    positions: dict[int, tuple[Position, ...]] = Field(min_length=1)

    @field_validator("positions", mode="before")
    @classmethod
    def _counts_are_numbers(cls, value: object) -> object:
        """YAML keys may come as text ("3"); a count is a whole number either way."""
        if isinstance(value, dict):
            return {int(key) if isinstance(key, str) and key.isdigit() else key: item for key, item in value.items()}
        return value

    @model_validator(mode="after")
    def _one_position_per_point(self) -> ZonePoints:
        for count, positions in self.positions.items():
            if count < 1:
                raise ValueError(f"positions: a point count is 1 or more, not {count}")
            if len(positions) != count:
                raise ValueError(f"positions for {count} points list {len(positions)}: one [x, y] per point")
            for x, y in positions:
                if not (-1 <= x <= 1 and -1 <= y <= 1):
                    raise ValueError(f"position [{x:g}, {y:g}] is outside the frame: x and y run from -1 to 1")
        return self


class FacePoints(Strict):
    """Every zone's positions (``zones``), in the frame described in this module's docstring."""

    zones: tuple[ZonePoints, ...] = ()

    def for_zone(self, zone_id: str) -> ZonePoints | None:
        """The zone's entry, or None when the knowledge base places none of its points."""
        return next((entry for entry in self.zones if entry.zone == zone_id), None)
