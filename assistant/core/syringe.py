"""What a syringe can measure: doses per point on its marks, and volumes read as marks.

4.5 U per point at 4 U per 0.1 mL is 0.1125 mL, which nobody draws. A dose per point is therefore
a whole number of the syringe's finest steps (half a mark on a half-unit U-100 syringe: 0.005 mL,
0.2 U at 4 U per 0.1 mL). The syringe's geometry comes from the knowledge base, the dilution from
the clinic. Arithmetic is exact (fractions): at some dilutions a step is a third of a unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from assistant.core.plan import SyringeUse
from assistant.core.syringe_model import Syringe
from assistant.core.text import number


def exact(value: float | int | Decimal | Fraction) -> Fraction:
    """A figure as written (0.1 is one tenth, not the float nearest to it)."""
    return value if isinstance(value, Fraction) else Fraction(str(value))


def decimal(value: Fraction, places: str = "0.001") -> Decimal:
    """A fraction as a decimal to ``places`` (exact whenever the fraction has that few places)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), ROUND_HALF_UP)


def shown(value: Fraction) -> str:
    """A dose as a practitioner writes it: 20, 2.4, 8.333."""
    return number(float(decimal(value)))


PRINTED = Fraction(1, 2000)
"""Half the last place a dose is printed to (3 places): a figure read back as printed is that dose."""


def steps_in(units: float | Fraction, step: Fraction) -> int | None:
    """``units`` as a whole number of ``step``s, or None when no whole number of steps makes it.

    A dose written back as it was printed (8.333 U for 25/3 U, or the float nearest to it) is taken
    for the dose it prints: within ``PRINTED`` of a whole number of steps (within a quarter step when
    the steps are finer than the printing, so half a step is never taken for a whole one).
    """
    value = exact(units) if not isinstance(units, float) else Fraction(units)
    count = round(value / step)
    return count if abs(value - count * step) <= min(PRINTED, step / 4) else None


def spread_steps(steps: int, points: int, step: Fraction) -> list[tuple[int, Fraction]]:
    """``steps`` of the marks over ``points``: (points, units per point) pairs, the larger dose last.
    When they do not divide evenly some points carry one step more, giving a second pair; every pair
    is exactly points x units per point, and the total is kept. A planned side and a side recorded as
    given differently are both split so, so a dose per point is always one the syringe measures."""
    base, extra = divmod(steps, points)
    parts = [(points - extra, base * step), (extra, (base + 1) * step)]
    return [(count, per_point) for count, per_point in parts if count > 0 and per_point > 0]


@dataclass(frozen=True)
class SyringeScale:
    """One syringe at one dilution (``units_per_ml`` of reconstituted toxin)."""

    syringe: Syringe
    units_per_ml: Fraction

    @property
    def marks_per_ml(self) -> Fraction:
        return exact(self.syringe.marks_per_ml)

    @property
    def step(self) -> Fraction:
        """Toxin units in the finest step of the marks."""
        return exact(self.syringe.mark_step) / self.marks_per_ml * self.units_per_ml

    def marks(self, units: Fraction) -> Fraction:
        return units / self.units_per_ml * self.marks_per_ml

    def ml(self, units: Fraction) -> Fraction:
        return units / self.units_per_ml

    def on_marks(self, units: Fraction) -> bool:
        return (units / self.step).denominator == 1

    def nearest(self, target: Fraction, upper: Fraction, lower: Fraction | None = None) -> Fraction:
        """The dose on the marks nearest to ``target`` (halfway: the smaller), never above ``upper``;
        and, when ``target`` is not below ``lower``, not below it either if the marks allow."""
        step = self.step
        down, up = math.floor(target / step) * step, math.ceil(target / step) * step
        choice = up if up - target < target - down else down
        if choice > upper:
            choice = math.floor(upper / step) * step
        if lower is not None and target >= lower > choice and math.ceil(lower / step) * step <= upper:
            choice = math.ceil(lower / step) * step
        return Fraction(choice)

    def spread(self, units: Fraction, points: int) -> list[tuple[int, Fraction]]:
        """Split a side's units over its points in steps of the marks: (points, units per point) pairs.

        When they do not divide evenly some points carry one step more, giving a second pair; every
        pair is exactly points x units per point and the side's total is kept.
        """
        steps = units / self.step
        assert steps.denominator == 1, f"{units} U is not on the marks"
        return spread_steps(int(steps), points, self.step)

    def reading(self, units: Fraction) -> str:
        """A volume as drawn: "0.110 mL = 11 marks"."""
        return f"{decimal(self.ml(units))} mL = {shown(self.marks(units))} marks"

    def describe(self) -> str:
        """The syringe and its step in words, for why-lines."""
        return (
            f"{self.syringe.label}: a step of {number(self.syringe.mark_step)} mark is "
            f"{shown(self.step)} U at {shown(self.units_per_ml / 10)} U per 0.1 mL"
        )

    def use(self) -> SyringeUse:
        syringe = self.syringe
        return SyringeUse(
            id=syringe.id,
            label=syringe.label,
            capacity_ml=syringe.capacity_ml,
            marks_per_ml=syringe.marks_per_ml,
            mark_step=syringe.mark_step,
            units_per_step=float(decimal(self.step, "0.0001")),
        )
