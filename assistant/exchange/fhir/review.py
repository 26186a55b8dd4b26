"""The day-14 reviews of a consult in its FHIR Bundle: an ``Observation`` per zone finding (the
effect, and the residual difference as components), one for the patient's satisfaction, and an
``AdverseEvent`` per event found, its suspect entities the administrations given (each names its
lot through its Medication), so a receiving system links the event to the lot as the report does.

FHIR's severity is mild, moderate or severe; the review's ``serious`` is FHIR's seriousness
(``serious``, with severity ``severe``), the others ``non-serious``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.review_answers import event_date
from assistant.core.lifecycle.review_record import AdverseEventFound, Review, ZoneFinding
from assistant.exchange.fhir.common import NAMESPACE
from assistant.exchange.fhir.values import instant

UCUM = "http://unitsofmeasure.org"
SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
REVIEW_CODES = f"{NAMESPACE}:review"
"""The review script's codes (effects, events), as the record keeps them."""


def _finding(review: Review, finding: ZoneFinding, patient: str) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    if finding.stronger_side is not None:
        components.append({"code": {"text": "side that still moves more"}, "valueString": finding.stronger_side})
    if finding.difference_mm is not None:
        quantity = {"value": finding.difference_mm, "unit": "mm", "system": UCUM, "code": "mm"}
        components.append({"code": {"text": "residual difference at the brow"}, "valueQuantity": quantity})
    if finding.difference_units is not None:
        quantity = {"value": finding.difference_units, "unit": "U", "system": UCUM, "code": "[iU]"}
        components.append({"code": {"text": "residual difference in units"}, "valueQuantity": quantity})
    data: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": REVIEW_CODES, "code": "effect"}], "text": "Effect at the day-14 review"},
        "subject": {"reference": patient},
        "effectiveDateTime": instant(review.at),
        "bodySite": {"text": finding.zone},
        "valueCodeableConcept": {
            "coding": [{"system": REVIEW_CODES, "code": finding.effect}],
            "text": finding.effect,
        },
    }
    if review.by:
        data["performer"] = [{"display": review.by}]
    if components:
        data["component"] = components
    return data


def _satisfaction(review: Review, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": REVIEW_CODES, "code": "satisfaction"}], "text": "Patient satisfaction (1-5)"},
        "subject": {"reference": patient},
        "effectiveDateTime": instant(review.at),
        "valueInteger": review.satisfaction,
    }


def _event(
    record: ConsultRecord, review: Review, event: AdverseEventFound, patient: str, suspects: list[str]
) -> dict[str, Any]:
    serious = event.severity == "serious"
    severity = "severe" if serious else event.severity
    data: dict[str, Any] = {
        "resourceType": "AdverseEvent",
        "actuality": "actual",
        "event": {"coding": [{"system": REVIEW_CODES, "code": event.event}], "text": event.event},
        "subject": {"reference": patient},
        "date": event_date(review, event).isoformat(),
        "recordedDate": instant(review.at),
        "seriousness": {"coding": [{"system": SERIOUSNESS, "code": "serious" if serious else "non-serious"}]},
        "severity": {"coding": [{"system": SEVERITY, "code": severity}], "text": event.severity},
        "suspectEntity": [{"instance": {"reference": ref}} for ref in suspects],
    }
    if review.by:
        data["recorder"] = {"display": review.by}
    return data


def review_entries(
    record: ConsultRecord, patient: str, ref: Callable[..., str], administrations: list[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The resources of every review of ``record``; ``ref(kind, *parts)`` makes their ids."""
    entries: list[tuple[str, dict[str, Any]]] = []
    for number, review in enumerate(record.reviews):
        for index, finding in enumerate(review.findings):
            entries.append((ref("review-finding", number, index), _finding(review, finding, patient)))
        if review.satisfaction is not None:
            entries.append((ref("review-satisfaction", number), _satisfaction(review, patient)))
        for index, event in enumerate(review.adverse_events):
            entries.append(
                (ref("adverse-event", number, index), _event(record, review, event, patient, administrations))
            )
    return entries
