"""A measured left/right difference on one zone: extra units on the stronger side, the gap kept exact.

Paired zones carry it side by side. A central zone that can be split (``split_sides``, the forehead)
is then planned in halves: its points split between them, its caution threshold applying to both
halves together and its typical minimum shared between them.

The rules, the same for both kinds of zone:

- the stronger side gets exactly ``extra_units`` more than the weaker side, on the syringe's marks
  (a difference the marks cannot measure, or one above the knowledge base's ``extra_units_max``, is
  refused, naming ``extra_units``; the question asks within the same bounds, see ``dose_bounds``);
- when the stronger side (or the two halves together) would pass the caution threshold, both are
  lowered by as much, keeping the difference, with a ``cap`` warning;
- a weaker side below the zone's typical minimum (per side, or half of it per half) is refused,
  whatever took it there: the cap, the modifiers or the syringe's marks (the product's rule,
  ``safety.symmetry.weaker_side_minimum``).

The dose before the asymmetry is exact (default x modifiers, capped) and rounded here, once: the
weaker side onto the marks, the stronger side that plus the difference.
"""

from __future__ import annotations

from fractions import Fraction

from assistant.core.consult import Asymmetry
from assistant.core.knowledge_model import Symmetry
from assistant.core.plan import AppliedModifier
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.syringe import SyringeScale, exact, shown
from assistant.core.text import fill, number
from assistant.core.zone_dose import ZoneDose

OTHER = {"left": "right", "right": "left"}


