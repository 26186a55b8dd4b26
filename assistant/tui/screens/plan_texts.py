"""What the plan screen writes under the table: follow-up, modifiers, the working behind each
dose, last time's doses beside today's, the totals; and whether two plans read the same on it.
Pure functions of the plan, so the screen only lays them out.
"""

from __future__ import annotations

from assistant.core.plan import Plan
from assistant.core.text import counted, number
from assistant.documents.money import NOT_SET, cost_text

OFF_LABEL_NOTE = "* off-label: the zone is not on the product's label (the practitioner's decision). "
TABLE_LEGEND = (
    "Marks: per point, the line of the syringe's scale to draw up to (6.5: to the 6.5 line), a reading, "
    "not a number of marks to count (the syringe is named under the table). "
    "Dose: full = a full treatment dose; touch-up = a small top-up after a recent treatment (never adjusted)."
)


def table_legend(plan: Plan) -> str:
    """The words under the dose table; the off-label note only when a zone of the table is marked *
    (a glabella-only plan is on the label: no note, as on the printed dose summary)."""
    return (OFF_LABEL_NOTE if any(line.off_label for line in plan.lines) else "") + TABLE_LEGEND


def same_on_screen(after: Plan, before: Plan) -> bool:
    """Two plans that differ at most in the count of earlier doses (unknown, then counted as none)."""
    unknown = {"earlier_units": None, "earlier_window_days": None}
    return after.model_copy(update=unknown) == before.model_copy(update=unknown)


def follow_up(plan: Plan) -> str:
    """The review, then the touch-up window after full doses or the next full treatment after touch-ups."""
    follow = plan.follow_up
    text = f"Follow-up: review {follow.review_date.isoformat()}"
    if follow.touch_up_from and follow.touch_up_to:
        text += f"; touch-up window {follow.touch_up_from.isoformat()} to {follow.touch_up_to.isoformat()}"
    if follow.next_full_treatment:
        text += f"; next full treatment of the zones touched up today from {follow.next_full_treatment.isoformat()}"
    return text


def no_modifiers(plan: Plan) -> str:
    kinds = {line.kind for line in plan.lines}
    if kinds == {"touch_up"}:
        return "Modifiers: none; touch-up doses are fixed and never adjusted."
    if "touch_up" in kinds:
        return "Modifiers: none apply; full doses are the defaults, touch-ups are never adjusted."
    return "Modifiers: none apply; full doses are the defaults."


def why(plan: Plan) -> str:
    """Each zone and side's working, with the knowledge entries' sources and off-label status."""
    rows, seen = [], set()
    for line in plan.lines:
        if (line.zone, line.side) in seen:
            continue
        seen.add((line.zone, line.side))
        label = "on-label" if not line.off_label else "off-label"
        flag = "; includes unverified figures" if line.unverified else ""
        rows.append(
            f"{line.zone_label.split(' (')[0]} {line.side}: {line.why} [{', '.join(line.sources)}; {label}{flag}]"
        )
    return "\n".join(rows)


def last_time(plan: Plan, before: Plan) -> str:
    """Each zone's units per side last time, with today's beside them."""
    rows = []
    for zone in dict.fromkeys(line.zone for line in before.lines):
        sides = dict.fromkeys(line.side for line in before.lines if line.zone == zone)
        parts = []
        for side in sides:
            then, now = before.units_for(zone, side), plan.units_for(zone, side)
            today = f"{number(now)} U today" if now else "not today"
            parts.append(f"{side} {number(then)} U ({today})")
        label = before.lines_for(zone)[0].zone_label.split(" (")[0]
        rows.append(f"{label}: " + "; ".join(parts))
    return "\n".join(rows)


def totals(plan: Plan) -> str:
    """Units, vials, cost and dilution (and the syringe its marks are for)."""

    cost = cost_text(plan.cost, plan.currency) or NOT_SET
    dilution = plan.dilution
    return (
        f"Total {number(plan.total_units)} U · {counted(plan.vials, 'vial')} of "
        f"{number(dilution.vial_units)} U · "
        f"cost {cost} · dilution {number(dilution.saline_ml)} mL per vial "
        f"({number(dilution.units_per_0_1_ml)} U per 0.1 mL)"
    ) + (f"\nMarks: {plan.syringe.label}" if plan.syringe else "")
