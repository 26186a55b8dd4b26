"""What a signature covers, in words, shown above the PIN that signs it (issue 22.6).

A person signs what they read: the lines given (zone, side, units, points, lot), the total, the
lots, each line that differs from the plan with its reason, an override of a limit, and what a
co-signature adds to the signatures already there. Pure: the record in, lines of text out, so the
plan screen, the "to sign" list and the Waiting screen show the same words.
"""

from __future__ import annotations

from assistant.core.lifecycle.given import planned_doses, same_dose
from assistant.core.lifecycle.given_sides import uneven_sides
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.text import number


def _side(side: str) -> str:
    return "" if side in ("", "center", "both") else f" {side}"


def _labels(record: ConsultRecord) -> dict[str, str]:
    """Each planned zone's short label ("Crow's feet"), by zone id."""
    return {line.zone: line.zone_label.split(" (")[0] for line in record.plan.lines}


def what_is_signed(record: ConsultRecord) -> list[str]:
    """The lines of the signing summary, first the heading."""
    labels = _labels(record)
    cosign = record.awaiting_cosign
    heading = "You co-sign" if cosign else "You sign"
    words = [f"{heading} consult {record.consult_id}: {record.patient_name}, {record.date.isoformat()}."]
    given = record.given
    if given is None:
        words.append(f"Nothing was given: the consult is recorded as {record.status}.")
        return words + _signatures(record)
    # first under the heading: the signing box shows its top above the PIN (at 80x24 the end is below)
    words += [f"Uneven sides: {zone}." for zone in uneven_sides(record.plan, given.lines)]
    words.append(f"Given by {given.by} ({given.at.astimezone().strftime('%Y-%m-%d %H:%M')}):")
    for line in given.lines:
        zone = labels.get(line.zone, line.zone) + _side(line.side)
        lot = f", lot {', '.join(line.lots)}" if line.lots else ""
        dose = f"{number(line.units)} U in {line.points} points{lot}" if line.units > 0 else "not given"
        words.append(f"  {zone}: {dose}")
    lots = ", ".join(given.lots) or "none recorded"
    words.append(f"Total {number(given.total_units)} U (planned {number(record.plan.total_units)} U); lot {lots}.")
    differing = differences(record)
    if differing:
        words.append("Different from the plan:")
        words += differing
    else:
        words.append("Every line as planned.")
    if given.override is not None:
        words.append(f"Past a limit: {given.override.words()}.")
    return words + _signatures(record)


def differences(record: ConsultRecord) -> list[str]:
    """Each given line that differs, planned -> given, with its reason; planned lines not given. Also
    the plan screen's banner's words for them. None before anything is given."""
    if record.given is None:
        return []
    labels = _labels(record)
    planned = planned_doses(record.plan)
    found = []
    if record.plan.status == "contraindicated":  # answers amended after giving: nothing is planned now
        return [
            f"  {labels.get(line.zone, line.zone.replace('_', ' ').capitalize())}{_side(line.side)}: "
            f"{number(line.units)} U in {line.points} points given; the answers now kept contraindicate it"
            for line in record.given.lines
            if line.units > 0
        ]
    for line in record.given.lines:
        if not line.differs_from_plan:
            continue
        zone = labels.get(line.zone, line.zone) + _side(line.side)
        before = planned.get((line.zone, line.side))
        was = f"{number(before[0])} U in {before[1]} points" if before else "not planned"
        now = f"{number(line.units)} U in {line.points} points" if line.units > 0 else "not given"
        found.append(f"  {zone}: {was} -> {now} ({line.reason or 'no reason given'})")
    given_keys = {(line.zone, line.side) for line in record.given.lines}
    for (zone, side), (units, points) in planned.items():
        if (zone, side) not in given_keys and not same_dose(0, units):
            found.append(f"  {labels.get(zone, zone)}{_side(side)}: {number(units)} U in {points} points not given")
    return found


def _signatures(record: ConsultRecord) -> list[str]:
    if not record.signatures:
        return []
    first = record.signatures[0]
    return [f"Signed by {first.name}: {first.meaning}. Your signature is the medical director's co-signature."]
