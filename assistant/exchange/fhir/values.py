"""Answers as FHIR ``value[x]``: typed by the question, or inferred for a question the script no longer has."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assistant.core.conditions import NEVER
from assistant.core.script import ChoiceQuestion, DateQuestion, Question, Script
from assistant.exchange.fhir.common import (
    FhirExportError,
    code_system,
)


def fhir_number(question_type: str, value: float) -> int | Decimal:
    return int(value) if question_type == "integer" else Decimal(str(value))


def typed_value(script: Script, question: Question, value: object) -> dict[str, Any]:
    """``value[x]`` of one answer, of the type the question's item declares."""
    kind = question.type
    try:
        if isinstance(question, ChoiceQuestion):
            code = plain_text(value)
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
            text = value.isoformat() if isinstance(value, dt.date) else plain_text(value)
            if isinstance(question, DateQuestion) and question.allow_never:
                if text != NEVER and not is_iso_date(text):
                    raise TypeError
                return {"valueString": text}
            if not is_iso_date(text):
                raise TypeError
            return {"valueDate": text}
        text = plain_text(value)
        if not text.strip():
            raise TypeError
        return {"valueString": text}
    except (TypeError, ValueError, ArithmeticError):
        raise FhirExportError(
            f"the answer to '{question.id}' ({value!r}) is not a valid {kind} answer for the script."
        ) from None


def is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def plain_text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def inferred_value(value: object) -> dict[str, Any] | None:
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


def instant(moment: dt.datetime) -> str:
    """A FHIR ``dateTime`` with a time zone (a naive time is taken as the computer's local time)."""
    return (moment if moment.tzinfo is not None else moment.astimezone()).isoformat()


def answers_for(script: Script, question: Question, value: object) -> list[dict[str, Any]]:
    """The ``answer`` list of one question (empty when it was not answered)."""
    if value is None or value == "" or value == [] or value == ():
        return []
    if question.type == "multiple":
        return [typed_value(script, question, code) for code in as_list(value)]
    return [typed_value(script, question, value)]


def answer_value(answer: Mapping[str, Any]) -> Any:
    for key, value in answer.items():
        if key == "valueCoding":
            return value["code"]
        if key == "valueDecimal":
            return float(value)
        if key.startswith("value"):
            return value
    raise FhirExportError(f"an answer without a value: {dict(answer)!r}")
