"""``check`` of the face diagram's positions (knowledge/face.yaml) against the zones they draw.

Reported: a zone the knowledge base does not have (a misspelt id draws nothing), a zone listed
twice, a point count the zone allows (points min..max) without positions (its points would be
spread along another count's: drawn, but not where a trainer put them), a count the zone does not
allow, and a position outside the face or, for a paired zone, not on the patient's left (x above 0)
where the paired zone's positions belong. A zone with no positions at all is left out of the diagram,
which is a warning (the diagram is the less for it, no dose is).
"""

from __future__ import annotations

from collections import Counter

from assistant.core.face_geometry import inside_face
from assistant.core.findings import Finding, hint
from assistant.core.knowledge_model import Knowledge


def check_face_points(knowledge: Knowledge) -> list[Finding]:
    face = knowledge.face_points
    if face is None:
        return []
    zones = {zone.id: zone for zone in knowledge.zones}
    findings: list[Finding] = []
    for zone_id, count in Counter(entry.zone for entry in face.zones).items():
        if count > 1:
            findings.append(
                Finding(
                    ("face_points", "zones"), "duplicate-id", f"face_points: zone '{zone_id}' is listed {count} times."
                )
            )
    for index, entry in enumerate(face.zones):
        loc = ("face_points", "zones", index)
        zone = zones.get(entry.zone)
        if zone is None:
            findings.append(
                Finding(
                    (*loc, "zone"),
                    "unknown-zone",
                    f"face_points: no zone '{entry.zone}' in the knowledge base.{hint(entry.zone, zones)}",
                )
            )
            continue
        allowed = range(zone.points.min, zone.points.max + 1)
        missing = [str(count) for count in allowed if count not in entry.positions]
        if missing:
            findings.append(
                Finding(
                    (*loc, "positions"),
                    "missing-positions",
                    f"face_points: {entry.zone} allows {zone.points.min}-{zone.points.max} points but lists no "
                    f"positions for {', '.join(missing)} (its points would be spread along another count's).",
                )
            )
        for count, positions in entry.positions.items():
            where = (*loc, "positions", count)
            if count not in allowed:
                findings.append(
                    Finding(
                        where,
                        "bad-value",
                        f"face_points: {entry.zone} takes {zone.points.min}-{zone.points.max} points, "
                        f"not {count}: the positions for {count} are never drawn.",
                        "warning",
                    )
                )
            for x, y in positions:
                if not inside_face(x, y):
                    findings.append(
                        Finding(where, "bad-value", f"face_points: {entry.zone} [{x:g}, {y:g}] is outside the face.")
                    )
                elif zone.paired and x <= 0:
                    findings.append(
                        Finding(
                            where,
                            "bad-value",
                            f"face_points: {entry.zone} [{x:g}, {y:g}] is not on the patient's left (x above 0): "
                            "a paired zone lists its left side's points and mirrors them.",
                        )
                    )
    placed = {entry.zone for entry in face.zones}
    for zone_id in zones:
        if zone_id not in placed:
            findings.append(
                Finding(
                    ("face_points", "zones"),
                    "missing-positions",
                    f"face_points: zone '{zone_id}' has no positions: the face diagram leaves it out.",
                    "warning",
                )
            )
    return findings
