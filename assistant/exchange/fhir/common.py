"""What every FHIR resource this program writes shares: names, extension URLs, validation, JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from assistant.core.conditions import NEVER
from assistant.core.script import DateQuestion, Question

FHIR_RELEASE = "R4"
"""What the output conforms to (validated with fhir.resources' R4B models, see the module docstring)."""

NAMESPACE = "urn:botulax-consult"
SCRIPT_ID_SYSTEM = f"{NAMESPACE}:script-id"
CONSULT_ID_SYSTEM = f"{NAMESPACE}:consult-id"
EXT_SHOW_IF = f"{NAMESPACE}:extension:show-if"
EXT_CHOICES_FILTER = f"{NAMESPACE}:extension:choices-filter"
EXT_DATE_OR_NEVER = f"{NAMESPACE}:extension:date-or-never"
EXT_REQUIRED_WHEN_SHOWN = f"{NAMESPACE}:extension:required-when-shown"
EXT_REPEAT_UNIQUE = f"{NAMESPACE}:extension:repeat-unique"

EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_MIN_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs"
EXT_MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
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

CONDITION_CONSTANTS: dict[str, object] = {"True": True, "False": False, "true": True, "false": False, "never": NEVER}


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


# -- validation and JSON -----------------------------------------------------------------------------------


def validated(model: type[Any], data: dict[str, Any], what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise FhirExportError(f"{what} is not valid FHIR {FHIR_RELEASE}: {where}: {first['msg']}") from None


def as_data(resource: Any) -> dict[str, Any]:
    return json.loads(resource.model_dump_json())


def to_json(resource: Any) -> str:
    """The JSON text of a validated model (as ``fhir.resources`` writes it), indented, UTF-8."""
    return resource.model_dump_json(indent=2)