def split_halves(dose: ZoneDose, stronger: str) -> None:
    """A central zone's points split between its halves (the odd one to the stronger side)."""
    points = dose.points.pop("center")
    dose.points = {stronger: points - points // 2, OTHER[stronger]: points // 2}
    dose.points = {side: dose.points[side] for side in ("left", "right")}
    dose.why += (
        f"; planned in halves for the measured asymmetry: {dose.points[stronger]} of its {points} points "
        f"on the stronger ({stronger}) side, {dose.points[OTHER[stronger]]} on the other"
    )
    dose.knowledge.append(f"zones/{dose.zone.id}/split_sides")
    assert dose.zone.split_sides is not None
    dose.sources += dose.zone.split_sides.sources


def apply_asymmetry(
    dose: ZoneDose, asymmetry: Asymmetry, symmetry: Symmetry, scale: SyringeScale, modifiers: list[AppliedModifier]
) -> None:
    """Give the stronger side its extra units (see the module docstring); warnings go on ``dose``."""
    zone = dose.zone
    extra = exact(asymmetry.extra_units)
    stronger_side, weaker_side = asymmetry.stronger_side, OTHER[asymmetry.stronger_side]
    cap, minimum = exact(zone.caution_above.value), exact(zone.typical_units.min)
    halves = not zone.paired
    if halves:
        base = dose.sides["center"] / 2
        split_halves(dose, stronger_side)
        weaker_most, weaker_least, per = (cap - extra) / 2, minimum / 2, " per half"
    else:
        base = dose.sides["left"]
        weaker_most, weaker_least, per = cap - extra, minimum, " per side"
    most = symmetry.extra_units_max
    if not 0 < extra <= exact(most.value):
        raise InvalidAnswers(
            [
                AnswerProblem(
                    asymmetry.answer_id("extra_units"),
                    f"{shown(extra)} U extra in {zone.label} cannot be planned: a measured difference is above "
                    f"0 U and at most {number(most.value)} U (knowledge base: safety/symmetry/extra_units_max "
                    f"[{', '.join(most.sources)}]).",
                )
            ]
        )
    if not scale.on_marks(extra):
        raise InvalidAnswers(
            [AnswerProblem(asymmetry.answer_id("extra_units"), _not_on_marks(zone.label, extra, scale))]
        )
    capped = base > weaker_most
    weaker = scale.nearest(min(base, weaker_most), weaker_most, weaker_least)
    stronger = weaker + extra
    if weaker < weaker_least or weaker <= 0:
        cause = _cause(base, weaker, weaker_least, capped, cap, halves, modifiers)
        raise InvalidAnswers(
            [
                AnswerProblem(
                    asymmetry.answer_id("extra_units"),
                    f"{number(asymmetry.extra_units)} U extra in {zone.label} cannot be planned: the weaker "
                    f"({weaker_side}) side would get {shown(weaker)} U, below the typical minimum of "
                    f"{shown(weaker_least)} U{per}; {cause}. A weaker side is never planned below it, whatever "
                    "lowers it (the product's rule: safety/symmetry/weaker_side_minimum). Re-measure, plan a "
                    "smaller difference, or plan this zone without it.",
                )
            ]
        )
    if capped:
        _warn_cap(dose, asymmetry, base, weaker, stronger, cap, halves)
    dose.sides = {stronger_side: stronger, weaker_side: weaker}
    dose.sides = {side: dose.sides[side] for side in ("left", "right")}
    dose.why += f"; measured asymmetry: +{number(asymmetry.extra_units)} U on the stronger ({stronger_side}) side"
    if capped or weaker != base:
        sides = f"{shown(stronger)} U on the {stronger_side}, {shown(weaker)} U on the {weaker_side}"
        dose.why += f": {sides}, keeping the difference"
        if not capped:  # the weaker side moved only to the syringe's marks: said, so it is not read as a cut
            dose.why += f" ({shown(base)} U{per} is {shown(weaker)} U on the syringe's marks)"
    dose.knowledge += ["safety/symmetry", "safety/symmetry/weaker_side_minimum"]
    if asymmetry.extra_units > symmetry.warn_gap_above_units:
        message = fill(symmetry.message, zone=zone.label, gap=number(asymmetry.extra_units))
        dose.warn("asymmetry", f"{message} [{', '.join(symmetry.sources)}]")


def _not_on_marks(label: str, extra: Fraction, scale: SyringeScale) -> str:
    return (
        f"a difference of {shown(extra)} U in {label} cannot be measured with the clinic's syringe "
        f"({scale.describe()}): the difference between the sides must be a multiple of {shown(scale.step)} U "
        "to be drawn exactly. Choose such a difference, or another syringe or dilution in the clinic settings."
    )


def _cause(
    base: Fraction,
    weaker: Fraction,
    least: Fraction,
    capped: bool,
    cap: Fraction,
    halves: bool,
    modifiers: list[AppliedModifier],
) -> str:
    if capped:
        scope = "both halves together" if halves else "the stronger side"
        return f"capping {scope} at the caution threshold of {shown(cap)} U lowers the weaker side by as much"
    if base < least:
        names = ", ".join(m.name for m in modifiers) or "none"
        return f"the dose before the asymmetry is already {shown(base)} U (modifiers: {names})"
    return f"the syringe's marks measure {shown(weaker)} U, not {shown(base)} U"


def _warn_cap(
    dose: ZoneDose,
    asymmetry: Asymmetry,
    base: Fraction,
    weaker: Fraction,
    stronger: Fraction,
    cap: Fraction,
    halves: bool,
) -> None:
    zone, extra = dose.zone, exact(asymmetry.extra_units)
    sources = zone.caution_above.sources
    weaker_side = OTHER[asymmetry.stronger_side]
    if halves:
        message = (
            f"{zone.label}: the halves would reach {shown(2 * base + extra)} U together, above the caution "
            f"threshold of {shown(cap)} U for the zone; set to {shown(stronger)} U on the stronger "
            f"({asymmetry.stronger_side}) side and {shown(weaker)} U on the {weaker_side} side "
            f"({shown(stronger + weaker)} U) to keep the measured difference."
        )
    else:
        message = (
            f"{zone.label}: the stronger ({asymmetry.stronger_side}) side would reach {shown(base + extra)} U, above "
            f"the caution threshold of {shown(cap)} U per side; set to {shown(stronger)} U and the {weaker_side} "
            f"side lowered by {shown(base - weaker)} U to {shown(weaker)} U to keep the measured difference."
        )
    dose.warn("cap", f"{message} [{', '.join(sources)}]")
    dose.cite(sources, f"zones/{zone.id}/caution_above")
