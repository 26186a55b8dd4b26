"""The patient's signed consent as a FHIR R4B ``Consent`` in the consult's Bundle.

The exact text signed travels as the ``sourceAttachment`` (plain text, base64), with its SHA-256 as an
identifier (FHIR's own ``Attachment.hash`` is SHA-1, which the record does not keep); the witness is
the ``verification``; the photo consent is a nested provision, permitted or denied. Validated by the
``fhir.resources`` Consent model like every other resource of the Bundle.
"""

from __future__ import annotations

import base64
from typing import Any

from fhir.resources.R4B.consent import Consent

from assistant.core.lifecycle.consent_given import ConsentGiven
from assistant.exchange.fhir.common import NAMESPACE, as_data, validated
from assistant.exchange.fhir.values import instant

SCOPES = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
CONSENT_SHA256 = f"{NAMESPACE}:consent-sha256"


def consent_data(consent: ConsentGiven, patient: str, consult_id: str) -> dict[str, Any]:
    """The Consent resource's data (validated: ``FhirExportError`` when it is not valid FHIR)."""
    data: dict[str, Any] = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": SCOPES, "code": "treatment", "display": "Treatment"}]},
        "category": [{"coding": [{"system": LOINC, "code": "59284-0", "display": "Consent Document"}]}],
        "patient": {"reference": patient},
        "dateTime": instant(consent.at),
        "identifier": [{"system": CONSENT_SHA256, "value": consent.sha256}],
        "sourceAttachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": consent.language,
            "data": base64.b64encode(consent.text.encode("utf-8")).decode("ascii"),
            "title": f"consent form '{consent.form}' version {consent.version}",
        },
        "policyRule": {"text": f"{consent.form} consent form, version {consent.version}"},
        "verification": [
            {"verified": True, "verifiedWith": {"display": consent.witness}, "verificationDate": instant(consent.at)}
        ],
        "provision": {
            "type": "permit",
            "provision": [{"type": "permit" if consent.photos else "deny", "code": [{"text": "clinical photographs"}]}],
        },
    }
    return as_data(validated(Consent, data, f"the consent of consult {consult_id}"))
