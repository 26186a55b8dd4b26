"""Adding photos to a consult: read and checked (``files.photos``), allowed by the patient's photo
consent (``photo_consent``), within the clinic's size limits, by a staff member whose PIN was typed;
kept as a version of kind ``photographed`` with the photos' bytes (``ConsultRepository.add_photos``).

Nothing is kept unless every file given is a photo that may be kept: a refusal names each file and
why, and the record is as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.photo_refs import PhotoKind
from assistant.core.lifecycle.photo_rules import (
    MEGABYTE,
    PhotoBytes,
    PhotoLimits,
    add_photos,
    audit_detail,
    size_problems,
)
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import NotPermitted
from assistant.files.photos import NotAPhoto, read_photo
from assistant.records.errors import VersionConflict
from assistant.records.repository import require
from assistant.services.desk import Desk
from assistant.services.photo_consent import VALID_MONTHS, photo_consent
from assistant.services.staff import authenticate
from assistant.settings import PhotoSettings


class PhotosNotRead(ValueError):
    """Exit 2: a file given is not a JPEG or PNG photo that can be read; ``problems``: a sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class OverPhotoLimit(ValueError):
    """Exit 4: a photo, or the consult's photos together, over the clinic's limit; a sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def limits(settings: PhotoSettings) -> PhotoLimits:
    return PhotoLimits(
        per_photo=int(settings.max_photo_mb * MEGABYTE), per_consult=int(settings.max_consult_mb * MEGABYTE)
    )


def require_photo_consent(desk: Desk, record: ConsultRecord) -> None:
    """``NotPermitted`` (exit 5) unless the patient signed the photo consent (``photo_consent``)."""
    if photo_consent(desk, record, desk.clock()) is None:
        raise NotPermitted(
            f"{record.patient_name} has not signed the photo consent (on consult {record.consult_id}, or on "
            f"another of their consults in the last {VALID_MONTHS} months): record it first with "
            f"consent record {record.consult_id} --photos yes; no photo was added."
        )


def read_photos(paths: Sequence[Path], settings: PhotoSettings) -> list[tuple[str, PhotoBytes]]:
    """Each file as it would be kept, (its name, its bytes); ``PhotosNotRead`` naming every one refused."""
    read: list[tuple[str, PhotoBytes]] = []
    problems: list[str] = []
    for path in paths:
        try:
            read.append((path.name, read_photo(path, limits(settings).per_photo)))
        except NotAPhoto as refused:
            problems.append(str(refused))
    if problems:
        raise PhotosNotRead(problems)
    return read


def add(
    desk: Desk,
    consult_id: str,
    paths: Sequence[Path],
    kind: PhotoKind,
    by: str,
    pin: str,
    settings: PhotoSettings | None = None,
) -> ConsultRecord:
    """Add the photos at ``paths`` to the consult as ``kind`` photos, by ``by`` (their ``pin``)."""
    settings = settings or PhotoSettings()
    record = require(desk.repository, consult_id)
    require_photo_consent(desk, record)
    photos = read_photos(paths, settings)
    if problems := size_problems(record, photos, limits(settings)):
        raise OverPhotoLimit(problems)
    account = authenticate(desk, by, pin, "run")
    now = desk.clock()
    added = add_photos(record, photos, kind, account, now)
    event = AuditEvent.for_version(added, account.name, now, audit_detail(added.photos[len(record.photos) :]))
    try:
        return desk.repository.add_photos(added, event, [photo for _, photo in photos])
    except VersionConflict as conflict:
        current = conflict.current
        revision = current.revision if isinstance(current, ConsultRecord) else None
        change = f" ({revision.change}, by {revision.by or 'someone'})" if revision else ""
        raise rules.AlreadyDone(
            f"Consult {consult_id} was changed meanwhile{change}; no photo was added. Add it again."
        ) from None
