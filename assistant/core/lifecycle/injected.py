"""What a consult injected: its plan as given, and its doses as the timing of later consults reads them.

Once doses are recorded as given, they are what happened: the documents (each line's units, the
total, the cost, "last time", the follow-up) and the timing rules of the patient's next consults
read them, not the plan. A line given exactly as planned keeps the plan's line (a split dose stays
"4 x 4.5 U + 1 x 4 U"); a line given differently becomes that line as given, with its reason; a
line not given (0 U) is gone. A zone's kind (full or touch-up) is its plan's: a zone given without
being planned counts as a full dose.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.lifecycle.given import planned_doses
from assistant.core.lifecycle.given_lines import Given, GivenLine
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import FollowUp, Plan, PlanLine, RecordedDose
from assistant.core.syringe import shown, spread_steps, steps_in
from assistant.core.timing import follow_up

Kind = Literal["full", "touch_up"]


def zone_kind(plan: Plan, zone: str) -> Kind:
    """A touch-up when every planned line of the zone is one; otherwise (and when the zone was not
    planned) a full dose."""
    kinds = {line.kind for line in plan.lines if line.zone == zone}
    return "touch_up" if kinds == {"touch_up"} else "full"


def injected_kinds(plan: Plan, given: Given | None) -> set[Kind]:
    """The kinds of dose injected: of the zones given, else of the plan's lines."""
    if given is None:
        return {line.kind for line in plan.lines} if plan.status == "planned" else set()
    return {zone_kind(plan, zone) for zone in given.zones}


def recorded_doses(record: ConsultRecord, given_on: dt.date) -> list[RecordedDose]:
    """The record's doses given, one per zone (its sides added), dated ``given_on``."""
    if record.given is None:
        return []
    units: dict[str, Decimal] = {}
    for line in record.given.lines:
        if line.units > 0:
            units[line.zone] = units.get(line.zone, Decimal(0)) + Decimal(str(line.units))
    return [
        RecordedDose(
            zone=zone,
            given_on=given_on,
            units=float(total),
            kind=zone_kind(record.plan, zone),
            consult_id=record.consult_id,
        )
        for zone, total in units.items()
    ]


def _drawn_at(given: GivenLine, per_ml: Fraction) -> bool:
    """Whether the line's volume is the one the ledger worked out from its units at the plan's
    dilution (drawn from vials: ``vials.draw_lines``, to the thousandth of a mL), not a volume a
    person recorded: then it is spread over its points like any other, not kept "as recorded"."""
    if not given.draws or given.ml is None or given.units <= 0:
        return False
    return abs(Fraction(str(given.ml)) - Fraction(str(given.units)) * per_ml) <= Fraction(1, 2000)


def _given_lines(given: GivenLine, template: PlanLine | None, plan: Plan, kb: KnowledgeBase) -> list[PlanLine]:
    """The plan lines of a side given differently from the plan (``template``: the planned line of
    that zone and side, None when it was not planned): its units spread over its points in steps of
    the plan's syringe, as a planned side is (11 U in 4 points: 1 x 2.6 U and 3 x 2.8 U, not 4 x
    2.75 U, a dose no mark measures), unless its volume was recorded (then as recorded; a volume the
    ledger worked out from a vial of the plan's dilution is not one: ``_drawn_at``)."""
    step, points = plan.unit_step, given.points
    per_ml = Fraction(str(plan.dilution.saline_ml)) / Fraction(str(plan.dilution.vial_units))
    recorded_ml = given.ml is not None and not _drawn_at(given, per_ml)
    steps = steps_in(given.units, step) if step is not None and not recorded_ml and points else None
    if step is not None and steps is not None and steps >= points:
        parts = [(count, per_point, per_point / step) for count, per_point in spread_steps(steps, points, step)]
    else:  # no syringe kept with the plan, or the volume recorded: as given
        parts = [(points, Fraction(str(given.units)) / (points or 1), None)]
    planned_units, planned_points = planned_doses(plan).get((given.zone, given.side), (0.0, 0))
    why = f"given differently from the plan (planned {planned_units:g} U in {planned_points} points)" + (
        f": {given.reason}" if given.reason else ""
    )
    if len(parts) > 1:
        doses = " and ".join(f"{count} x {shown(per_point)} U" for count, per_point, _ in parts)
        why += f"; {given.units:g} U over {points} points in steps of the syringe's marks: {doses}"
    if template is not None:
        label, off_label, kind = template.zone_label, template.off_label, template.kind
        sources, knowledge = template.sources, template.knowledge
    else:
        try:
            zone = kb.zone(given.zone)
            label, off_label = zone.label, not zone.on_label
        except UnknownZone:
            label, off_label = given.zone.replace("_", " "), True
        kind, sources, knowledge = "full", (), ()
    lines = []
    for count, per_point, steps_per_point in parts:
        ml = Fraction(str(given.ml)) / points if recorded_ml and given.ml is not None and points else per_point * per_ml
        marks = float(round(ml * Fraction(str(plan.syringe.marks_per_ml)), 3)) if plan.syringe is not None else None
        line = PlanLine(
            zone=given.zone,
            zone_label=label,
            side=given.side,
            kind=kind,
            points=count,
            units_per_point=float(round(per_point, 3)),
            units=float(per_point * count) if len(parts) > 1 else given.units,
            steps_per_point=int(steps_per_point) if steps_per_point is not None else None,
            ml_per_point=float(round(ml, 3)),
            syringe_marks=marks,
            off_label=off_label,
            sources=sources,
            knowledge=knowledge,
            why=why,
        )
        lines.append(line)
    return lines


