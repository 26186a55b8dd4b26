"""A zone's dose as rows of the dose table: its units per side spread over the points in steps the
syringe can measure, each row with its volume in mL and in marks and the why of its numbers.

A row is counted in the syringe's own steps (``steps_per_point``), so its units are exactly points x
the dose per point at every dilution: at 3 mL per 100 U, 3 points of 50 steps of 1/6 U are 25 U, not
3 x 8.333 = 24.999 U. ``units_per_point`` and ``ml_per_point`` are the figures as printed (3 places).
"""

from __future__ import annotations

from decimal import Decimal

from assistant.core.plan import PlanLine, PlanWarning
from assistant.core.syringe import SyringeScale, decimal, exact, shown
from assistant.core.text import number
from assistant.core.zone_dose import ZoneDose


def plan_lines(
    dose: ZoneDose, scale: SyringeScale, preparation_sources: tuple[str, ...], warnings: list[PlanWarning]
) -> list[PlanLine]:
    """The rows of one zone (one or two per side); a point the syringe cannot hold in one fill adds
    a ``syringe_capacity`` note to ``warnings``."""
    rows = []
    zone = dose.zone
    sources = [*dose.sources, *preparation_sources]
    why_end = ""
    if zone.volume_error is not None:
        error = zone.volume_error
        marks = shown(scale.marks(exact(error.volume_ml) * scale.units_per_ml))
        why_end = (
            f"; a {number(error.volume_ml)} mL error here ({marks} marks) can shift {error.effect} by up to "
            f"{number(error.shift_mm)} mm"
        )
        sources += error.sources
    for side, units in dose.sides.items():
        points = dose.points[side]
        parts = scale.spread(units, points)
        why = dose.why
        if len(parts) > 1:
            doses = " and ".join(f"{count} x {shown(per_point)} U" for count, per_point in reversed(parts))
            why += (
                f"; {shown(units)} U over {points} points in steps of the syringe's marks "
                f"({shown(scale.step)} U): {doses} (which points take which dose is the practitioner's choice)"
            )
        for count, per_point in parts:
            per_point_units = decimal(per_point)
            ml = decimal(scale.ml(per_point))
            if ml > Decimal(str(scale.syringe.capacity_ml)) and not any(
                w.code == "syringe_capacity" and w.zone == zone.id for w in warnings
            ):
                warnings.append(
                    PlanWarning(
                        code="syringe_capacity",
                        message=f"{zone.label}: {ml} mL per point is more than the {scale.syringe.label} holds; "
                        "draw it in more than one fill, or choose a stronger dilution.",
                        zone=zone.id,
                        severity="info",
                    )
                )
            steps = per_point / scale.step
            assert steps.denominator == 1, f"{per_point} U is not on the marks"
            rows.append(
                PlanLine(
                    zone=zone.id,
                    zone_label=zone.label,
                    side=side,  # type: ignore[arg-type]
                    kind=dose.kind,  # type: ignore[arg-type]
                    points=count,
                    units_per_point=float(per_point_units),
                    units=float(per_point * count),
                    steps_per_point=int(steps),
                    ml_per_point=float(ml),
                    syringe_marks=float(scale.marks(per_point)),
                    off_label=not zone.on_label,
                    sources=tuple(dict.fromkeys(sources)),
                    knowledge=tuple(dict.fromkeys([*dose.knowledge, "product/reconstitution", "product/syringes"])),
                    unverified=dose.unverified,
                    why=why + why_end,
                )
            )
    return rows
