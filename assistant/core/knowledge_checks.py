"""Checks of the knowledge base: alone (duplicate ids, the timing bands, translations, sources) and
against the script it is used with (zones offered, asymmetries, the questions its conditions read).

Like ``script_checks``, each returns ``Finding``s with a location path into the file, so the file
adapter can name the line; run at load time and by ``botulax-consult check``.
"""

from __future__ import annotations

from collections import Counter

from assistant.core.combinations import PLAN_NAMES
from assistant.core.conditions import check_expression
from assistant.core.consult import ASYMMETRIES
from assistant.core.face_checks import check_face_points
from assistant.core.findings import Finding, Loc, hint
from assistant.core.knowledge_model import Knowledge
from assistant.core.language_checks import check_patient_languages, check_translations
from assistant.core.provenance_checks import check_provenance
from assistant.core.screening_checks import check_screening
from assistant.core.script import ChoiceQuestion, RepeatGroup, Script
from assistant.core.script_checks import check_codes


def check_knowledge(knowledge: Knowledge) -> list[Finding]:
    """Problems inside the knowledge base: duplicate ids, gaps in the timing bands, missing
    translations, sources (unknown, uncited, or differing from a figure's note), and the face
    diagram's positions (``face_checks``)."""
    findings: list[Finding] = []
    for name, items in (
        ("zones", knowledge.zones),
        ("aftercare", knowledge.aftercare),
        ("sources", knowledge.sources),
        ("zone_combinations", knowledge.zone_combinations),
    ):
        for item_id, count in Counter(i.id for i in items).items():
            if count > 1:
                findings.append(Finding((name,), "duplicate-id", f"{name}: id '{item_id}' is used {count} times."))
    findings += _check_bands(knowledge)
    findings += check_translations(knowledge)
    findings += check_provenance(knowledge)
    findings += check_face_points(knowledge)
    return findings


def _check_bands(knowledge: Knowledge) -> list[Finding]:
    findings = []
    expected = 0
    for i, band in enumerate(knowledge.timing.bands):
        if band.from_day != expected:
            word = "gap" if band.from_day > expected else "overlap"
            findings.append(
                Finding(
                    ("timing", "bands", i, "from_day"),
                    "timing-bands",
                    f"timing bands have a {word}: this band starts on day {band.from_day}, "
                    f"the previous one ends on day {expected - 1}.",
                )
            )
        if band.to_day is None:
            if i != len(knowledge.timing.bands) - 1:
                findings.append(
                    Finding(("timing", "bands", i), "timing-bands", "only the last timing band may be open-ended.")
                )
            return findings
        expected = band.to_day + 1
    findings.append(
        Finding(
            ("timing", "bands"),
            "timing-bands",
            f"the last timing band must be open-ended (no to_day); days from {expected} on are not covered.",
        )
    )
    return findings


def check_together(script: Script, knowledge: Knowledge) -> list[tuple[str, Finding]]:
    """Cross-checks: what the script offers and what the knowledge base knows must agree.

    Returns (which file, finding) pairs: ``"script"`` or ``"knowledge"``.
    """
    findings: list[tuple[str, Finding]] = []
    ids = [q.id for q in script.questions]
    zone_ids = {z.id for z in knowledge.zones}
    paired = {z.id for z in knowledge.zones if z.takes_asymmetry}
    if script.has_question("zones"):
        zones_question = script.question("zones")
        if isinstance(zones_question, ChoiceQuestion):
            for code in (c.code for c in script.choices_for(zones_question)):
                if code not in zone_ids:
                    findings.append(
                        (
                            "script",
                            Finding(
                                ("lists", zones_question.choices),
                                "unknown-zone",
                                f"zone '{code}' is offered by the script but the knowledge base has no such zone."
                                f"{hint(code, zone_ids)}",
                            ),
                        )
                    )
    group = script.question(ASYMMETRIES) if script.has_question(ASYMMETRIES) else None
    if isinstance(group, RepeatGroup) and group.has_question("zone"):
        question = group.question("zone")
        if isinstance(question, ChoiceQuestion):
            for code in (c.code for c in script.choices_for(question)):
                if code in zone_ids and code not in paired:
                    findings.append(
                        (
                            "script",
                            Finding(
                                ("lists", question.choices),
                                "not-paired",
                                f"'{code}' is offered for asymmetry but is neither a paired zone nor a central "
                                "zone with split_sides in the knowledge base.",
                            ),
                        )
                    )
    conditions: list[tuple[Loc, str]] = [
        (("modifiers", i, "rules", j, "when"), rule.when)
        for i, m in enumerate(knowledge.modifiers)
        for j, rule in enumerate(m.rules)
    ]
    conditions += [
        (("safety", "contraindications", i, "when"), c.when) for i, c in enumerate(knowledge.safety.contraindications)
    ]
    combinations = [(("zone_combinations", i, "when"), rule.when) for i, rule in enumerate(knowledge.zone_combinations)]
    codes_of = {
        q.id: {c.code for c in script.choices_for(q)} for q in script.questions if isinstance(q, ChoiceQuestion)
    }
    codes_of.update({name: set(zone_ids) for name in PLAN_NAMES})
    for loc, expression in conditions + combinations:
        known = [*ids, *PLAN_NAMES] if loc[0] == "zone_combinations" else ids
        problems = check_expression(expression, known)
        for problem in problems:
            findings.append(("knowledge", Finding(loc, problem.code, problem.message)))
        if not problems:
            findings += [("knowledge", f) for f in check_codes(loc, "knowledge", expression, codes_of)]
    findings += [("script", f) for f in check_patient_languages(script, knowledge)]
    findings += [("script", f) for f in check_screening(script, knowledge)]
    for i, modifier in enumerate(knowledge.modifiers):
        if modifier.question not in ids:
            findings.append(
                (
                    "knowledge",
                    Finding(
                        ("modifiers", i, "question"),
                        "unknown-question",
                        f"modifier '{modifier.name}' reads '{modifier.question}', "
                        "which is not a question of the script.",
                    ),
                )
            )
    return findings
