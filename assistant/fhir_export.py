"""FHIR R4 export: the question script as a ``Questionnaire``, a kept consult as a ``QuestionnaireResponse``.

A clinic's records system takes these in. Every resource is built as plain JSON, then validated by
constructing the models of the ``fhir.resources`` library (its ``R4B`` package: FHIR 4.3.0, the only
R4-line release it ships since 7.0; Questionnaire and QuestionnaireResponse are the same in R4 4.0.1
and R4B, and only elements that exist in R4 are written). What is written is the model's JSON.

Mapping, question type by question type (``Questionnaire.item.type``; answers as ``value[x]``)::

    single              choice, answerOption valueCoding    answer valueCoding
    multiple            choice, repeats = true              one valueCoding per chosen code
    yes_no              boolean                             valueBoolean
    integer             integer (minValue/maxValue)         valueInteger
    decimal             decimal (minValue/maxValue)         valueDecimal
    date                date                                valueDate
    date + allow_never  string, regex "YYYY-MM-DD|never"    valueString ("2026-11-05" or "never")
    text                string (maxLength)                  valueString

A date question that also accepts the word ``never`` is a FHIR ``string`` item: FHIR gives a ``date``
item only ``valueDate`` answers, so the word ``never`` could not be a valid answer to it. The item
carries the core ``regex`` and ``entryFormat`` extensions and this program's ``date-or-never``
extension, so a reader knows that every other answer is an ISO date.

Codes of a choice list are ``Coding``s whose ``system`` is a URN naming the script and the list
(``urn:botulax-consult:codes:<script id>:<list>``). A ``show_if`` that is a plain comparison
(``sex == 'female'``, ``asymmetry == True``), ``answered(x)``, or an ``and``/``or`` of those becomes
``enableWhen`` (with ``enableBehavior``); any other keeps its text in the ``show-if`` extension (as does
a ``choices_filter`` in ``choices-filter``): FHIR cannot evaluate it, a person can read it. Help text is
a nested ``display`` item marked with the core ``questionnaire-itemControl`` extension (code ``help``).
An item whose ``show_if`` stays an extension is not ``required`` in FHIR (FHIR would enable it always
and so demand it of every consult); the ``required-when-shown`` extension says what the script meant.

A response names ``Questionnaire.url|<the script version the consult was recorded with>``; its subject
is the patient (display name, clinic number as identifier), its author the staff member; unanswered
optional questions are left out. Its status is ``completed``, or ``stopped`` for a consult stopped early
at a contraindication (questions that applied were never asked). ``questionnaire_response_answers``
reads the answers back.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from assistant.core.conditions import NEVER
from assistant.core.flow import Flow
from assistant.core.script import ChoiceQuestion, DateQuestion, Question, Script
from assistant.records import ConsultRecord

FHIR_RELEASE = "R4"
"""What the output conforms to (validated with fhir.resources' R4B models, see the module docstring)."""

NAMESPACE = "urn:botulax-consult"
SCRIPT_ID_SYSTEM = f"{NAMESPACE}:script-id"
CONSULT_ID_SYSTEM = f"{NAMESPACE}:consult-id"
EXT_SHOW_IF = f"{NAMESPACE}:extension:show-if"
EXT_CHOICES_FILTER = f"{NAMESPACE}:extension:choices-filter"
EXT_DATE_OR_NEVER = f"{NAMESPACE}:extension:date-or-never"
EXT_REQUIRED_WHEN_SHOWN = f"{NAMESPACE}:extension:required-when-shown"

EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
EXT_ENTRY_FORMAT = "http://hl7.org/fhir/StructureDefinition/entryFormat"

DATE_OR_NEVER_REGEX = r"^(\d{4}-\d{2}-\d{2}|never)$"

ITEM_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "yes_no": "boolean",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "text": "string",
}
"""FHIR ``item.type`` of each script question type (a date with ``allow_never`` is a ``string``)."""

EXIT_OK = 0
EXIT_INVALID = 2

