"""A kept consult as a FHIR R4 ``QuestionnaireResponse``, and its answers read back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assistant.core.flow import Flow
from assistant.core.repeat import expand
from assistant.core.script import RepeatGroup, Script
from assistant.exchange.fhir.common import (
    CONSULT_ID_SYSTEM,
    FhirExportError,
    as_data,
    fhir_id,
    questionnaire_url,
    validated,
)
from assistant.exchange.fhir.values import (
    answer_value,
    answers_for,
    as_list,
    inferred_value,
    instant,
    is_iso_date,
)
from assistant.records import ConsultRecord

# -- a consult as a QuestionnaireResponse --------------------------------------------------------------


def record_to_questionnaire_response(record: ConsultRecord, script: Script) -> dict[str, Any]:
    """A kept consult as a validated FHIR R4 ``QuestionnaireResponse``, as JSON-ready data."""
    return as_data(questionnaire_response_model(record, script))


def questionnaire_response_model(record: ConsultRecord, script: Script) -> QuestionnaireResponse:
    """The consult as a ``fhir.resources`` ``QuestionnaireResponse`` model (raises ``FhirExportError``).

    ``script`` gives the questions' types, prompts and codes; it must be the script the consult was run
    with (same id; the version named is the record's).
    """
    return validated(QuestionnaireResponse, questionnaire_response_data(record, script), f"consult {record.consult_id}")


def authored(record: ConsultRecord) -> str:
    """When the answers were given: the consult's date, with the recording time when it was that day
    (a consult planned for another date, ``today:`` in an answer file, keeps its date alone)."""
    recorded = record.finished_at if record.finished_at.tzinfo else record.finished_at.astimezone()
    return instant(recorded) if recorded.astimezone().date() == record.date else record.date.isoformat()


def questionnaire_response_data(record: ConsultRecord, script: Script) -> dict[str, Any]:
    """The JSON data of the QuestionnaireResponse (checked when it is validated, alone or in a Bundle)."""
    if record.script_id != script.id:
        raise FhirExportError(
            f"consult {record.consult_id} was recorded with the script '{record.script_id}', "
            f"not '{script.id}'; give that script with --script."
        )
    items = []
    for question in script.questions:
        if isinstance(question, RepeatGroup):
            items += _group_items(script, question, record.answers.get(question.id))
            continue
        answers = answers_for(script, question, record.answers.get(question.id))
        if answers:
            items.append({"linkId": question.id, "text": question.prompt, "answer": answers})
    for key, value in record.answers.items():  # answers to questions the script no longer has
        if not script.has_question(key):
            answers = [a for a in (inferred_value(v) for v in as_list(value)) if a is not None]
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
        "authored": authored(record),
        "item": items,
    }
    if record.staff:
        data["author"] = {"display": record.staff}
    if not items:
        del data["item"]
    return data


def _group_items(script: Script, group: RepeatGroup, entries: object) -> list[dict[str, Any]]:
    """One repetition of the group's item per entry (a record keeps a group as a list of entries)."""
    found = []
    for entry in entries if isinstance(entries, list | tuple) else ():
        if not isinstance(entry, Mapping):
            continue
        inner = []
        for question in group.questions:
            answers = answers_for(script, question, entry.get(question.id))
            if answers:
                inner.append({"linkId": f"{group.id}.{question.id}", "text": question.prompt, "answer": answers})
        if inner:
            found.append({"linkId": group.id, "text": group.label or group.prompt, "item": inner})
    return found


def response_status(record: ConsultRecord, script: Script) -> str:
    """``completed``; ``stopped`` for a consult stopped early (a contraindication), questions left unasked.

    Told only with the script version the consult ran with (a later script may ask more).
    """
    if record.script_version != script.version:
        return "completed"
    answers: dict[str, Any] = {}
    for key, value in expand(script, record.answers).answers.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str) and script.has_question(key) and script.question(key).type == "date":
            value = dt.date.fromisoformat(value) if is_iso_date(value) else value
        answers[key] = value
    return "completed" if Flow(script, record.date).is_complete(answers) else "stopped"


# -- reading answers back --------------------------------------------------------------------------------


def questionnaire_response_answers(response: Mapping[str, Any], script: Script | None = None) -> dict[str, Any]:
    """The answers of a QuestionnaireResponse (JSON data), as a consult record keeps them.

    Codes are their ``code``, dates ISO strings, numbers and yes/no as they are; a multiple-choice
    question (per ``script``, or any item with several answers) gives a list, a repeat group its
    entries (a list of {question id: answer}). The inverse of
    ``record_to_questionnaire_response`` for every answered question.
    """
    answers: dict[str, Any] = {}
    for item in response.get("item") or ():
        link_id = item["linkId"]
        if item.get("item") and not item.get("answer"):  # a repetition of a repeat group: one entry
            entry = questionnaire_response_answers({"item": item["item"]})
            answers.setdefault(link_id, []).append({key.removeprefix(f"{link_id}."): v for key, v in entry.items()})
            continue
        values = [answer_value(answer) for answer in item.get("answer") or ()]
        if not values:
            continue
        multiple = script is not None and script.has_question(link_id) and script.question(link_id).type == "multiple"
        answers[link_id] = values if multiple or len(values) > 1 else values[0]
    return answers
