"""A script condition as FHIR ``enableWhen``, where FHIR can say the same (see ``assistant.exchange.fhir``)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assistant.core.conditions import NEVER
from assistant.core.script import ChoiceQuestion, DateQuestion, Question, RepeatGroup, Script
from assistant.exchange.fhir.common import CONDITION_CONSTANTS, code_system

Scope = Mapping[str, tuple[str, Question]]
"""Inside a repeat group: the entry's bare question ids, with their FHIR linkIds and questions."""


def enable_when(
    script: Script, expression: str, scope: Scope | None = None
) -> tuple[list[dict[str, Any]], str | None] | None:
    """``(enableWhen list, enableBehavior)`` for a condition FHIR can express, else None.

    Plain comparisons ``id == literal`` (a code of a single choice, True/False for yes/no, a number, a
    text, ``never``), ``answered(id)`` and ``not answered(id)``, alone or joined all by ``and`` or all
    by ``or``. A comparison with an unanswered question is false in both languages. ``scope`` names
    the questions of a repeat group's entry, for the conditions inside it.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.BoolOp):
        behavior = "all" if isinstance(tree.op, ast.And) else "any"
        terms = [_enable_term(script, value, scope) for value in tree.values]
        if any(term is None for term in terms):
            return None
        return [term for term in terms if term is not None], behavior
    term = _enable_term(script, tree, scope)
    return None if term is None else ([term], None)


def _enable_term(script: Script, node: ast.expr, scope: Scope | None) -> dict[str, Any] | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _answered_of(script, node.operand, scope)
        return None if inner is None else {"question": inner[0], "operator": "exists", "answerBoolean": False}
    answered = _answered_of(script, node, scope)
    if answered is not None:
        return {"question": answered[0], "operator": "exists", "answerBoolean": True}
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)):
        return None
    left, right = node.left, node.comparators[0]
    if _question_named(script, right, scope) and not _question_named(script, left, scope):
        left, right = right, left
    found = _question_named(script, left, scope)
    literal = _literal(right)
    if found is None or literal is None:
        return None
    answer = _enable_answer(script, found[1], literal[0])
    return None if answer is None else {"question": found[0], "operator": "=", **answer}


def _answered_of(script: Script, node: ast.expr, scope: Scope | None) -> tuple[str, Question] | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "answered"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _question_named(script, node.args[0], scope)
    return None


def _question_named(script: Script, node: ast.expr, scope: Scope | None) -> tuple[str, Question] | None:
    """(linkId, question) of a name: the entry's own question inside a group, else the script's."""
    if not isinstance(node, ast.Name) or node.id in CONDITION_CONSTANTS:
        return None
    if scope and node.id in scope:
        return scope[node.id]
    if script.has_question(node.id):
        item = script.question(node.id)
        return None if isinstance(item, RepeatGroup) else (node.id, item)
    return None


def _literal(node: ast.expr) -> tuple[object] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bool | int | float):
        return (node.value,)
    if isinstance(node, ast.Name) and node.id in CONDITION_CONSTANTS:
        return (CONDITION_CONSTANTS[node.id],)
    return None


def _enable_answer(script: Script, question: Question, value: object) -> dict[str, Any] | None:
    """``answer[x]`` of an enableWhen, when ``question == value`` means the same in FHIR."""
    if question.type == "single" and isinstance(value, str) and isinstance(question, ChoiceQuestion):
        return {"answerCoding": {"system": code_system(script.id, question.choices), "code": value}}
    if question.type == "yes_no" and isinstance(value, bool):
        return {"answerBoolean": value}
    if question.type == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return {"answerInteger": value}
    if question.type == "decimal" and isinstance(value, int | float) and not isinstance(value, bool):
        return {"answerDecimal": Decimal(str(value))}
    if question.type == "text" and isinstance(value, str):
        return {"answerString": value}
    if isinstance(question, DateQuestion) and question.allow_never and value == NEVER:
        return {"answerString": NEVER}
    return None  # dates are compared as dates, lists as lists: not a plain FHIR '='
