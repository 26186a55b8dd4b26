"""The question script as a FHIR R4 ``Questionnaire`` (see ``assistant.exchange.fhir``)."""

from __future__ import annotations

import ast
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from assistant.core.conditions import NEVER
from assistant.core.script import ChoiceQuestion, DateQuestion, Question, Script
from assistant.exchange.fhir.common import (
    CONDITION_CONSTANTS,
    DATE_OR_NEVER_REGEX,
    EXT_CHOICES_FILTER,
    EXT_DATE_OR_NEVER,
    EXT_ENTRY_FORMAT,
    EXT_ITEM_CONTROL,
    EXT_MAX_VALUE,
    EXT_MIN_OCCURS,
    EXT_MIN_VALUE,
    EXT_REGEX,
    EXT_REQUIRED_WHEN_SHOWN,
    EXT_SHOW_IF,
    EXT_UNIT,
    ITEM_CONTROL_SYSTEM,
    SCRIPT_ID_SYSTEM,
    as_data,
    code_system,
    computable_name,
    fhir_id,
    item_type,
    questionnaire_url,
    validated,
)
from assistant.exchange.fhir.values import (
    fhir_number,
    is_iso_date,
    typed_value,
)

# -- the script as a Questionnaire -------------------------------------------------------------------


def script_to_questionnaire(script: Script) -> dict[str, Any]:
    """The script as a validated FHIR R4 ``Questionnaire``, as JSON-ready data."""
    return as_data(questionnaire_model(script))


def questionnaire_model(script: Script) -> Questionnaire:
    """The script as a ``fhir.resources`` ``Questionnaire`` model (raises ``FhirExportError``)."""
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(script.id),
        "url": questionnaire_url(script.id),
        "identifier": [{"system": SCRIPT_ID_SYSTEM, "value": script.id}],
        "version": script.version,
        "name": computable_name(script.id),
        "title": script.title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_question_item(script, question) for question in script.questions],
    }
    if script.intro:
        data["description"] = script.intro
    return validated(Questionnaire, data, f"the script '{script.id}'")


def _question_item(script: Script, question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": question.id, "text": question.prompt, "type": item_type(question)}
    extensions: list[dict[str, Any]] = []
    required = question.is_required
    if question.show_if:
        enable = enable_when(script, question.show_if)
        if enable is None:
            # FHIR sees the item as always enabled: required only when shown cannot be said there
            extensions.append({"url": EXT_SHOW_IF, "valueString": question.show_if})
            if required:
                extensions.append({"url": EXT_REQUIRED_WHEN_SHOWN, "valueBoolean": True})
                required = False
        else:
            conditions, behavior = enable
            item["enableWhen"] = conditions
            if behavior:
                item["enableBehavior"] = behavior
    item["required"] = required
    if isinstance(question, ChoiceQuestion):
        defaults = _choice_defaults(question)
        item["answerOption"] = [
            {
                "valueCoding": {
                    "system": code_system(script.id, question.choices),
                    "code": choice.code,
                    "display": choice.label,
                },
                **({"initialSelected": True} if choice.code in defaults else {}),
            }
            for choice in script.choices_for(question)
        ]
        if question.choices_filter:
            extensions.append({"url": EXT_CHOICES_FILTER, "valueString": question.choices_filter})
    if question.type == "multiple":
        item["repeats"] = True
        if question.min_selected > 1:
            extensions.append({"url": EXT_MIN_OCCURS, "valueInteger": question.min_selected})
    elif question.type in ("integer", "decimal"):
        key = "valueInteger" if question.type == "integer" else "valueDecimal"
        if question.min is not None:
            extensions.append({"url": EXT_MIN_VALUE, key: fhir_number(question.type, question.min)})
        if question.max is not None:
            extensions.append({"url": EXT_MAX_VALUE, key: fhir_number(question.type, question.max)})
        if question.unit:
            extensions.append({"url": EXT_UNIT, "valueCoding": {"display": question.unit}})
    elif question.type == "text":
        item["maxLength"] = question.max_length
    elif question.type == "date" and question.allow_never:
        extensions += [
            {"url": EXT_DATE_OR_NEVER, "valueBoolean": True},
            {"url": EXT_REGEX, "valueString": DATE_OR_NEVER_REGEX},
            {"url": EXT_ENTRY_FORMAT, "valueString": "YYYY-MM-DD or never"},
        ]
    initial = _initial(script, question)
    if initial is not None:
        item["initial"] = [initial]
    if extensions:
        item["extension"] = extensions
    if question.help:
        item["item"] = [_help_item(question)]
    return item


def _help_item(question: Question) -> dict[str, Any]:
    return {
        "linkId": f"{question.id}.help",
        "text": question.help,
        "type": "display",
        "extension": [
            {
                "url": EXT_ITEM_CONTROL,
                "valueCodeableConcept": {
                    "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]
                },
            }
        ],
    }


def _choice_defaults(question: ChoiceQuestion) -> set[str]:
    default = getattr(question, "default", None)
    if default is None:
        return set()
    return {default} if isinstance(default, str) else set(default)


def _initial(script: Script, question: Question) -> dict[str, Any] | None:
    """``initial`` for a default (choice defaults are ``answerOption.initialSelected`` instead)."""
    default = getattr(question, "default", None)
    if default is None or isinstance(question, ChoiceQuestion):
        return None
    if question.type == "date":
        if isinstance(question, DateQuestion) and question.allow_never:
            text = str(default).strip().lower()
            return {"valueString": text} if text == NEVER or is_iso_date(text) else None
        return {"valueDate": default} if is_iso_date(str(default)) else None
    return typed_value(script, question, default)


# -- show_if as enableWhen -----------------------------------------------------------------------------


def enable_when(script: Script, expression: str) -> tuple[list[dict[str, Any]], str | None] | None:
    """``(enableWhen list, enableBehavior)`` for a condition FHIR can express, else None.

    Plain comparisons ``id == literal`` (a code of a single choice, True/False for yes/no, a number, a
    text, ``never``), ``answered(id)`` and ``not answered(id)``, alone or joined all by ``and`` or all
    by ``or``. A comparison with an unanswered question is false in both languages.
    """
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.BoolOp):
        behavior = "all" if isinstance(tree.op, ast.And) else "any"
        terms = [_enable_term(script, value) for value in tree.values]
        if any(term is None for term in terms):
            return None
        return [term for term in terms if term is not None], behavior
    term = _enable_term(script, tree)
    return None if term is None else ([term], None)


def _enable_term(script: Script, node: ast.expr) -> dict[str, Any] | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _answered_of(script, node.operand)
        return None if inner is None else {"question": inner, "operator": "exists", "answerBoolean": False}
    answered = _answered_of(script, node)
    if answered is not None:
        return {"question": answered, "operator": "exists", "answerBoolean": True}
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)):
        return None
    left, right = node.left, node.comparators[0]
    if _question_name(script, right) and not _question_name(script, left):
        left, right = right, left
    question_id = _question_name(script, left)
    literal = _literal(right)
    if question_id is None or literal is None:
        return None
    answer = _enable_answer(script, script.question(question_id), literal[0])
    return None if answer is None else {"question": question_id, "operator": "=", **answer}


def _answered_of(script: Script, node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "answered"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _question_name(script, node.args[0])
    return None


def _question_name(script: Script, node: ast.expr) -> str | None:
    if isinstance(node, ast.Name) and node.id not in CONDITION_CONSTANTS and script.has_question(node.id):
        return node.id
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
