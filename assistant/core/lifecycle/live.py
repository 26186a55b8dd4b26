"""What a change made elsewhere means for what a workstation shows (issue 22.3), and the line said
while the record server is away (issue 22.7). No I/O and no clock: the stores' listeners hand in
the ``Change`` they heard, the app the record it shows and the one read again, and the time zone.

A change is heard as little as the stores can say: on PostgreSQL the notification's payload (what
kind, which consult and patient, who, from which workstation); on a TinyDB folder only which file
changed, so most fields are None there. What the record now holds (its state, its last revision,
who made it and when) is always read from the record itself, never trusted from the message.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.core.lifecycle.record import ChangeKind, ConsultRecord

CHANNEL = "botulax_changes"
"""The PostgreSQL channel the record's triggers notify on (migration ``0006_live_notify``)."""

DONE: dict[ChangeKind, str] = {
    "created": "Saved",
    "revised": "Changed",
    "given": "Given",
    "signed": "Signed",
    "cosigned": "Co-signed",
    "amended": "Amended",
    "consented": "Consent recorded",
    "photographed": "Photo added",
    "reviewed": "Reviewed",
}
"""The first word of the notice, by the kind of the record's newest version."""


class Change(BaseModel):
    """One change heard from the record: ``kind`` is the audit action (``given``, ``signed``...),
    ``draft`` for a draft kept or removed, ``consult`` for a consult's file written (TinyDB), or
    ``record`` for any other file of the record."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    kind: str
    consult_id: str | None = None
    draft_id: str | None = None
    patient_id: str | None = None
    who: str | None = None
    workstation: str | None = None

    @classmethod
    def from_payload(cls, payload: str) -> Change | None:
        """The notification's JSON payload, or None when it is not one of ours (anyone connected
        may NOTIFY on the channel: a payload that does not read is ignored, never acted on)."""
        try:
            return cls.model_validate(json.loads(payload))
        except (ValueError, ValidationError):
            return None


@dataclass(frozen=True)
class Followed:
    """What an open consult shows once it changed elsewhere: its record as it now stands, and one
    line saying what was done, where, by whom and when."""

    record: ConsultRecord
    notice: str


def concerns(change: Change | None, consult_id: str) -> bool:
    """Whether ``change`` may have changed the consult ``consult_id`` (None: something changed,
    nobody knows what)."""
    return change is None or change.consult_id in (None, consult_id)


def follow(shown: ConsultRecord, fresh: ConsultRecord | None, where: str | None, zone: dt.tzinfo) -> Followed | None:
    """The open consult ``shown`` after its record was read again as ``fresh``: None when nothing
    it shows changed (the same version, or an older one read late); else the newer record, whose
    state decides the keys (G is gone once it was given), and the notice "Given in Room B by Ina
    Choi at 10:42" (``where``: the workstation, when the store knows it)."""
    if fresh is None or fresh.consult_id != shown.consult_id or fresh.version <= shown.version:
        return None
    return Followed(fresh, notice(fresh, where, zone))


def notice(record: ConsultRecord, where: str | None, zone: dt.tzinfo) -> str:
    """What the record's newest version was, where, by whom and when (local time, HH:MM)."""
    revision = record.revision
    if revision is None:
        return f"Changed elsewhere: now {record.state}"
    words = [DONE.get(revision.kind, "Changed")]
    if where:
        words.append(f"in {where}")
    if revision.by:
        words.append(f"by {revision.by}")
    words.append(f"at {revision.at.astimezone(zone):%H:%M}")
    return " ".join(words)


def away_line(since: dt.datetime, zone: dt.tzinfo) -> str:
    """The one line shown while the record server is away (no server detail: that is logged)."""
    return f"Server away since {since.astimezone(zone):%H:%M}: saving on this computer; retrying"
