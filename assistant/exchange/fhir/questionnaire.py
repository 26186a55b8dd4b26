"""The question script as a FHIR R4 ``Questionnaire`` (see ``assistant.exchange.fhir``).

A dose question whose bounds the script does not give (a measured asymmetry's extra units) carries
the ones the consult asks within, when they are given (``bounds``: the knowledge base's most and the
clinic's syringe, ``assistant.core.dilution.answer_bounds``), keyed as the flow keys them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from assistant.core.conditions import NEVER
from assistant.core.dose_bounds import DoseBounds, bounded
from assistant.core.script import ChoiceQuestion, DateQuestion, Question, RepeatGroup, Script
from assistant.exchange.fhir.common import (
    DATE_OR_NEVER_REGEX,
    EXT_CHOICES_FILTER,
    EXT_DATE_OR_NEVER,
    EXT_ENTRY_FORMAT,
    EXT_ITEM_CONTROL,
    EXT_MAX_OCCURS,
    EXT_MAX_VALUE,
    EXT_MIN_OCCURS,
    EXT_MIN_VALUE,
    EXT_REGEX,
    EXT_REPEAT_UNIQUE,
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
from assistant.exchange.fhir.enable_when import Scope, enable_when
from assistant.exchange.fhir.values import (
    fhir_number,
    is_iso_date,
    typed_value,
)

# -- the script as a Questionnaire -------------------------------------------------------------------


def script_to_questionnaire(script: Script, bounds: Mapping[str, DoseBounds] | None = None) -> dict[str, Any]:
    """The script as a validated FHIR R4 ``Questionnaire``, as JSON-ready data."""
    return as_data(questionnaire_model(script, bounds))


def questionnaire_model(script: Script, bounds: Mapping[str, DoseBounds] | None = None) -> Questionnaire:
    """The script as a ``fhir.resources`` ``Questionnaire`` model (raises ``FhirExportError``)."""
    limits = bounds or {}
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
        "item": [
            _group_item(script, item, limits)
            if isinstance(item, RepeatGroup)
            else _question_item(script, item, limits=limits)
            for item in script.questions
        ],
    }
    if script.intro:
        data["description"] = script.intro
    return validated(Questionnaire, data, f"the script '{script.id}'")


def _group_item(script: Script, group: RepeatGroup, limits: Mapping[str, DoseBounds]) -> dict[str, Any]:
    """A repeat group as a repeating FHIR ``group`` (one repetition per entry, at most ``max_entries``).

    Its questions' linkIds are ``<group id>.<question id>``; a ``unique`` question says so in the
    ``repeat-unique`` extension. "Another one?" is the form engine's own "add" button in FHIR.
    """
    scope: Scope = {q.id: (f"{group.id}.{q.id}", q) for q in group.questions}
    extensions: list[dict[str, Any]] = [{"url": EXT_MAX_OCCURS, "valueInteger": group.max_entries}]
    extensions += [{"url": EXT_REPEAT_UNIQUE, "valueString": f"{group.id}.{name}"} for name in group.unique]
    item: dict[str, Any] = {
        "linkId": group.id,
        "text": group.label or group.prompt,
        "type": "group",
        "repeats": True,
        "required": False,
    }
    _show_if(script, group.show_if, item, extensions, False)
    item["extension"] = extensions
    item["item"] = [
        _question_item(script, q, link_id=scope[q.id][0], scope=scope, limits=limits) for q in group.questions
    ]
    if group.help:
        item["item"].insert(0, _help_item(group.id, group.help))
    return item


def _show_if(
    script: Script,
    condition: str | None,
    item: dict[str, Any],
    extensions: list[dict[str, Any]],
    required: bool,
    scope: Scope | None = None,
) -> bool:
    """``enableWhen`` for a show_if FHIR can express, else the show-if extension; returns ``required``
    as FHIR may say it: FHIR sees an item with only the extension as always enabled, so it cannot be
    required only when shown (the required-when-shown extension says what the script meant)."""
    if not condition:
        return required
    enable = enable_when(script, condition, scope)
    if enable is None:
        extensions.append({"url": EXT_SHOW_IF, "valueString": condition})
        if required:
            extensions.append({"url": EXT_REQUIRED_WHEN_SHOWN, "valueBoolean": True})
        return False
    conditions, behavior = enable
    item["enableWhen"] = conditions
    if behavior:
        item["enableBehavior"] = behavior
    return required


def _question_item(
    script: Script,
    question: Question,
    link_id: str | None = None,
    scope: Scope | None = None,
    limits: Mapping[str, DoseBounds] | None = None,
) -> dict[str, Any]:
    found = (limits or {}).get(link_id or question.id)
    question = bounded(question, found) if found is not None else question
    item: dict[str, Any] = {"linkId": link_id or question.id, "text": question.prompt, "type": item_type(question)}
    extensions: list[dict[str, Any]] = []
    item["required"] = _show_if(script, question.show_if, item, extensions, question.is_required, scope)
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
        item["item"] = [_help_item(item["linkId"], question.help)]
    return item


def _help_item(link_id: str, text: str) -> dict[str, Any]:
    return {
        "linkId": f"{link_id}.help",
        "text": text,
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
