"""The consult's photos as FHIR R4 ``Media`` resources (issue 23.3), one per photo.

Each carries the photo as the record keeps it (location stripped) in ``content.data`` when the
exporter has its bytes, else the attachment alone (type, size, title) and a note that the store
lacked it; ``identifier`` holds its SHA-256 (the one the audit trail names), ``content.hash`` the
SHA-1 FHIR asks for. The kind (before, after, review) is the ``view`` and the title's first word.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from fhir.resources.R4B.media import Media

from assistant.core.lifecycle.photo_refs import PhotoRef
from assistant.core.lifecycle.record import ConsultRecord
from assistant.exchange.fhir.common import NAMESPACE, as_data, validated
from assistant.exchange.fhir.values import instant

PHOTO_SHA256_SYSTEM = f"{NAMESPACE}:photo-sha256"
MEDIA_TYPES = "http://terminology.hl7.org/CodeSystem/media-type"
VIEWS = f"{NAMESPACE}:codes:photo-kind"


def media_data(record: ConsultRecord, ref: PhotoRef, patient: str, data: bytes | None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "contentType": ref.media_type,
        "size": ref.size,
        "title": f"{ref.kind} photo" + (f": {ref.name}" if ref.name else ""),
        "creation": instant(ref.at),
    }
    if data is not None:
        content["data"] = base64.b64encode(data).decode("ascii")
        content["hash"] = base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")
    resource: dict[str, Any] = {
        "resourceType": "Media",
        "status": "completed",
        "identifier": [{"system": PHOTO_SHA256_SYSTEM, "value": ref.sha256}],
        "type": {"coding": [{"system": MEDIA_TYPES, "code": "image", "display": "Image"}]},
        "view": {"coding": [{"system": VIEWS, "code": ref.kind}], "text": ref.kind},
        "subject": {"reference": patient, "display": record.patient_name},
        "createdDateTime": instant(ref.at),
        "bodySite": {"text": "face"},
        "content": content,
    }
    if ref.by:
        resource["operator"] = {"display": ref.by}
    if data is None:
        resource["note"] = [{"text": "The photo's bytes were not in the store when it was exported (audit verify)."}]
    return as_data(validated(Media, resource, f"photo {ref.sha256[:12]} of consult {record.consult_id}"))


def media_entries(
    record: ConsultRecord,
    patient: str,
    photos: Mapping[str, bytes | None],
    ref_of: Callable[..., str],
) -> list[tuple[str, dict[str, Any]]]:
    """(full URL, Media) of each photo of ``record``; ``photos``: its bytes by SHA-256 (None: missing)."""
    return [
        (ref_of(record, "media", ref.sha256), media_data(record, ref, patient, photos.get(ref.sha256)))
        for ref in record.photos
    ]
