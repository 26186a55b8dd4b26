"""More quotable facts for "ask": zone-combination rules, the forehead in halves, a zone's volume
error and the syringes, each with its figures and sources as the knowledge files give them."""

from __future__ import annotations

from assistant.core.knowledge import KnowledgeBase
from assistant.core.search_entry import Entry
from assistant.core.text import number


def more_entries(kb: KnowledgeBase) -> list[Entry]:
    entries = [
        Entry(
            f"zone_combinations/{rule.id}",
            f"Zone combination: {rule.id.replace('_', ' ')}",
            rule.message,
            rule.sources,
            (rule.id.replace("_", " "), "combination", "together", "without", "with", *(rule.zone or "",)),
        )
        for rule in kb.zone_combinations()
    ]
    for zone in kb.zones():
        if zone.split_sides is not None:
            entries.append(
                Entry(
                    f"zones/{zone.id}/split_sides",
                    f"{zone.label}: an asymmetry, planned in halves",
                    zone.split_sides.note or "",
                    zone.split_sides.sources,
                    (zone.id, "asymmetry", "brow", "eyebrow", "uneven", "halves", "left", "right"),
                )
            )
        if zone.volume_error is not None:
            error = zone.volume_error
            entries.append(
                Entry(
                    f"zones/{zone.id}/volume_error",
                    f"{zone.label}: what a volume error does",
                    error.note
                    or f"A {number(error.volume_ml)} mL error can shift {error.effect} by up to "
                    f"{number(error.shift_mm)} mm.",
                    error.sources,
                    (zone.id, "error", "precision", "mm", "symmetry", "ml", "volume"),
                )
            )
    syringes = kb.product.syringes
    listed = "; ".join(
        f"{s.label} ({number(s.marks_per_ml)} marks to the mL, read to {number(s.mark_step)} mark)"
        for s in syringes.choices
    )
    entries.append(
        Entry(
            "product/syringes",
            "Syringes and their marks",
            f"Doses per point are kept to what the clinic's syringe can measure at its dilution. {listed}. "
            f"Default: {kb.syringe().label}. {syringes.note or ''} Syringe geometry is a device fact, not "
            "from the clinical reference; set the clinic's syringe in its settings (syringe = ...).",
            tuple(dict.fromkeys(s for choice in syringes.choices for s in choice.sources)),
            ("syringe", "marks", "insulin", "u-100", "draw", "ml", "volume", "measure"),
        )
    )
    return entries
