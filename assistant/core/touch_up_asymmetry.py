"""A touch-up that corrects a measured left/right difference: the units on the stronger side only.

After the peak (the review at about day 14) a residual difference is corrected at days 18-21 by
adding 2-3 U (``reference-article``, knowledge/timing.yaml ``touch_up``). Without a measured
difference a touch-up stays symmetric (both sides alike, the planner's rule). With one, the side that
still moves more takes ``extra_units`` and the other side, which matches already, takes nothing: that
placement is the product's choice (no source gives it), the amount stays within the touch-up's 2-3 U.
A central zone that can be split (the forehead, for a brow) is touched up on the stronger half.

When the difference was measured at a review of the patient's record (``RecordedTreatments.residuals``),
the line says so: the pre-fill from the review is shown as coming from it.
"""

from __future__ import annotations

from assistant.core.consult import Asymmetry
from assistant.core.knowledge_timing import TouchUp
from assistant.core.plan import ResidualFound
from assistant.core.problems import AnswerProblem, InvalidAnswers
from assistant.core.syringe import SyringeScale, exact, shown
from assistant.core.text import number
from assistant.core.zone_dose import ZoneDose


def touch_up_asymmetry(
    dose: ZoneDose, asymmetry: Asymmetry, rule: TouchUp, scale: SyringeScale, found: ResidualFound | None
) -> None:
    """Put the touch-up on the stronger side only, ``extra_units`` of it (refused outside the rule's
    2-3 U, or off the syringe's marks, naming ``extra_units``)."""
    extra = exact(asymmetry.extra_units)
    where = asymmetry.answer_id("extra_units")
    label = dose.zone.label
    if not exact(rule.min_units) <= extra <= exact(rule.max_units):
        raise InvalidAnswers(
            [
                AnswerProblem(
                    where,
                    f"{number(asymmetry.extra_units)} U in {label} cannot be planned as a touch-up: a measured "
                    f"difference is corrected with {number(rule.min_units)}-{number(rule.max_units)} U on the "
                    f"stronger side (knowledge base: timing/touch_up [{', '.join(rule.sources)}]).",
                )
            ]
        )
    if not scale.on_marks(extra):
        raise InvalidAnswers(
            [
                AnswerProblem(
                    where,
                    f"{shown(extra)} U in {label} cannot be measured with the clinic's syringe ({scale.describe()}); "
                    f"choose a multiple of {shown(scale.step)} U.",
                )
            ]
        )
    side = asymmetry.stronger_side
    dose.sides = {side: extra}
    dose.points = {side: rule.points_per_side}
    dose.why += (
        f"; measured asymmetry: {number(asymmetry.extra_units)} U on the stronger ({side}) side only, "
        "the other side matches already (product choice)"
    )
    if found is not None and found.stronger_side == side:
        measured = [f"{found.difference_mm:g} mm at the brow"] if found.difference_mm is not None else []
        measured += [f"{found.difference_units:g} U"] if found.difference_units is not None else []
        dose.why += (
            f"; from the review of {found.reviewed_on.isoformat()} after the treatment of "
            f"{found.treated_on.isoformat()}" + (f" ({', '.join(measured)} measured)" if measured else "")
        )
    dose.knowledge += ["timing/touch_up", "safety/symmetry"]
