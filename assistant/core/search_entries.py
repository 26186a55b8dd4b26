"""Every fact of the knowledge base as a quotable entry: doses, timing, safety, modifiers, the
product, aftercare, then the facts of ``search_more``; in this order, which is the order ties keep.

Each entry's text quotes the knowledge files' own figures and notes, never invented text.
"""

from __future__ import annotations

from assistant.core.knowledge import KnowledgeBase
from assistant.core.knowledge_model import Zone
from assistant.core.search_entry import Entry
from assistant.core.search_more import more_entries
from assistant.core.text import counted, fill, number
from assistant.core.timing import band_amount, touch_up_words


def _zone_entries(zone: Zone) -> list[Entry]:
    per = zone.per_side
    paired = "paired (left and right)" if zone.paired else "central"
    label = "on the Letybo label" if zone.on_label else "off-label"
    words = (zone.id.replace("_", " "), *zone.keywords)
    typical = f"{number(zone.typical_units.min)}-{number(zone.typical_units.max)} U{per}"
    dose = Entry(
        id=f"zones/{zone.id}",
        title=f"{zone.label}: dose and injection points",
        text=(
            f"{zone.muscles[:1].upper()}{zone.muscles[1:]}: {paired}, {label}. "
            f"{_figure('Typical', typical, zone.typical_units.note)} "
            f"{_figure('Default', f'{number(zone.default_units.value)} U{per}', zone.default_units.note)} "
            f"{_points(zone.points.min, zone.points.max, zone.points.default, per, zone.points.note)}"
        ).replace("  ", " "),
        sources=tuple(dict.fromkeys([*zone.typical_units.sources, *zone.default_units.sources, *zone.points.sources])),
        keywords=(*words, "dose", "units", "points", "how many"),
        topic=True,
    )
    cap = Entry(
        id=f"zones/{zone.id}/caution_above",
        title=f"{zone.label}: maximum (caution threshold)",
        text=(
            f"Caution above {number(zone.caution_above.value)} U{per} for {zone.label}. "
            f"{zone.caution_above.note or ''} The planner never exceeds it silently: it clamps with a cap warning."
        ),
        sources=zone.caution_above.sources,
        keywords=(zone.id.replace("_", " "), "max", "maximum", "cap", "limit", "threshold", "too much", "highest"),
    )
    return [dose, cap]


def _sentence(words: str) -> str:
    """``words`` as a sentence: a capital first, a full stop last (a band's reason reads "after the peak")."""
    return f"{words[:1].upper()}{words[1:]}."


