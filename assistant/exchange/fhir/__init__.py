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

from assistant.exchange.fhir.common import FHIR_RELEASE, FhirExportError, fhir_id, to_json
from assistant.exchange.fhir.questionnaire import questionnaire_model, script_to_questionnaire
from assistant.exchange.fhir.response import (
    questionnaire_response_answers,
    questionnaire_response_model,
    record_to_questionnaire_response,
)

__all__ = [
    "FHIR_RELEASE",
    "FhirExportError",
    "fhir_id",
    "questionnaire_model",
    "questionnaire_response_answers",
    "questionnaire_response_model",
    "record_to_questionnaire_response",
    "script_to_questionnaire",
    "to_json",
]
