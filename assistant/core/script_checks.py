"""Checks that need a whole script (and, for cross-checks, the knowledge base).

Each check returns ``Finding``s with a location path into the file, so the file adapter can name the
line. Run at load time and by ``botulax-consult check``: a broken condition is found by a trainer at
their desk, never while a patient is in the chair.
"""

from __future__ import annotations

from collections import Counter

from assistant.core.combinations import PLAN_NAMES
from assistant.core.conditions import check_expression, compared_codes
from assistant.core.consult import ASYMMETRIES, PLANNER_QUESTIONS
from assistant.core.findings import Finding, Loc, hint
from assistant.core.knowledge_model import Knowledge
from assistant.core.language_checks import check_patient_languages, check_translations
from assistant.core.provenance_checks import check_provenance
from assistant.core.repeat_checks import check_group, check_planner_groups
from assistant.core.script import (
    ChoiceQuestion,
    DateQuestion,
    DecimalQuestion,
    IntegerQuestion,
    Question,
    RepeatGroup,
    Script,
)

_hint = hint


def check_script(script: Script, placeholders: frozenset[int] = frozenset()) -> list[Finding]:
    """Every problem in a script that its models alone cannot see.

    ``placeholders`` are positions of questions that failed validation and stand in only so that
    references to them are not reported too; their own checks are skipped.
    """
    findings: list[Finding] = []
    ids = [q.id for q in script.questions]
    for question_id, count in Counter(ids).items():
        if count > 1:
            positions = [i for i, q in enumerate(ids) if q == question_id]
            findings.append(
                Finding(
                    ("questions", positions[1], "id"),
                    "duplicate-id",
                    f"question id '{question_id}' is used {count} times.",
                )
            )
    for name, choices in script.lists.items():
        if not choices:
            findings.append(Finding(("lists", name), "empty-choices", f"the choice list '{name}' is empty."))
        for code, count in Counter(c.code for c in choices).items():
            if count > 1:
                findings.append(
                    Finding(("lists", name), "duplicate-id", f"code '{code}' appears {count} times in list '{name}'.")
                )
    codes_of = {
        q.id: {c.code for c in script.choices_for(q)} for q in script.questions if isinstance(q, ChoiceQuestion)
    }
    for index in range(len(script.questions)):
        if index in placeholders:
            continue
        earlier = ids[:index]
        later = ids[index + 1 :]
        item = script.questions[index]
        if isinstance(item, RepeatGroup):
            findings += check_group(script, index, earlier, later, codes_of, _check_question)
        else:
            findings += _check_question(script, item, ("questions", index), earlier, later, codes_of)
    findings += _check_planner_needs(script)
    findings += check_planner_groups(script)
    return findings


def _check_question(
    script: Script, question: Question, at: Loc, earlier: list[str], later: list[str], codes_of: dict[str, set[str]]
) -> list[Finding]:
    """One question's own problems; ``earlier`` are the names its conditions may read."""
    qid = question.id
    findings: list[Finding] = []
    if isinstance(question, ChoiceQuestion):
        if question.choices not in script.lists:
            findings.append(
                Finding(
                    (*at, "choices"),
                    "unknown-list",
                    f"question '{qid}': there is no choice list '{question.choices}'."
                    f"{_hint(question.choices, script.lists)}",
                )
            )
        defaults = question.default if isinstance(question.default, tuple) else (question.default,)
        for default in defaults:
            if default is not None and question.choices in script.lists and default not in codes_of.get(qid, set()):
                findings.append(
                    Finding(
                        (*at, "default"),
                        "bad-default",
                        f"question '{qid}': default '{default}' is not one of its choices.",
                    )
                )
    if isinstance(question, IntegerQuestion | DecimalQuestion):
        low, high = question.min, question.max
        if low is not None and high is not None and low > high:
            findings.append(
                Finding((*at, "min"), "min-above-max", f"question '{qid}': min ({low:g}) is above max ({high:g}).")
            )
        if question.default is not None and (
            (low is not None and question.default < low) or (high is not None and question.default > high)
        ):
            findings.append(
                Finding(
                    (*at, "default"),
                    "bad-default",
                    f"question '{qid}': default {question.default:g} is outside its bounds.",
                )
            )
    if isinstance(question, IntegerQuestion) and question.years_since is not None:
        source = question.years_since
        asked = source in earlier and isinstance(script.question(source), DateQuestion)
        if not asked:
            findings.append(
                Finding(
                    (*at, "years_since"),
                    "unknown-question",
                    f"question '{qid}': years_since must name a date question asked before it; '{source}' is not one.",
                )
            )
    if isinstance(question, DateQuestion):
        low_d, high_d = question.min_days_from_today, question.max_days_from_today
        if low_d is not None and high_d is not None and low_d > high_d:
            findings.append(
                Finding(
                    (*at, "min_days_from_today"),
                    "min-above-max",
                    f"question '{qid}': min_days_from_today ({low_d}) is after max_days_from_today ({high_d}).",
                )
            )
    expressions: list[tuple[Loc, str, list[str]]] = []
    if question.show_if:
        expressions.append(((*at, "show_if"), question.show_if, earlier))
    if isinstance(question, ChoiceQuestion) and question.choices_filter:
        expressions.append(((*at, "choices_filter"), question.choices_filter, [*earlier, "choice"]))
    for number, check in enumerate(question.checks):
        expressions.append(((*at, "checks", number, "when"), check.when, [*earlier, qid]))
    for loc, expression, known in expressions:
        later_ids = [i for i in later if i not in known] + ([qid] if qid not in known else [])
        problems = check_expression(expression, known, later_ids)
        findings += [Finding(loc, p.code, f"question '{qid}': {p.message}") for p in problems]
        if not problems:
            findings += _check_codes(loc, qid, expression, codes_of)
    return findings


def _check_codes(loc: Loc, qid: str, expression: str, codes_of: dict[str, set[str]]) -> list[Finding]:
    findings = []
    for name, literal in compared_codes(expression):
        codes = codes_of.get(name)
        if codes and literal not in codes:
            findings.append(
                Finding(
                    loc,
                    "unknown-code",
                    f"question '{qid}': '{literal}' is not a code of '{name}' ({', '.join(sorted(codes))})."
                    f"{_hint(literal, codes)}",
                )
            )
    return findings


def _check_planner_needs(script: Script) -> list[Finding]:
    findings = []
    for question_id, types in PLANNER_QUESTIONS.items():
        if not script.has_question(question_id):
            findings.append(
                Finding(
                    ("questions",),
                    "planner-needs",
                    f"the planner needs a question '{question_id}' (type {' or '.join(types)}); the script has none.",
                )
            )
            continue
        question = script.question(question_id)
        if question.type not in types:
            findings.append(
                Finding(
                    ("questions", script.index_of(question_id), "type"),
                    "planner-needs",
                    f"question '{question_id}' is of type {question.type}; the planner needs {' or '.join(types)}.",
                )
            )
    return findings


def check_knowledge(knowledge: Knowledge) -> list[Finding]:
    """Problems inside the knowledge base: duplicate ids, gaps in the timing bands, missing
    translations, and sources (unknown, uncited, or differing from a figure's note)."""
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
                                f"{_hint(code, zone_ids)}",
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
            findings += [("knowledge", f) for f in _check_codes(loc, "knowledge", expression, codes_of)]
    findings += [("script", f) for f in check_patient_languages(script, knowledge)]
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
