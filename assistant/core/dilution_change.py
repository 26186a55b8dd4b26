"""The dilution changed since the patient's last visit: every mL per point changes with it.

A patient used to 0.05 mL a point at 2.5 mL a vial gets twice the volume for the same units at
5 mL, and an injector reading volumes from the last visit would give half the dose. The plan says
so (``dilution_changed``), naming both dilutions. Pure: the last visit's record is read by the
caller (``assistant.services.earlier.recorded_treatments``).
"""

from __future__ import annotations

from fractions import Fraction

from assistant.core.lifecycle.listing import given_day
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import PlanWarning, VisitDilution
from assistant.core.syringe import exact

DILUTION_CHANGED = "dilution_changed"


def visit_dilution(record: ConsultRecord) -> VisitDilution | None:
    """The dilution a given record's doses were drawn at: the vial's, from the volume a given line
    records (units and mL), else the plan's. None for a record that gave nothing."""
    if record.given is None or not any(line.units > 0 for line in record.given.lines):
        return None
    vial_units = exact(record.plan.dilution.vial_units)
    saline = exact(record.plan.dilution.saline_ml)
    drawn = next((line for line in record.given.lines if line.units > 0 and line.ml), None)
    if drawn is not None and drawn.ml is not None:
        at_plan = exact(drawn.units) * saline / vial_units
        if abs(exact(drawn.ml) - at_plan) > Fraction(1, 1000):  # the vial's volume, kept to 0.001 mL
            saline = Fraction(round(exact(drawn.ml) / exact(drawn.units) * vial_units, 2))
    return VisitDilution(
        consult_id=record.consult_id,
        given_on=given_day(record),
        saline_ml=round(float(saline), 3),
        vial_units=float(vial_units),
    )


def _words(saline_ml: float | Fraction, vial_units: float | Fraction) -> str:
    per_0_1 = exact(vial_units) / exact(saline_ml) / 10
    return f"{float(saline_ml):g} mL of saline per {float(vial_units):g} U vial ({float(per_0_1):.3g} U per 0.1 mL)"


def dilution_changed(last: VisitDilution | None, saline_ml: Fraction, vial_units: Fraction) -> PlanWarning | None:
    """A warning naming the last visit's dilution and today's when their strengths differ (None when
    they are the same, or the patient has no visit that gave doses)."""
    if last is None:
        return None
    if exact(last.vial_units) / exact(last.saline_ml) == exact(vial_units) / exact(saline_ml):
        return None
    return PlanWarning(
        code=DILUTION_CHANGED,
        message=(
            f"the dilution changed since the last visit ({last.given_on.isoformat()}): "
            f"{_words(last.saline_ml, last.vial_units)} then, {_words(saline_ml, vial_units)} now. "
            "Every volume per point changes; draw by units, not by last visit's volumes."
        ),
    )
