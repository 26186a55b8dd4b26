"""Checks of repeat groups: their own questions like any question's, plus what only a group has.

Inside a group, a condition may read the answers given before the group and the entry's earlier
answers by their bare ids; the group's own id is what later questions read (its entries).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from assistant.core.conditions import check_expression, compared_codes
from assistant.core.consult import PLANNER_BOUNDED, PLANNER_CODES, PLANNER_GROUPS
from assistant.core.findings import Finding, Loc, hint
from assistant.core.script import ChoiceQuestion, Question, RepeatGroup, Script

CheckQuestion = Callable[[Script, Question, Loc, list[str], list[str], dict[str, set[str]]], list[Finding]]


def check_group(
    script: Script,
    index: int,
    earlier: list[str],
    later: list[str],
    codes_of: dict[str, set[str]],
    check_question: CheckQuestion,
) -> list[Finding]:
    """Every problem of the repeat group at ``questions[index]``."""
    group = script.questions[index]
    assert isinstance(group, RepeatGroup)
    at: Loc = ("questions", index)
    gid = group.id
    findings: list[Finding] = []
    ids = [q.id for q in group.questions]
    top = {q.id for q in script.questions}
    for question_id, count in Counter(ids).items():
        if count > 1:
            findings.append(
                Finding(
                    (*at, "questions", ids.index(question_id, ids.index(question_id) + 1), "id"),
                    "duplicate-id",
                    f"group '{gid}': question id '{question_id}' is used {count} times.",
                )
            )
    for number, question in enumerate(group.questions):
        if question.id in top:
            findings.append(
                Finding(
                    (*at, "questions", number, "id"),
                    "duplicate-id",
                    f"group '{gid}': '{question.id}' is also a question of the script; inside the group a "
                    "condition would read the entry's answer instead. Rename one of them.",
                )
            )
    for name in group.unique:
        if name not in ids:
            findings.append(
                Finding(
                    (*at, "unique"),
                    "unknown-question",
                    f"group '{gid}': unique names '{name}', which is not one of its questions.{hint(name, ids)}",
                )
            )
    if group.show_if:
        problems = check_expression(group.show_if, earlier, [*later, gid])
        findings += [Finding((*at, "show_if"), p.code, f"group '{gid}': {p.message}") for p in problems]
        if not problems:
            findings += _codes((*at, "show_if"), gid, group.show_if, codes_of)
    inner = {
        **codes_of,
        **{q.id: {c.code for c in script.choices_for(q)} for q in group.questions if isinstance(q, ChoiceQuestion)},
    }
    for number, question in enumerate(group.questions):
        findings += check_question(
            script,
            question,
            (*at, "questions", number),
            [*earlier, *ids[:number]],
            [*ids[number + 1 :], *later, gid],
            inner,
        )
    if group.replaces is not None:
        findings += _check_replaces(group, at, top)
    return findings


def _codes(loc: Loc, owner: str, expression: str, codes_of: dict[str, set[str]]) -> list[Finding]:
    return [
        Finding(
            loc,
            "unknown-code",
            f"group '{owner}': '{literal}' is not a code of '{name}'.{hint(literal, codes_of[name])}",
        )
        for name, literal in compared_codes(expression)
        if codes_of.get(name) and literal not in codes_of[name]
    ]


def _check_replaces(group: RepeatGroup, at: Loc, top: set[str]) -> list[Finding]:
    replaces = group.replaces
    assert replaces is not None
    findings = []
    ids = [q.id for q in group.questions]
    for name in replaces.fields:
        if name not in ids:
            findings.append(
                Finding(
                    (*at, "replaces", "fields"),
                    "unknown-question",
                    f"group '{group.id}': replaces.fields names '{name}', which is not one of its questions."
                    f"{hint(name, ids)}",
                )
            )
    for key in (replaces.gate, *replaces.fields.values()):
        if key in top:
            findings.append(
                Finding(
                    (*at, "replaces"),
                    "duplicate-id",
                    f"group '{group.id}': '{key}' is a question of the script, so an answer file's '{key}' would "
                    "be ambiguous; an older key the group replaces must not be a question too.",
                )
            )
    return findings


def check_planner_groups(script: Script) -> list[Finding]:
    """The repeat groups the planner reads exist, hold the questions it reads, and use its codes."""
    findings = []
    for group_id, fields in PLANNER_GROUPS.items():
        if not script.has_question(group_id):
            findings.append(
                Finding(
                    ("questions",),
                    "planner-needs",
                    f"the planner needs a repeat group '{group_id}' (with {', '.join(fields)}); the script has none.",
                )
            )
            continue
        index = script.index_of(group_id)
        group = script.questions[index]
        if not isinstance(group, RepeatGroup):
            findings.append(
                Finding(
                    ("questions", index, "type"),
                    "planner-needs",
                    f"question '{group_id}' is of type {group.type}; the planner needs a repeat group.",
                )
            )
            continue
        for field, types in fields.items():
            if not group.has_question(field):
                findings.append(
                    Finding(
                        ("questions", index, "questions"),
                        "planner-needs",
                        f"the planner needs a question '{field}' (type {' or '.join(types)}) in group '{group_id}'.",
                    )
                )
                continue
            number = [q.id for q in group.questions].index(field)
            question = group.question(field)
            if question.type not in types:
                findings.append(
                    Finding(
                        ("questions", index, "questions", number, "type"),
                        "planner-needs",
                        f"question '{group_id}.{field}' is of type {question.type}; the planner needs "
                        f"{' or '.join(types)}.",
                    )
                )
            given = [k for k in ("min", "max", "step") if getattr(question, k, None) is not None]
            if (group_id, field) in PLANNER_BOUNDED and given:
                findings.append(
                    Finding(
                        ("questions", index, "questions", number, given[0]),
                        "planner-bounds",
                        f"question '{group_id}.{field}': {', '.join(given)} come from the knowledge base (its most) "
                        "and the clinic's syringe (its step), not from the script, so they are not used; remove them.",
                        "warning",
                    )
                )
            wanted = PLANNER_CODES.get((group_id, field))
            if wanted and isinstance(question, ChoiceQuestion):
                for choice in script.choices_for(question):
                    if choice.code not in wanted:
                        findings.append(
                            Finding(
                                ("lists", question.choices),
                                "planner-needs",
                                f"'{choice.code}' in list '{question.choices}' means nothing to the planner, which "
                                f"reads '{group_id}.{field}' as one of {', '.join(sorted(wanted))}.",
                            )
                        )
    return findings
