"""The limits a dose recorded as given keeps, exactly as planning keeps them.

Planning clamps each zone at its caution threshold (a touch-up at the touch-up's most) and refuses
a plan that, with the doses given in the window before it, passes the session maximum. An injector
records what was injected, which may differ from the plan; so the same limits are checked again on
the lines being recorded, against the doses given before the day of giving (the caller reads them
from the record, see ``assistant.services.earlier``). Figures come from the knowledge base and the
clinic settings, never from here. Pure: the breaches are returned as data, the caller decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.knowledge_model import Zone
from assistant.core.lifecycle.given_lines import GivenLine
from assistant.core.lifecycle.override import Breach
from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
from assistant.core.recorded_timing import record_timing
from assistant.core.text import number
from assistant.settings import ClinicSettings


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def session_limit(kb: KnowledgeBase, clinic: ClinicSettings) -> tuple[float, tuple[str, ...]]:
    """The session maximum as the planner takes it (the clinic may lower the knowledge base's, never
    raise it), with where it comes from."""
    cap = kb.safety.session_max_units
    if clinic.session_max_units is not None and clinic.session_max_units < cap.value:
        return clinic.session_max_units, ("clinic settings",)
    return cap.value, tuple(cap.sources)


def _zone_limit(zone: Zone, kb: KnowledgeBase, touch_up: bool) -> tuple[Decimal, str, tuple[str, ...]]:
    """A zone's most per side (a central zone: in all), as planning uses it."""
    cap = _decimal(zone.caution_above.value)
    if touch_up:
        rule = kb.timing.touch_up
        most = _decimal(rule.max_units)
        if most < cap:
            return most, "the touch-up's most", tuple(rule.sources)
    return cap, "the caution threshold", tuple(zone.caution_above.sources)


def zone_breaches(
    lines: Iterable[GivenLine], kb: KnowledgeBase, plan: Plan | None = None, touch_ups: Iterable[str] = ()
) -> list[Breach]:
    """Each zone side (a central zone as a whole, halves included) given above its limit; a zone
    planned as a touch-up, or that its recorded doses make one (``touch_ups``), at the touch-up's most."""
    touched_up = {line.zone for line in plan.lines if line.kind == "touch_up"} if plan is not None else set()
    touched_up |= set(touch_ups)
    totals: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        try:
            paired = kb.zone(line.zone).paired
        except UnknownZone:
            continue  # the given file's check names it; a zone without a figure has no limit to check here
        key = (line.zone, line.side if paired else "center")
        totals[key] = totals.get(key, Decimal(0)) + _decimal(line.units)
    breaches = []
    for (zone_id, side), units in totals.items():
        zone = kb.zone(zone_id)
        limit, what, sources = _zone_limit(zone, kb, zone_id in touched_up)
        if units <= limit:
            continue
        where = f"{zone_id} {side}" if zone.paired else zone_id
        per = zone.per_side
        breaches.append(
            Breach(
                kind="zone",
                zone=zone_id,
                side=side,  # type: ignore[arg-type]
                units=float(units),
                limit=float(limit),
                message=f"{where}: {number(float(units))} U given, above its limit of {number(float(limit))} U"
                f"{per} ({what}) [{', '.join(sources)}]",
                sources=sources,
            )
        )
    return breaches


def timing_breaches(
    lines: Iterable[GivenLine], kb: KnowledgeBase, recorded: RecordedTreatments, day: date
) -> tuple[list[Breach], set[str]]:
    """The zones given on ``day`` that the doses recorded in the patient's other consults make wait,
    as planning would have deferred them, and those they make a touch-up (held to the touch-up's most).
    Two workstations that planned one patient at once, or a plan made while the server was away,
    were each given in full the same day: the plan's own timing knew only what was recorded then."""
    given: dict[str, Decimal] = {}
    for line in lines:
        if line.units > 0:
            given[line.zone] = given.get(line.zone, Decimal(0)) + _decimal(line.units)
    breaches, touch_ups = [], set()
    for zone_id, units in given.items():
        try:
            zone = kb.zone(zone_id)
        except UnknownZone:
            continue
        doses = recorded.of_zone(zone_id, day)
        when = record_timing(kb.timing, zone, day, doses)
        if when is None:
            continue
        if when.deferred is not None:
            waits = when.deferred
            last = doses[-1]
            message = (
                f"{zone_id}: {number(float(units))} U given, but it was given on {last.given_on.isoformat()} in "
                f"consult {last.consult_id} ({waits.reason}): not before {waits.not_before.isoformat()} "
                f"[{', '.join(waits.sources)}]"
            )
            breaches.append(
                Breach(kind="timing", zone=zone_id, units=float(units), limit=0, message=message, sources=waits.sources)
            )
        elif when.band is not None and when.band.action == "touch_up":
            touch_ups.add(zone_id)
    return breaches, touch_ups


def session_breach(
    lines: Iterable[GivenLine], kb: KnowledgeBase, clinic: ClinicSettings, earlier: EarlierDoses
) -> Breach | None:
    """This consult's doses and those given in the window before, above the session maximum."""
    limit, sources = session_limit(kb, clinic)
    today = sum((_decimal(line.units) for line in lines), Decimal(0))
    before = _decimal(earlier.units)
    if today + before <= _decimal(limit):
        return None
    window = earlier.window_days
    if before > 0:
        message = (
            f"{number(float(today))} U given in this consult and {number(float(before))} U in the last {window} "
            f"days: {number(float(today + before))} U, above the maximum of {number(limit)} U over {window} days"
        )
    else:
        message = f"{number(float(today))} U given in this consult, above the session maximum of {number(limit)} U"
    return Breach(
        kind="session",
        units=float(today),
        earlier_units=float(before),
        limit=limit,
        window_days=window,
        message=f"{message} [{', '.join(sources)}]",
        sources=sources,
    )


def dose_breaches(
    lines: Iterable[GivenLine],
    kb: KnowledgeBase,
    clinic: ClinicSettings,
    earlier: EarlierDoses,
    plan: Plan | None = None,
    recorded: RecordedTreatments | None = None,
    day: date | None = None,
) -> tuple[Breach, ...]:
    """Every limit the doses being recorded pass: each zone's timing against the doses recorded in
    the patient's other consults (``recorded``, given on or before ``day``, the day of giving), each
    zone's most, then the session maximum over the window before the day of giving (``earlier``: the
    patient's other doses given in it, this consult's left out). ``plan`` tells which zones were
    planned as touch-ups."""
    lines = tuple(lines)
    timing, touch_ups = timing_breaches(lines, kb, recorded, day) if recorded and day else ([], set())
    breaches = zone_breaches(lines, kb, plan, touch_ups)
    session = session_breach(lines, kb, clinic, earlier)
    return (*timing, *breaches, *([session] if session is not None else []))