def build_entries(kb: KnowledgeBase) -> list[Entry]:
    """Every fact of the knowledge base as a quotable entry."""
    knowledge = kb.knowledge
    entries: list[Entry] = []
    for zone in kb.zones():
        entries += _zone_entries(zone)
    timing = knowledge.timing
    entries.append(
        Entry(
            "timing/onset_peak_duration",
            "When it works: onset, peak and duration",
            f"First effect after about {number(timing.onset_days.value)} days ({timing.onset_days.note or ''}); "
            f"peak around day {number(timing.peak_day.value)}; the effect lasts about "
            f"{number(timing.duration_months.min)}-{number(timing.duration_months.max)} months.",
            tuple(
                dict.fromkeys([*timing.onset_days.sources, *timing.peak_day.sources, *timing.duration_months.sources])
            ),
            ("onset", "peak", "duration", "how long does it last", "kick in", "start working", "wear off"),
            topic=True,
        )
    )
    touch = timing.touch_up
    window = timing.follow_up
    entries.append(
        Entry(
            "timing/touch_up",
            "Touch-ups: when and how much",
            f"Touch-ups at days {window.touch_up_from_day}-{window.touch_up_to_day} after treatment; "
            f"{touch_up_words(touch)}, no modifiers. "
            f"{touch.note or ''} {window.note or ''}",
            tuple(dict.fromkeys([*touch.sources, *window.sources])),
            ("touch-up", "touch up", "top up", "adjust", "add", "how long to wait", "before", "days"),
            topic=True,
        )
    )
    entries.append(
        Entry(
            "timing/retreatment_interval",
            "Retreatment interval",
            f"Retreat no more often than every {number(timing.retreatment_interval_days.value)} days. "
            f"{timing.retreatment_interval_days.note or ''}",
            timing.retreatment_interval_days.sources,
            ("retreat", "again", "next treatment", "repeat", "how often", "interval", "3 months"),
            topic=True,
        )
    )
    for band in timing.bands:
        end = f"{band.to_day}" if band.to_day is not None else "on"
        entries.append(
            Entry(
                f"timing/bands/{band.from_day}-{band.to_day or ''}",
                f"Prior treatment {band.from_day}-{end} days ago: {band.action.replace('_', '-')}",
                _sentence(fill(band.reason, days=f"{band.from_day}-{end}") + band_amount(band, touch))
                + (f" {band.note}" if band.note else ""),
                band.sources,
                ("days ago", "last treatment", "prior", "previous", band.action),
            )
        )
    for rule in knowledge.safety.contraindications:
        entries.append(
            Entry(
                f"safety/contraindications/{rule.id}",
                f"{rule.label}: {'contraindicated' if rule.effect == 'contraindicated' else 'caution'}",
                _sentence(rule.message),
                rule.sources,
                (rule.id.replace("_", " "), rule.effect, "contraindication", "safe", "screening", *rule.keywords),
            )
        )
    safety = knowledge.safety
    entries.append(
        Entry(
            "safety/session_max_units",
            "Session maximum (total units)",
            f"At most {number(safety.session_max_units.value)} U in a session. {safety.session_max_units.note or ''}",
            safety.session_max_units.sources,
            ("total", "session", "max", "maximum", "cumulative", "limit", number(safety.session_max_units.value)),
        )
    )
    entries.append(
        Entry(
            "safety/symmetry",
            "Symmetry between left and right",
            fill(
                safety.symmetry.message,
                zone="A paired zone",
                gap="more than " + number(safety.symmetry.warn_gap_above_units),
            )
            + f" {safety.symmetry.note or ''}",
            safety.symmetry.sources,
            ("asymmetry", "symmetric", "uneven", "left", "right", "sides", "difference"),
        )
    )
    entries.append(
        Entry(
            "safety/spread_warning",
            "Spread of toxin effect (boxed warning)",
            safety.spread_warning.en,
            safety.spread_warning_sources,
            ("spread", "swallowing", "breathing", "speaking", "emergency", "side effect", "danger"),
        )
    )
    for modifier in knowledge.modifiers:
        for rule in modifier.rules:
            flag = " Figure unverified." if rule.unverified else ""
            entries.append(
                Entry(
                    f"modifiers/{modifier.name}/{rule.when}",
                    f"Modifier {modifier.label.lower()}: {rule.when} -> x{rule.factor:g}",
                    f"{_sentence(rule.reason)} {rule.note or ''}{flag}",
                    rule.sources,
                    (modifier.name.replace("_", " "), "modifier", "factor", "adjust", "more", "less"),
                )
            )
    product = knowledge.product
    recon = product.reconstitution
    entries.append(
        Entry(
            "product/reconstitution",
            "Reconstitution and dilution",
            f"{number(recon.saline_ml)} mL saline per {number(recon.vial_units)} U vial; use within "
            f"{number(recon.use_within_hours)} h. {recon.note or ''}",
            recon.sources,
            ("dilution", "dilute", "saline", "reconstitute", "mix", "ml", "vial", "storage"),
        )
    )
    entries.append(
        Entry(
            "product/not_interchangeable",
            "Units are not interchangeable with other products",
            product.not_interchangeable.note or "",
            product.not_interchangeable.sources,
            ("botox", "dysport", "convert", "conversion", "other product", "equivalent"),
        )
    )
    entries.append(
        Entry(
            "product/price_per_unit",
            "Price per unit",
            product.price_per_unit.note or "",
            product.price_per_unit.sources,
            ("price", "cost", "how much", "charge", "money"),
        )
    )
    for item in knowledge.aftercare:
        entries.append(
            Entry(
                f"aftercare/{item.id}",
                "Aftercare",
                item.text.en,
                item.sources,
                ("aftercare", "after", "care", "avoid", "exercise", "alcohol", "lie down", "massage"),
            )
        )

    return entries + more_entries(kb)


def _figure(name: str, figure: str, note: str | None) -> str:
    """A figure and its note, the figure said once: most notes open with the figure they explain
    ("6-12 U per side (reference-article); ..."), and "Typical 6-12 U per side: 6-12 U per side" read as
    a stutter in every answer about the zone."""
    if not note:
        return f"{name} {figure}."
    if note.startswith(figure):
        return f"{name} {note}"
    return f"{name} {figure}: {note}"


def _points(low: int, high: int, default: int, per: str, note: str | None) -> str:
    """Injection points in words, "5 injection points." or "4-9 injection points (default 6) per side.",
    then the note; a note that opens with the count itself ("3-4 points per side; 4 is the product's
    default") is the whole sentence, as ``_figure`` does for doses, if it names the default too."""
    count = f"{low}" if low == high else f"{low}-{high}"
    if note and note.startswith(count + " ") and (low == high or str(default) in note):
        return f"Injection points: {note}"
    words = counted(low, "injection point") if low == high else f"{low}-{high} injection points (default {default})"
    return f"{words}{per}. {note or ''}"