def plan_as_given(plan: Plan, given: Given | None, kb: KnowledgeBase) -> Plan:
    """The plan with its lines, total, vials, cost and follow-up as given (the plan itself when
    nothing is recorded or everything was given as planned). Warnings, deferrals, modifiers and
    the session maximum stay the plan's: they are why it was planned so.

    A plan made again as contraindicated after doses were given (answers amended when a pregnancy
    was learnt, say) keeps its status and reasons, with the doses given as its lines: what was
    injected is never dropped from her papers (a tryout's sheet then said "we are not giving you a
    treatment today" to a patient given 79 U, without the warnings). Its follow-up is the review
    alone: no touch-up, no next treatment, for a patient the answers now contraindicate."""
    if given is None or plan.status == "refused":
        return plan
    if plan.status == "contraindicated":
        return _contraindicated_as_given(plan, given, kb)
    planned = planned_doses(plan)
    by_side = {(line.zone, line.side): line for line in given.lines}
    lines: list[PlanLine] = []
    done: set[tuple[str, str]] = set()
    for line in plan.lines:
        key = (line.zone, line.side)
        entry = by_side.get(key)
        if entry is None or entry.units <= 0:
            continue
        if (entry.units, entry.points) == planned[key]:
            lines.append(line)
        elif key not in done:
            lines.extend(_given_lines(entry, line, plan, kb))
        done.add(key)
    for entry in given.lines:
        if (entry.zone, entry.side) not in planned and entry.units > 0:
            lines.extend(_given_lines(entry, None, plan, kb))
    if lines == list(plan.lines):
        return plan
    total = sum((Decimal(str(line.units)) for line in lines), start=Decimal(0))
    cost = None
    if plan.cost is not None and plan.total_units > 0:
        cost = float(round(Decimal(str(plan.cost)) * total / Decimal(str(plan.total_units)), 6))
    kinds = {line.kind for line in lines}
    after = follow_up(kb.timing, plan.today, kinds)
    after = after.model_copy(
        update={
            "review_date": plan.follow_up.review_date,
            "next_full_treatment": plan.follow_up.next_full_treatment if "touch_up" in kinds else None,
        }
    )
    return plan.model_copy(
        update={
            "lines": tuple(lines),
            "total_units": float(total),
            "vials": math.ceil(total / Decimal(str(plan.dilution.vial_units))) if total else 0,
            "cost": cost,
            "follow_up": after,
        }
    )


def _contraindicated_as_given(plan: Plan, given: Given, kb: KnowledgeBase) -> Plan:
    """A contraindicated plan with the doses given as its lines (see ``plan_as_given``)."""
    why = "given as recorded, before the answers now kept contraindicated the treatment"
    lines = [
        line.model_copy(update={"why": why + (f" ({entry.reason})" if entry.reason else "")})
        for entry in given.lines
        if entry.units > 0
        for line in _given_lines(entry, None, plan, kb)
    ]
    if not lines:
        return plan
    total = sum((Decimal(str(line.units)) for line in lines), start=Decimal(0))
    return plan.model_copy(
        update={
            "lines": tuple(lines),
            "total_units": float(total),
            "vials": math.ceil(total / Decimal(str(plan.dilution.vial_units))),
            "follow_up": FollowUp(review_date=plan.follow_up.review_date),
        }
    )
