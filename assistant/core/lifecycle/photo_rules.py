"""Adding photos to a consult: the next version of kind ``photographed``, and the limits it keeps.

Photos are added to the record as it stands, before or after it is signed (a review photo is taken
days after the signature): they add to the record and change nothing that was signed. The bytes are
the store's (``PhotoBytes``); the record keeps a ``PhotoRef`` per photo, so its version's hash covers
each photo's SHA-256 and ``audit verify`` re-hashes what the store holds against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.lifecycle.photo_refs import PhotoKind, PhotoRef
from assistant.core.lifecycle.record import ChangeKind, ConsultRecord, Revision
from assistant.core.lifecycle.staff import NotPermitted, StaffAccount, require
from assistant.core.text import counted

MEGABYTE = 1024 * 1024


class PhotoBytes(BaseModel):
    """A photo as a store keeps it: the original (location stripped) and its thumbnail (a JPEG)."""

    model_config = ConfigDict(frozen=True)

    sha256: str
    media_type: str
    data: bytes = Field(repr=False)
    thumbnail: bytes = Field(repr=False)

    @classmethod
    def of(cls, media_type: str, data: bytes, thumbnail: bytes) -> PhotoBytes:
        return cls(sha256=hashlib.sha256(data).hexdigest(), media_type=media_type, data=data, thumbnail=thumbnail)

    @property
    def thumbnail_sha256(self) -> str:
        return hashlib.sha256(self.thumbnail).hexdigest()


class PhotoLimits(BaseModel):
    """Bytes per photo and per consult (clinic settings ``[photos]``; the defaults are a product choice)."""

    per_photo: int = 15 * MEGABYTE
    per_consult: int = 100 * MEGABYTE


def _mb(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


def size_problems(record: ConsultRecord, photos: list[tuple[str, PhotoBytes]], limits: PhotoLimits) -> list[str]:
    """One sentence per photo over the per-photo limit, and one when the consult would pass its own."""
    problems = [
        f"{name} is {_mb(len(photo.data))}, over the clinic's limit of {_mb(limits.per_photo)} per photo."
        for name, photo in photos
        if len(photo.data) > limits.per_photo
    ]
    kept = sum(ref.size for ref in record.photos)
    adding = sum(len(photo.data) for _, photo in photos if photo.sha256 not in {r.sha256 for r in record.photos})
    if kept + adding > limits.per_consult:
        problems.append(
            f"Consult {record.consult_id} would hold {_mb(kept + adding)} of photos, over the clinic's limit of "
            f"{_mb(limits.per_consult)} per consult ({_mb(kept)} kept already)."
        )
    return problems


def add_photos(
    record: ConsultRecord,
    photos: list[tuple[str, PhotoBytes]],
    kind: PhotoKind,
    by: StaffAccount,
    at: dt.datetime,
) -> ConsultRecord:
    """The next version with a ``PhotoRef`` per photo (``(file name, bytes)``); a photo the consult
    holds already (same SHA-256) is refused, so one file is not kept twice by mistake."""
    require(by, "run", at)
    if not photos:
        raise NotPermitted("No photo was given; nothing was added.")
    held = {ref.sha256: ref for ref in record.photos}
    names = [photo.sha256 for _, photo in photos]
    if twice := next((name for (name, photo) in photos if names.count(photo.sha256) > 1), None):
        raise NotPermitted(f"{twice} is given twice (the same photo); nothing was added.")
    for name, photo in photos:
        if photo.sha256 in held:
            raise NotPermitted(
                f"{name} is already on consult {record.consult_id} (a {held[photo.sha256].kind} photo); "
                "nothing was added."
            )
    refs = tuple(
        PhotoRef(
            kind=kind,
            sha256=photo.sha256,
            at=at,
            by=by.name,
            media_type=photo.media_type,
            size=len(photo.data),
            thumbnail_sha256=photo.thumbnail_sha256,
            name=name,
        )
        for name, photo in photos
    )
    version = record.version + 1
    change_kind: ChangeKind = "photographed"
    change = f"{counted(len(refs), f'{kind} photo')} added"
    revision = Revision(version=version, at=at, by=by.name, kind=change_kind, change=change)
    return record.model_copy(update={"version": version, "revision": revision, "photos": (*record.photos, *refs)})


def audit_detail(refs: tuple[PhotoRef, ...]) -> str:
    """The audit entry's detail: each photo's kind and SHA-256."""
    return "; ".join(f"{ref.kind} photo sha256 {ref.sha256}" for ref in refs)
