"""A kept consult as a FHIR R4 ``Bundle`` (type ``collection``) a records system can take in whole.

::

    Patient                    who (name, clinic number)
    QuestionnaireResponse      the answers; ``authored`` is the consult's date (its time when it was
                               recorded that day)
    MedicationRequest          one per planned line: zone and side (bodySite), units per point,
                               points, the line's kind and why-line; intent ``plan``
    DetectedIssue              one per plan warning, and per reason a consult was contraindicated
                               or refused
    Medication                 one per lot given from (batch: lot number and expiry)
    MedicationAdministration   one per line recorded as given, against its request; a planned line
                               left out is ``not-done`` with its reason; a line drawn from several
                               vials is one per vial drawn from, its units and lot
                               (``administration.py``)
    Consent                    the consent the patient signed (its exact text, SHA-256, witness)
    Provenance                 who ran, gave and signed, with each signature (name, role, time and
                               meaning); one more per amendment, with its reason
    Media                      one per photo (before, after, review), with its bytes (``media.py``)

Every resource is built as JSON data and validated by the ``fhir.resources`` models (R4B). Ids are
derived from the consult id, so a second export of one version gives the same Bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import partial
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from assistant.core.lifecycle.record import ConsultRecord, Revision
from assistant.core.plan import PlanLine
from assistant.core.script import Script
from assistant.exchange.fhir.administration import PRODUCT, UNITS, given_entries, site
from assistant.exchange.fhir.common import CONSULT_ID_SYSTEM, NAMESPACE, as_data, validated
from assistant.exchange.fhir.consent import consent_data
from assistant.exchange.fhir.media import media_entries
from assistant.exchange.fhir.response import questionnaire_response_data
from assistant.exchange.fhir.review import review_entries
from assistant.exchange.fhir.values import instant

EXT_PLAN_LINE = f"{NAMESPACE}:extension:plan-line"
"""On a MedicationRequest: the zone code, side, kind (full, touch_up), points and units of its line."""
SIGNATURE_TYPES = "urn:iso-astm:E1762-95:2013"
SIGNATURE_CODES = {"signature": ("1.2.840.10065.1.12.1.5", "Verification Signature"),
                   "cosignature": ("1.2.840.10065.1.12.1.6", "Validation Signature")}  # fmt: skip
AGENT_TYPES = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
DATA_OPERATIONS = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
SEVERITY = {"danger": "high", "warning": "moderate", "info": "low"}


def _ref(record: ConsultRecord, kind: str, *parts: object) -> str:
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, ":".join([NAMESPACE, record.consult_id, kind, *map(str, parts)]))
    )


def record_bundle(
    record: ConsultRecord,
    script: Script,
    versions: list[ConsultRecord] | None = None,
    photos: Mapping[str, bytes | None] | None = None,
) -> Bundle:
    """The consult as it stands (``record``), with the amendments of ``versions`` (oldest first) and
    its photos (``photos``: their bytes by SHA-256, from the store)."""
    patient = _ref(record, "patient")
    entries: list[tuple[str, dict[str, Any]]] = [(patient, _patient(record))]
    response = questionnaire_response_data(record, script)
    response["subject"] = {"reference": patient, "display": record.patient_name}
    response_ref = _ref(record, "response")
    entries.append((response_ref, response))
    requests: dict[tuple[str, str], str] = {}
    for index, line in enumerate(record.plan.lines):
        ref = _ref(record, "request", index)
        requests.setdefault((line.zone, line.side), ref)
        entries.append((ref, _request(record, line, patient, response_ref)))
    for index, warning in enumerate(record.plan.warnings):
        implicated = [ref for (zone, _side), ref in requests.items() if warning.zone in (None, zone)]
        entries.append(
            (
                _ref(record, "issue", index),
                _issue(record, patient, warning.code, warning.message, SEVERITY[warning.severity], implicated),
            )
        )
    for index, reason in enumerate(record.plan.reasons):
        entries.append(
            (_ref(record, "reason", index), _issue(record, patient, reason.code, reason.message, "high", []))
        )
    administrations: list[str] = []
    if record.given is not None:
        given, administrations = given_entries(record.given, patient, requests, partial(_ref, record))
        entries += given
    if record.consent is not None:
        entries.append((_ref(record, "consent"), consent_data(record.consent, patient, record.consult_id)))
    entries += review_entries(record, patient, partial(_ref, record), administrations)
    entries.append((_ref(record, "provenance"), _provenance(record, [response_ref, *administrations])))
    for revision in (v.revision for v in versions or () if v.revision and v.revision.kind == "amended"):
        entries.append((_ref(record, "amendment", revision.version), _amendment(record, revision, response_ref)))
    entries += media_entries(record, patient, photos or {}, _ref)
    data = {
        "resourceType": "Bundle",
        "id": record.consult_id,
        "identifier": {"system": CONSULT_ID_SYSTEM, "value": f"{record.consult_id}/{record.version}"},
        "type": "collection",
        "timestamp": instant(record.revision.at if record.revision else record.finished_at),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
    return validated(Bundle, data, f"consult {record.consult_id}")


def record_bundle_data(record: ConsultRecord, script: Script, versions: list[ConsultRecord] | None = None) -> dict:
    return as_data(record_bundle(record, script, versions))


def _patient(record: ConsultRecord) -> dict[str, Any]:
    data: dict[str, Any] = {"resourceType": "Patient", "name": [{"text": record.patient_name}]}
    if record.patient_id:
        data["identifier"] = [{"system": f"{NAMESPACE}:clinic-number", "value": record.patient_id}]
    return data


def _request(record: ConsultRecord, line: PlanLine, patient: str, response: str) -> dict[str, Any]:
    dose = f"{line.points} x {line.units_per_point:g} U ({line.ml_per_point:g} mL each) = {line.units:g} U"
    data: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "completed" if record.given is not None else "active",
        "intent": "plan",
        "medicationCodeableConcept": {"text": PRODUCT},
        "subject": {"reference": patient},
        "authoredOn": record.date.isoformat(),
        "supportingInformation": [{"reference": response}],
        "dosageInstruction": [
            {
                "text": f"{line.zone_label}, {line.side}: {dose}",
                "site": site(line.zone_label, line.side),
                "doseAndRate": [{"doseQuantity": {**UNITS, "value": line.units_per_point}}],
                "maxDosePerAdministration": {**UNITS, "value": line.units},
            }
        ],
        "note": [{"text": line.why}] if line.why else [],
        "extension": [
            {
                "url": EXT_PLAN_LINE,
                "extension": [
                    {"url": "zone", "valueCode": line.zone},
                    {"url": "side", "valueCode": line.side},
                    {"url": "kind", "valueCode": line.kind},
                    {"url": "points", "valueInteger": line.points},
                    {"url": "units", "valueDecimal": line.units},
                    {"url": "offLabel", "valueBoolean": line.off_label},
                ],
            }
        ],
    }
    if record.staff:
        data["requester"] = {"display": record.staff}
    if not data["note"]:
        del data["note"]
    return data


def _issue(
    record: ConsultRecord, patient: str, code: str, message: str, severity: str, implicated: list[str]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "status": "final",
        "severity": severity,
        "code": {"coding": [{"system": f"{NAMESPACE}:warning", "code": code}], "text": code.replace("_", " ")},
        "patient": {"reference": patient},
        "identifiedDateTime": record.date.isoformat(),
        "detail": message,
    }
    if implicated:
        data["implicated"] = [{"reference": ref} for ref in implicated]
    return data


def _agent(code: str, display: str) -> dict[str, Any]:
    return {"type": {"coding": [{"system": AGENT_TYPES, "code": code}]}, "who": {"display": display}}


def _provenance(record: ConsultRecord, targets: list[str]) -> dict[str, Any]:
    agents = []
    if record.staff:
        agents.append(_agent("author", record.staff))
    if record.given is not None:
        agents.append(_agent("performer", record.given.by))
    agents += [_agent("verifier" if s.kind == "signature" else "attester", s.name) for s in record.signatures]
    data: dict[str, Any] = {
        "resourceType": "Provenance",
        "target": [{"reference": ref} for ref in targets],
        "recorded": instant(record.revision.at if record.revision else record.finished_at),
        "agent": agents or [_agent("author", "botulax-consult")],
    }
    signatures = [
        {
            "type": [
                {"system": SIGNATURE_TYPES, "code": SIGNATURE_CODES[s.kind][0], "display": SIGNATURE_CODES[s.kind][1]}
            ],
            "when": instant(s.at),
            "who": {"display": f"{s.name} ({s.role.replace('_', ' ')}): {s.meaning}"},
        }
        for s in record.signatures
    ]
    if signatures:
        data["signature"] = signatures
    return data


def _amendment(record: ConsultRecord, revision: Revision, target: str) -> dict[str, Any]:
    return {
        "resourceType": "Provenance",
        "target": [{"reference": target}],
        "recorded": instant(revision.at),
        "activity": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "code": "UPDATE"}]
        },
        "reason": [{"text": revision.reason or revision.change}],
        "agent": [_agent("author", revision.by or "unknown")],
    }