_CONDITION_CONSTANTS: dict[str, object] = {"True": True, "False": False, "true": True, "false": False, "never": NEVER}


class FhirExportError(Exception):
    """A script or record that cannot be written as valid FHIR; the message says why."""


# -- names ------------------------------------------------------------------------------------------


def questionnaire_url(script_id: str) -> str:
    """The canonical URL of a script's Questionnaire."""
    return f"{NAMESPACE}:questionnaire:{script_id}"


def code_system(script_id: str, list_name: str) -> str:
    """The ``Coding.system`` of the codes of one of the script's choice lists."""
    return f"{NAMESPACE}:codes:{script_id}:{list_name}"


def fhir_id(text: str) -> str:
    """``text`` as a FHIR resource id (letters, digits, ``-`` and ``.``; at most 64 characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9\-.]", "-", text)[:64]
    return cleaned or "script"


def computable_name(text: str) -> str:
    """``botulax-consult`` as ``BotulaxConsult`` (``Questionnaire.name``: ``[A-Z][A-Za-z0-9_]*``)."""
    name = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)
    return name if name[:1].isalpha() else "Script" + name


def item_type(question: Question) -> str:
    if isinstance(question, DateQuestion) and question.allow_never:
        return "string"
    return ITEM_TYPES[question.type]


# -- the script as a Questionnaire -------------------------------------------------------------------


def script_to_questionnaire(script: Script) -> dict[str, Any]:
    """The script as a validated FHIR R4 ``Questionnaire``, as JSON-ready data."""
    return _as_data(questionnaire_model(script))


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
    return _validated(Questionnaire, data, f"the script '{script.id}'")


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
            extensions.append({"url": EXT_MIN_VALUE, key: _number(question.type, question.min)})
        if question.max is not None:
            extensions.append({"url": EXT_MAX_VALUE, key: _number(question.type, question.max)})
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
            return {"valueString": text} if text == NEVER or _iso_date(text) else None
        return {"valueDate": default} if _iso_date(str(default)) else None
    return _typed_value(script, question, default)


def _number(question_type: str, value: float) -> int | Decimal:
    return int(value) if question_type == "integer" else Decimal(str(value))


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
    if isinstance(node, ast.Name) and node.id not in _CONDITION_CONSTANTS and script.has_question(node.id):
        return node.id
    return None


def _literal(node: ast.expr) -> tuple[object] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bool | int | float):
        return (node.value,)
    if isinstance(node, ast.Name) and node.id in _CONDITION_CONSTANTS:
        return (_CONDITION_CONSTANTS[node.id],)
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


# -- a consult as a QuestionnaireResponse --------------------------------------------------------------


def record_to_questionnaire_response(record: ConsultRecord, script: Script) -> dict[str, Any]:
    """A kept consult as a validated FHIR R4 ``QuestionnaireResponse``, as JSON-ready data."""
    return _as_data(questionnaire_response_model(record, script))


def questionnaire_response_model(record: ConsultRecord, script: Script) -> QuestionnaireResponse:
    """The consult as a ``fhir.resources`` ``QuestionnaireResponse`` model (raises ``FhirExportError``).

    ``script`` gives the questions' types, prompts and codes; it must be the script the consult was run
    with (same id; the version named is the record's).
    """
    if record.script_id != script.id:
        raise FhirExportError(
            f"consult {record.consult_id} was recorded with the script '{record.script_id}', "
            f"not '{script.id}'; give that script with --script."
        )
    items = []
    for question in script.questions:
        answers = _answers(script, question, record.answers.get(question.id))
        if answers:
            items.append({"linkId": question.id, "text": question.prompt, "answer": answers})
    for key, value in record.answers.items():  # answers to questions the script no longer has
        if not script.has_question(key):
            answers = [a for a in (_inferred_value(v) for v in _as_list(value)) if a is not None]
            if answers:
                items.append({"linkId": key, "answer": answers})
    subject: dict[str, Any] = {"display": record.patient_name}
    if record.patient_id:
        subject["identifier"] = {"value": record.patient_id}
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": fhir_id(record.consult_id),
        "identifier": {"system": CONSULT_ID_SYSTEM, "value": record.consult_id},
        "questionnaire": f"{questionnaire_url(record.script_id)}|{record.script_version}",
        "status": response_status(record, script),
        "subject": subject,
        "authored": _instant(record.finished_at),
        "item": items,
    }
    if record.staff:
        data["author"] = {"display": record.staff}
    if not items:
        del data["item"]
    return _validated(QuestionnaireResponse, data, f"consult {record.consult_id}")


def response_status(record: ConsultRecord, script: Script) -> str:
    """``completed``; ``stopped`` for a consult stopped early (a contraindication), questions left unasked.

    Told only with the script version the consult ran with (a later script may ask more).
    """
    if record.script_version != script.version:
        return "completed"
    answers: dict[str, Any] = {}
    for key, value in record.answers.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str) and script.has_question(key) and script.question(key).type == "date":
            value = dt.date.fromisoformat(value) if _iso_date(value) else value
        answers[key] = value
    return "completed" if Flow(script, record.date).is_complete(answers) else "stopped"


def _answers(script: Script, question: Question, value: object) -> list[dict[str, Any]]:
    """The ``answer`` list of one question (empty when it was not answered)."""
    if value is None or value == "" or value == [] or value == ():
        return []
    if question.type == "multiple":
        return [_typed_value(script, question, code) for code in _as_list(value)]
    return [_typed_value(script, question, value)]


def _typed_value(script: Script, question: Question, value: object) -> dict[str, Any]:
    """``value[x]`` of one answer, of the type the question's item declares."""
    kind = question.type
    try:
        if isinstance(question, ChoiceQuestion):
            code = _text(value)
            coding = {"system": code_system(script.id, question.choices), "code": code}
            return {"valueCoding": {**coding, "display": script.label_for(question, code)}}
        if kind == "yes_no":
            if not isinstance(value, bool):
                raise TypeError
            return {"valueBoolean": value}
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
                raise TypeError
            return {"valueInteger": int(value)}
        if kind == "decimal":
            if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
                raise TypeError
            number = Decimal(str(value))
            if not number.is_finite():
                raise TypeError
            return {"valueDecimal": number}
        if kind == "date":
            text = value.isoformat() if isinstance(value, dt.date) else _text(value)
            if isinstance(question, DateQuestion) and question.allow_never:
                if text != NEVER and not _iso_date(text):
                    raise TypeError
                return {"valueString": text}
            if not _iso_date(text):
                raise TypeError
            return {"valueDate": text}
        text = _text(value)
        if not text.strip():
            raise TypeError
        return {"valueString": text}
    except (TypeError, ValueError, ArithmeticError):
        raise FhirExportError(
            f"the answer to '{question.id}' ({value!r}) is not a valid {kind} answer for the script."
        ) from None


def _inferred_value(value: object) -> dict[str, Any] | None:
    """An answer to a question the script does not have, typed by its JSON value."""
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": Decimal(str(value))} if math.isfinite(value) else None
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return {"valueString": text} if text.strip() else None


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _instant(moment: dt.datetime) -> str:
    """A FHIR ``dateTime`` with a time zone (a naive time is taken as the computer's local time)."""
    return (moment if moment.tzinfo is not None else moment.astimezone()).isoformat()


# -- reading answers back --------------------------------------------------------------------------------


def questionnaire_response_answers(response: Mapping[str, Any], script: Script | None = None) -> dict[str, Any]:
    """The answers of a QuestionnaireResponse (JSON data), as a consult record keeps them.

    Codes are their ``code``, dates ISO strings, numbers and yes/no as they are; a multiple-choice
    question (per ``script``, or any item with several answers) gives a list. The inverse of
    ``record_to_questionnaire_response`` for every answered question.
    """
    answers: dict[str, Any] = {}
    for item in response.get("item") or ():
        link_id = item["linkId"]
        values = [_answer_value(answer) for answer in item.get("answer") or ()]
        if not values:
            continue
        multiple = script is not None and script.has_question(link_id) and script.question(link_id).type == "multiple"
        answers[link_id] = values if multiple or len(values) > 1 else values[0]
    return answers


def _answer_value(answer: Mapping[str, Any]) -> Any:
    for key, value in answer.items():
        if key == "valueCoding":
            return value["code"]
        if key == "valueDecimal":
            return float(value)
        if key.startswith("value"):
            return value
    raise FhirExportError(f"an answer without a value: {dict(answer)!r}")


# -- validation and JSON -----------------------------------------------------------------------------------


def _validated(model: type[Any], data: dict[str, Any], what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise FhirExportError(f"{what} is not valid FHIR {FHIR_RELEASE}: {where}: {first['msg']}") from None


def _as_data(resource: Any) -> dict[str, Any]:
    return json.loads(resource.model_dump_json())


def to_json(resource: Any) -> str:
    """The JSON text of a validated model (as ``fhir.resources`` writes it), indented, UTF-8."""
    return resource.model_dump_json(indent=2)


# -- commands ------------------------------------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"botulax-consult: {message}", file=sys.stderr)
    return EXIT_INVALID


def _needs_fhir(args: argparse.Namespace, command: str) -> bool:
    if getattr(args, "fhir", False):
        return True
    _fail(f"{command} needs a format: add --fhir (FHIR {FHIR_RELEASE} JSON, the only format for now).")
    return False


def _load_script(path: Path | None) -> Script | None:
    from assistant import locations
    from assistant.files.loaders import load_script

    loaded = load_script(path or locations.SCRIPT_FILE)
    if loaded.value is None:
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        _fail("cannot export: the script above has problems (see: botulax-consult check).")
        return None
    return loaded.value.script


def _emit(text: str, output: Path | None, default_name: str, *, private: bool) -> int:
    """Write to standard output, or to ``output`` (a file, or a folder for ``default_name``).

    A consult (``private``) is written atomically and readable by its owner only.
    """
    if output is None:
        sys.stdout.write(text + "\n")
        return EXIT_OK
    path = output / default_name if output.is_dir() else output
    payload = (text + "\n").encode("utf-8")
    try:
        if private:
            from assistant.records.atomic import write_atomic

            write_atomic(path, payload)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(payload)
    except OSError as error:
        return _fail(f"cannot write {path}: {error.strerror or error}.")
    print(path)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """``botulax-consult export CONSULT_ID --fhir [--output FILE] [--script FILE] [--data-dir DIR]``."""
    from assistant.records import ConsultNotFound, RecordsError, open_repository, require

    if not _needs_fhir(args, "export"):
        return EXIT_INVALID
    try:
        record = require(open_repository(getattr(args, "data_dir", None)), args.consult_id)
    except ConsultNotFound:
        return _fail(f"no consult '{args.consult_id}' (see: botulax-consult history).")
    except RecordsError as error:
        return _fail(str(error))
    script = _load_script(getattr(args, "script", None))
    if script is None:
        return EXIT_INVALID
    try:
        resource = questionnaire_response_model(record, script)
    except FhirExportError as error:
        return _fail(f"cannot export consult {record.consult_id}: {error}")
    return _emit(to_json(resource), getattr(args, "output", None), f"{record.consult_id}.fhir.json", private=True)


def cmd_export_script(args: argparse.Namespace) -> int:
    """``botulax-consult export-script --fhir [--output FILE] [--script FILE]``."""
    if not _needs_fhir(args, "export-script"):
        return EXIT_INVALID
    script = _load_script(getattr(args, "script", None))
    if script is None:
        return EXIT_INVALID
    try:
        resource = questionnaire_model(script)
    except FhirExportError as error:
        return _fail(f"cannot export the script: {error}")
    return _emit(
        to_json(resource), getattr(args, "output", None), f"{fhir_id(script.id)}.questionnaire.json", private=False
    )
