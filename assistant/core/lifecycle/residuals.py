"""What a review's residual left/right difference carries into the touch-up of days 18-21.

The review at about day 14 (the peak) records, per treated zone, which side still moves more and by
how much (mm at the brow, or units). The touch-up consult is pre-filled with it as a measured
asymmetry (zone, stronger side, extra units) that goes through the planner like any answer, so the
caps and the symmetry rule still hold. The units are the seed's touch-up of 2-3 U
(``reference-article``, knowledge/timing.yaml ``touch_up``): a difference given in units is kept
within them; one given in mm only starts from the touch-up's own units (2 U), since no source turns
mm into units (product choice). The practitioner changes the pre-filled answer at will.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from assistant.core.consult import ASYMMETRIES
from assistant.core.knowledge_timing import FollowUp, TouchUp
from assistant.core.lifecycle.listing import given_day
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import ResidualFound
from assistant.core.repeat import field_id, gate_id


def residuals_of(record: ConsultRecord) -> list[ResidualFound]:
    """The differences the record's newest review found (a later review supersedes an earlier one)."""
    if not record.reviews:
        return []
    review = record.reviews[-1]
    return [
        ResidualFound(
            zone=finding.zone,
            stronger_side=finding.stronger_side,
            difference_mm=finding.difference_mm,
            difference_units=finding.difference_units,
            treated_on=given_day(record),
            reviewed_on=review.at.date(),
            consult_id=record.consult_id,
        )
        for finding in review.findings
        if finding.stronger_side is not None
    ]


def touch_up_units(found: ResidualFound, rule: TouchUp) -> float:
    """The extra units to pre-fill: the measured units kept within the touch-up's 2-3 U, else its start."""
    if found.difference_units is None or found.difference_units <= 0:
        return rule.units_per_side
    return float(
        min(max(Fraction(str(found.difference_units)), Fraction(str(rule.min_units))), Fraction(str(rule.max_units)))
    )


def touch_up_prefill(
    record: ConsultRecord,
    today: dt.date,
    rule: TouchUp,
    follow_up: FollowUp,
    takes_asymmetry: frozenset[str],
) -> dict[str, object]:
    """Flat answers of the asymmetries group (as the consult asks it) for a touch-up consult ``today``:
    empty unless ``today`` is from the review day to the touch-up window's last day after the day
    ``record``'s doses were given and its review found a difference on a zone that can take one
    (``takes_asymmetry``)."""
    days = (today - given_day(record)).days  # as the planner's timing counts it
    if not follow_up.review_after_days <= days <= follow_up.touch_up_to_day:
        return {}
    found = [r for r in residuals_of(record) if r.zone in takes_asymmetry]
    answers: dict[str, object] = {}
    for index, residual in enumerate(found):
        answers[gate_id(ASYMMETRIES, index)] = True
        answers[field_id(ASYMMETRIES, index, "zone")] = residual.zone
        answers[field_id(ASYMMETRIES, index, "stronger_side")] = residual.stronger_side
        answers[field_id(ASYMMETRIES, index, "extra_units")] = touch_up_units(residual, rule)
    if found:
        answers[gate_id(ASYMMETRIES, len(found))] = False
    return answers


def prefill_words(answers: dict[str, object], rule: TouchUp) -> str | None:
    """What the practitioner is told of the pre-fill, or None when there is none."""
    zones = [value for key, value in answers.items() if key.endswith(".zone")]
    if not zones:
        return None
    return (
        "The review found a residual left/right difference in " + ", ".join(str(z) for z in zones) + ": the "
        "touch-up's asymmetry questions are pre-filled with it "
        f"(stronger side, {rule.min_units:g}-{rule.max_units:g} U); change them if they are not right."
    )
