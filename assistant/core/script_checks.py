"""Checks that need a whole script: its questions, conditions, repeat groups and what the planner reads.

Each check returns ``Finding``s with a location path into the file, so the file adapter can name the
line. Run at load time and by ``botulax-consult check``: a broken condition is found by a trainer at
their desk, never while a patient is in the chair. The knowledge base's own checks, and the script
and the knowledge base checked against each other, are in ``knowledge_checks``.
"""

from __future__ import annotations

from collections import Counter

from assistant.core.conditions import check_expression, compared_codes
from assistant.core.consult import PLANNER_QUESTIONS
from assistant.core.findings import Finding, Loc, hint
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


def check_script(script: Script, placeholders: frozenset[int] = frozenset(), planner: bool = True) -> list[Finding]:
    """Every problem in a script that its models alone cannot see.

    ``planner``: the script feeds the planner (the consult script) and must ask what it needs; the
    review script does not.

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
    if planner:
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
                    f"{hint(question.choices, script.lists)}",
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
            findings += check_codes(loc, qid, expression, codes_of)
    return findings


def check_codes(loc: Loc, qid: str, expression: str, codes_of: dict[str, set[str]]) -> list[Finding]:
    """Each code a condition compares a choice question with must be a code of its list."""
    findings = []
    for name, literal in compared_codes(expression):
        codes = codes_of.get(name)
        if codes and literal not in codes:
            findings.append(
                Finding(
                    loc,
                    "unknown-code",
                    f"question '{qid}': '{literal}' is not a code of '{name}' ({', '.join(sorted(codes))})."
                    f"{hint(literal, codes)}",
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
