"""The audit trail: every event appended with time, actor, action, consult, version and the SHA-256
of the record's content, each entry chained to the previous entry's hash.

Editing a record file by hand changes its content hash; removing or changing an entry breaks the
chain (or leaves a record version without its entry); ``verify`` (in ``audit_verify``) names every
such problem. The hashes are computed here, the same way for every store, from canonical JSON (keys
sorted, no spaces, UTF-8) of the models' JSON form, so a record read back from any store hashes the
same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr

from assistant.core.lifecycle.record import ConsultRecord

SCRIPT_APPROVED = "script approved"
"""A medical director's approval of a question script: written by ``services.script_approval``, looked
up by each store when a consult is kept (so one spelling, here)."""

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

ACTIONS = {
    "consult saved": "a new consult was kept (version 1)",
    "new version": "a consult changed before it was signed",
    "given": "the doses injected were recorded",
    "signed": "a record was signed",
    "cosigned": "a medical director co-signed",
    "amended": "a record was amended",
    "printed": "documents were printed or saved",
    "exported": "a record was exported",
    "staff added": "a staff account was created",
    "staff disabled": "a staff account was disabled",
    "failed PIN": "a wrong PIN was entered",
    "account locked": "an account was locked after wrong PINs",
    "vial opened": "a vial was reconstituted",
    "vial closed": "a vial was closed",
    "save recovered": "a save cut off half-way (the program killed) was finished, or undone, at the next opening",
    "imported": "a record was copied in from another store",
    "patient registered": "a new patient was entered in the patient register",
    "patient confirmed": "a suggested patient was confirmed as a consult's patient",
    "patients merged": "two patients were found to be one person (medical director)",
    "patients split": "a merge of two patients was undone (medical director)",
    "acknowledged": "a known, explained problem of the trail was acknowledged (medical director)",
    "reindexed": "the derived indexes were rebuilt from the records (botulax-consult reindex)",
    "checkpoint": "the trail's entry count and head hash were signed into a checkpoint file",
    "settings changed": "the clinic settings were changed (medical director; each setting, old and new)",
    "consent recorded": "the patient's signed consent form was recorded (version, witness, text's SHA-256)",
    "photo added": "a photo was added to a consult (its SHA-256)",
    "reviewed": "the review after treatment was recorded (effect, differences, adverse events)",
    SCRIPT_APPROVED: "a question script was taken into use (medical director; its id, version and SHA-256)",
}
"""The actions the program records, and what each means (docs/records.md lists them too)."""

KIND_ACTIONS = {
    "created": "consult saved",
    "revised": "new version",
    "given": "given",
    "signed": "signed",
    "cosigned": "cosigned",
    "amended": "amended",
    "consented": "consent recorded",
    "photographed": "photo added",
    "reviewed": "reviewed",
}
"""The audit action of each kind of record version."""


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


LATER_RECORD_FIELDS = ("entered_on", "consent", "photos", "reviews", "script_approval")
"""Record fields added after records were first kept: hashed only when set, so that a record kept
before them hashes as it did (``audit verify`` still passes on it)."""


def record_sha(record: ConsultRecord) -> str:
    """The SHA-256 of a record version's content."""
    return content_sha(record.model_dump(mode="json"))


def content_sha(content: dict[str, Any]) -> str:
    """``record_sha`` of a record already dumped (``model_dump(mode="json")``), for a store that
    writes that dump too; ``content`` is left as it was."""
    return sha256(canonical(hashed_content(content)))


def hashed_content(content: dict[str, Any]) -> dict[str, Any]:
    """The part of a record's dump that its hash covers: the dump without the later fields left unset
    (None or empty), so a record kept before they existed hashes as it did."""
    return {k: v for k, v in content.items() if not (k in LATER_RECORD_FIELDS and v in (None, []))}


class AuditEvent(BaseModel):
    """What happened, before the store gives it its place in the chain."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    at: dt.datetime
    actor: str | None = None
    action: str
    consult_id: str | None = None
    version: int | None = None
    record_sha: str | None = None
    detail: str | None = None
    data: dict[str, Any] | None = None
    """What an act states of what it wrote (a staff account's name, role and public key; the patient
    register's entries), for ``audit verify`` to rebuild the staff and patient registers from the trail."""
    signature: str | None = None
    """The actor's Ed25519 signature (base64) over the act and the previous entry's hash
    (``assistant.core.lifecycle.signing``); None for events that are not a person's act."""
    _signer: Callable[[AuditEvent, str], AuditEvent] | None = PrivateAttr(default=None)

    def signed_with(self, signer: Callable[[AuditEvent, str], AuditEvent] | None) -> AuditEvent:
        """This event, to be signed by ``signer`` when a store chains it (it alone knows, under the
        trail's lock, which entry the act follows). Not part of the event's content."""
        copy = self.model_copy()
        copy._signer = signer
        return copy

    @classmethod
    def for_version(cls, record: ConsultRecord, actor: str | None, at: dt.datetime, detail: str | None = None):
        kind = record.revision.kind if record.revision else "created"
        return cls(
            at=at,
            actor=actor,
            action=KIND_ACTIONS[kind],
            consult_id=record.consult_id,
            version=record.version,
            record_sha=record_sha(record),
            detail=detail,
        )


class AuditEntry(AuditEvent):
    """An event in its place: ``seq`` (1, 2, ...), the previous entry's hash and its own."""

    seq: int
    prev_hash: str
    hash: str

    def event(self) -> AuditEvent:
        return AuditEvent.model_validate(self.model_dump(exclude={"seq", "prev_hash", "hash"}))


LATER_ENTRY_FIELDS = ("data", "signature")
"""Entry fields added after the first trails were written: hashed only when present, so an entry written
before them keeps its hash."""


def entry_hash(seq: int, prev_hash: str, event: AuditEvent) -> str:
    fields = {**event.model_dump(mode="json"), "seq": seq, "prev_hash": prev_hash}
    for name in LATER_ENTRY_FIELDS:
        if fields.get(name) is None:
            fields.pop(name, None)
    return sha256(canonical(fields))


def chain(previous: AuditEntry | None, event: AuditEvent) -> AuditEntry:
    """``event`` appended after ``previous`` (None: the first entry)."""
    return chain_after((previous.seq, previous.hash) if previous else None, event)


def chain_after(
    head: tuple[int, str] | None, event: AuditEvent, signer: Callable[[AuditEvent, str], AuditEvent] | None = None
) -> AuditEntry:
    """``event`` appended after the entry whose (seq, hash) is ``head`` (None or seq 0: the first),
    signed by ``signer`` over the act and the hash it follows (see ``signing``)."""
    seq = head[0] + 1 if head and head[0] else 1
    prev_hash = head[1] if head and head[0] else GENESIS
    signer = signer or event._signer
    if signer is not None:
        event = signer(event, prev_hash)
    return AuditEntry(**event.model_dump(), seq=seq, prev_hash=prev_hash, hash=entry_hash(seq, prev_hash, event))


def describe(entry: Mapping[str, Any] | AuditEntry) -> str:
    """One line of ``botulax-consult audit``."""
    e = entry if isinstance(entry, AuditEntry) else AuditEntry.model_validate(entry)
    where = (
        f" {e.consult_id} v{e.version}" if e.consult_id and e.version else (f" {e.consult_id}" if e.consult_id else "")
    )
    detail = f": {e.detail}" if e.detail else ""
    return (
        f"{e.seq:>6}  {e.at.astimezone().strftime('%Y-%m-%d %H:%M:%S')}  {e.actor or '-':20}  {e.action}{where}{detail}"
    )
