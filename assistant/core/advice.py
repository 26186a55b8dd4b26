"""What the knowledge base says about an answer, said between questions.

The UI shows these lines after an answer so that junior staff learn why the consult goes where it
goes. All wording with a figure comes from the knowledge base; this module only picks the facts that
concern the answer just given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from assistant.core.conditions import evaluate, referenced_names
from assistant.core.knowledge import KnowledgeBase, UnknownZone
from assistant.core.knowledge_model import TimingBand
from assistant.core.text import counted, fill, number
from assistant.core.timing import band_for, band_reason, describe_days_since, not_before, per_zone


@dataclass(frozen=True)
class Advice:
    text: str
    sources: tuple[str, ...] = ()
    tone: Literal["info", "warning", "stop"] = "info"


def zone_summary(kb: KnowledgeBase, zone_id: str) -> Advice:
    zone = kb.zone(zone_id)
    per = zone.per_side
    label = "on the Letybo label" if zone.on_label else "off-label"
    points = zone.points
    point_text = (
        counted(points.min, "point")
        if points.min == points.max
        else f"{points.min}-{points.max} points (default {points.default})"
    )
    text = (
        f"{zone.label}: typically {number(zone.typical_units.min)}-{number(zone.typical_units.max)} U{per}, "
        f"starting from {number(zone.default_units.value)} U{per} in {point_text}; caution above "
        f"{number(zone.caution_above.value)} U{per}; {label}."
    )
    sources = tuple(
        dict.fromkeys([*zone.typical_units.sources, *zone.default_units.sources, *zone.caution_above.sources])
    )
    return Advice(text, sources)


def advise(
    question_id: str,
    answers: Mapping[str, object],
    kb: KnowledgeBase,
    today: date,
    previous: Mapping[str, object] | None = None,
) -> list[Advice]:
    """Facts that bear on the answer just given to ``question_id`` (``previous``: the answers before it)."""
    previous = previous or {}
    value = answers.get(question_id)
    notes: list[Advice] = []
    for rule in kb.contraindications():
        if question_id in referenced_names(rule.when) and evaluate(rule.when, answers, today):
            if rule.effect == "contraindicated":
                notes.append(
                    Advice(f"Stop: {rule.message}. No dose will be planned.", rule.sources, "stop"),
                )
            else:
                notes.append(Advice(f"Caution: {rule.message}.", rule.sources, "warning"))
    for modifier in kb.modifiers():
        if modifier.question != question_id:
            continue
        rule = next((r for r in modifier.rules if evaluate(r.when, answers, today)), None)
        if rule is not None and rule.factor != 1:
            flag = " (figure unverified)" if rule.unverified else ""
            notes.append(Advice(f"{modifier.label}: dose x{rule.factor:g}: {rule.reason}{flag}.", rule.sources))
    if question_id == "zones" and isinstance(value, tuple | list):
        before = set(previous.get("zones") or ())
        for zone_id in value:
            if zone_id not in before:
                try:
                    notes.append(zone_summary(kb, zone_id))
                except UnknownZone:
                    notes.append(Advice(f"{zone_id}: the knowledge base has no entry for this zone.", (), "warning"))
    if question_id == "prior_treatment_date" and isinstance(value, date):
        notes.append(Advice(describe_days_since(kb.timing, value, today) + "", _band_sources(kb, value, today)))
    if question_id == "prior_zones" and isinstance(answers.get("prior_treatment_date"), date):
        notes += _prior_zone_advice(kb, answers, today)
    if question_id.rsplit(".", 1)[-1] == "extra_units" and isinstance(value, int | float):
        symmetry = kb.safety.symmetry
        if value > symmetry.warn_gap_above_units:
            # an entry of the asymmetries group (asymmetries.1.extra_units) names its zone beside it
            zone_key = question_id.removesuffix("extra_units") + "zone" if "." in question_id else "asymmetry_zone"
            zone_id = str(answers.get(zone_key) or "")
            zone = kb.zone(zone_id).label if zone_id in kb.zone_ids else "this zone"
            notes.append(Advice(fill(symmetry.message, zone=zone, gap=number(value)), symmetry.sources, "warning"))
    return notes


def zone_names(kb: KnowledgeBase, zone_ids: list[str] | tuple[str, ...]) -> str:
    """Zones as people say them ("Glabella, Crow's feet"), not as codes."""
    return ", ".join(kb.zone(z).label.split(" (")[0] if z in kb.zone_ids else z for z in zone_ids)


def _band_sources(kb: KnowledgeBase, prior: date, today: date) -> tuple[str, ...]:
    band = band_for(kb.timing, (today - prior).days)
    return band.sources if band else ()


def _prior_zone_advice(kb: KnowledgeBase, answers: Mapping[str, object], today: date) -> list[Advice]:
    prior = answers["prior_treatment_date"]
    assert isinstance(prior, date)
    days = (today - prior).days
    band = band_for(kb.timing, days)
    if band is None:
        return []
    today_zones = set(answers.get("zones") or ())
    treated_again = [z for z in (answers.get("prior_zones") or ()) if z in today_zones]
    if not treated_again:
        return [  # as typed: a dose the record holds still counts when the plan is made (a tryout's did)
            Advice(
                "None of today's zones is typed as treated last time; the doses the patient's record holds "
                "still count for timing when the plan is made."
            )
        ]
    names = zone_names(kb, treated_again)
    if band.action == "defer":
        day = not_before(band, prior)
        return [
            Advice(
                f"{names}: deferred until {day.isoformat() if day else '?'}: {band_reason(band, days)}.",
                band.sources,
                "warning",
            )
        ]
    if band.action == "touch_up":
        return _touch_up_advice(kb, treated_again, band, days)
    return [Advice(f"{names}: {band_reason(band, days)}.", band.sources)]


def _touch_up_advice(kb: KnowledgeBase, zone_ids: list[str], band: TimingBand, days: int) -> list[Advice]:
    """One line for the paired zones (units per side) and one for the central ones (units for the
    zone): a glabella is never told "2 U per side", which reads as 4 U."""
    rule = kb.timing.touch_up
    groups: dict[bool | None, list[str]] = {}
    for zone_id in zone_ids:
        groups.setdefault(kb.zone(zone_id).paired if zone_id in kb.zone_ids else None, []).append(zone_id)
    return [
        Advice(
            f"{zone_names(kb, ids)}: touch-up only, {number(rule.units_per_side)} U {per_zone(paired)} "
            f"({number(rule.min_units)}-{number(rule.max_units)} U) with no modifiers: {band_reason(band, days)}.",
            band.sources,
            "warning" if band.warning else "info",
        )
        for paired, ids in groups.items()
    ]
