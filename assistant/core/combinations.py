"""Zone-combination rules: warnings for zones planned together, or one without another.

The rules are data (``zone_combinations`` in the knowledge base), written in the condition language
over the consult's answers plus ``planned_zones`` and ``deferred_zones``, so trainers add rules
without Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from assistant.core.conditions import evaluate
from assistant.core.knowledge_model import ZoneCombination
from assistant.core.plan import PlanWarning

PLAN_NAMES = ("planned_zones", "deferred_zones")
"""Names a combination rule may read besides the answers."""


def combination_warnings(
    rules: tuple[ZoneCombination, ...],
    answers: Mapping[str, object],
    today: date,
    planned: tuple[str, ...],
    deferred: tuple[str, ...],
) -> list[PlanWarning]:
    """A warning (code: the rule's id) for each rule whose condition holds for this plan."""
    names = {**answers, "planned_zones": planned, "deferred_zones": deferred}
    return [
        PlanWarning(
            code=rule.id,
            message=f"{rule.message} [{', '.join(rule.sources)}]",
            zone=rule.zone,
            severity=rule.severity,
        )
        for rule in rules
        if evaluate(rule.when, names, today)
    ]
