"""One zone's dose per side: from its default and the modifiers (or the touch-up rule), capped, and
brought onto the syringe's marks, before it is spread over the injection points.

The arithmetic is exact (fractions) and a dose is rounded once, onto the marks: default x modifiers
is kept as it is (20 x 1.1 x 1.05 = 23.1 U) until the syringe's nearest dose is chosen, never first
to some other step and then again to the marks (1.72 U -> 1.5 -> 1 U with a whole-unit syringe at
1 mL per 100 U, where 2 U is the nearest the syringe measures). Every change to a number is said in
``why`` and every threshold crossed in a warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from assistant.core.knowledge_model import TimingBand, TouchUp, Zone
from assistant.core.plan import AppliedModifier, PlanWarning
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.syringe import SyringeScale, exact, shown
from assistant.core.text import fill, number
from assistant.core.timing import band_amount, band_reason


@dataclass
class ZoneDose:
    """A zone's units and points per side (``center`` for a central zone until it is split)."""

    zone: Zone
    kind: str
    sides: dict[str, Fraction]
    points: dict[str, int]
    upper: Fraction
    """No side may go above this (the caution threshold, or the touch-up's most)."""
    lower: Fraction
    """Rounding onto the marks keeps a side at or above this when it was (the typical minimum)."""
    sources: list[str]
    knowledge: list[str]
    unverified: bool
    why: str
    warnings: list[PlanWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, severity: str = "warning") -> None:
        self.warnings.append(PlanWarning(code=code, message=message, zone=self.zone.id, severity=severity))  # type: ignore[arg-type]

    def cite(self, sources: tuple[str, ...], entry: str) -> None:
        self.sources += sources
        self.knowledge.append(entry)


def sides_of(zone: Zone) -> tuple[str, ...]:
    return ("left", "right") if zone.paired else ("center",)


def full_dose(zone: Zone, modifiers: list[AppliedModifier]) -> ZoneDose:
    """The default times the modifiers, exactly, clamped at the caution threshold; it is rounded
    later, once, onto the syringe's marks (``onto_marks`` or the asymmetry's rule)."""
    factor = math.prod((exact(m.factor) for m in modifiers), start=Fraction(1))
    default = exact(zone.default_units.value)
    units = default * factor
    cap = exact(zone.caution_above.value)
    per = zone.per_side
    why = f"default {shown(default)} U{per}"
    dose = ZoneDose(
        zone=zone,
        kind="full",
        sides={},
        points={side: zone.points.default for side in sides_of(zone)},
        upper=cap,
        lower=exact(zone.typical_units.min),
        sources=[*zone.default_units.sources, *zone.points.sources],
        knowledge=[f"zones/{zone.id}/default_units", f"zones/{zone.id}/points"],
        unverified=zone.default_units.unverified or any(m.unverified for m in modifiers),
        why=why,
    )
    if modifiers:
        dose.why += " x " + " x ".join(f"{m.factor:g} ({m.label.lower()}: {m.answer})" for m in modifiers)
        dose.why += f" = {shown(units)} U"
        dose.sources += [s for m in modifiers for s in m.sources]
        dose.knowledge += [f"modifiers/{m.name}" for m in modifiers]
    if units > cap:
        dose.warn(
            "cap",
            f"{zone.label}: {shown(units)} U{per} would exceed the caution threshold of "
            f"{shown(cap)} U{per}; clamped to {shown(cap)} U{per}. "
            f"[{', '.join(zone.caution_above.sources)}]",
        )
        dose.why += f"; clamped to the caution threshold {shown(cap)} U"
        units = cap
        dose.cite(zone.caution_above.sources, f"zones/{zone.id}/caution_above")
    if units < dose.lower:
        dose.warn(
            "below_typical",
            f"{zone.label}: {shown(units)} U{per} is below the typical "
            f"{number(zone.typical_units.min)}-{number(zone.typical_units.max)} U{per}; "
            f"{zone.typical_units.note or 'check the modifiers.'} [{', '.join(zone.typical_units.sources)}]",
            severity="info",
        )
    dose.sides = {side: units for side in sides_of(zone)}
    return dose


def touch_up(zone: Zone, rule: TouchUp, band: TimingBand, days: int) -> ZoneDose:
    """The touch-up rule's units in its points per treated side (a central zone is one side)."""
    dose = ZoneDose(
        zone=zone,
        kind="touch_up",
        sides={side: exact(rule.units_per_side) for side in sides_of(zone)},
        points={side: rule.points_per_side for side in sides_of(zone)},
        upper=min(exact(rule.max_units), exact(zone.caution_above.value)),
        lower=exact(rule.min_units),
        sources=[*rule.sources, *band.sources],
        knowledge=["timing/touch_up", f"timing/bands/{band.from_day}-{band.to_day or ''}"],
        unverified=rule.unverified,
        why=f"touch-up: {band_reason(band, days)}{band_amount(band, rule, zone.paired)}, no modifiers",
    )
    if band.warning is not None:
        dose.warn(band.warning.code, f"{zone.label}: {fill(band.warning.message, days=days)}")
    return dose


def onto_marks(dose: ZoneDose, scale: SyringeScale) -> None:
    """Bring each side onto the syringe's marks (the nearest dose it measures, within the limits)."""
    said: set[Fraction] = set()
    for side, units in dose.sides.items():
        drawn = scale.nearest(units, dose.upper, dose.lower)
        if drawn <= 0:
            raise InvalidAnswers(
                [
                    AnswerProblem(
                        "zones",
                        f"{dose.zone.label}: {shown(units)} U cannot be drawn with the clinic's syringe "
                        f"({scale.describe()}); choose another syringe or dilution in the clinic settings.",
                    )
                ]
            )
        if drawn != units and units not in said:
            said.add(units)
            dose.why += (
                f"; {shown(units)} U falls between the syringe's marks: {shown(drawn)} U, the nearest it measures"
            )
        dose.sides[side] = drawn
