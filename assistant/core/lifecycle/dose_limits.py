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
from decimal import Decimal

from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.knowledge_model import Zone
from assistant.core.lifecycle.given_lines import GivenLine
from assistant.core.lifecycle.override import Breach
from assistant.core.plan import EarlierDoses, Plan
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


def zone_breaches(lines: Iterable[GivenLine], kb: KnowledgeBase, plan: Plan | None = None) -> list[Breach]:
    """Each zone side (a central zone as a whole, halves included) given above its limit."""
    touched_up = {line.zone for line in plan.lines if line.kind == "touch_up"} if plan is not None else set()
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
) -> tuple[Breach, ...]:
    """Every limit the doses being recorded pass: each zone's, then the session maximum over the
    window before the day of giving (``earlier``: the patient's other doses given in it, this
    consult's left out). ``plan`` tells which zones were planned as touch-ups."""
    lines = tuple(lines)
    breaches = zone_breaches(lines, kb, plan)
    session = session_breach(lines, kb, clinic, earlier)
    return (*breaches, *([session] if session is not None else []))
