"""The plan screen's S and P: a kept consult's documents made as ``botulax-consult print`` makes them,
and noted as it notes them.

From the record as the store holds it now (its newest version: given, signed or amended meanwhile,
here or on another workstation), with the amendments up to that version and the audit trail's head;
then the audit entry ``print`` writes ("printed", the files' names), which the patient's chart lists.
The files come back with the version they show (``MadeFrom``), so the screen knows when the record has
moved on from them.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from assistant.core.lifecycle.documents_made import MadeFrom
from assistant.core.lifecycle.record import ConsultRecord, Revision
from assistant.files.resources import Resources
from assistant.records.errors import RecordsError
from assistant.services import paperwork
from assistant.services.desk import Desk


@dataclass(frozen=True)
class SavedDocuments:
    files: list[Path]
    record: ConsultRecord
    """The version they show."""
    not_noted: str | None = None
    """Why the audit entry could not be written (the files are saved all the same)."""

    @property
    def made_from(self) -> MadeFrom:
        return MadeFrom.of(self.record)


def _as_kept(desk: Desk, record: ConsultRecord) -> tuple[ConsultRecord, list[Revision], tuple[int, str] | None]:
    """The record's newest version, its amendments and the trail's head. The store away: the record as
    the screen has it, when it was never changed (nothing to list); else ``RecordsError``, as nothing
    says what changed it."""
    repository = desk.repository
    try:
        kept = repository.get(record.consult_id) or record
        kept = kept if kept.version >= record.version else record
        return kept, paperwork.amendments_of(repository, kept) if kept.version > 1 else [], repository.audit_head()
    except RecordsError:
        if record.version > 1:
            raise
        return record, [], None


def save_as_printed(
    desk: Desk | None,
    record: ConsultRecord,
    resources: Resources,
    folder: Path,
    *,
    previous: ConsultRecord | None = None,
    actor: str | None = None,
) -> SavedDocuments:
    """Both documents of ``record`` as it is kept now into ``folder``, on the clinic's paper, and the
    ``printed`` audit entry by ``actor`` (None: the computer's user, as ``print`` says). ``desk`` None:
    a dry run, the record as given and nothing noted. ``OutputError`` when a file cannot be written."""
    shown, amendments, trail = (record, [], None) if desk is None else _as_kept(desk, record)
    paper = resources.clinic.paper
    files = paperwork.save_documents(
        shown, resources, folder, previous=previous, paper=paper, trail=trail, amendments=amendments
    )
    if desk is None:
        return SavedDocuments(files, shown)
    from assistant.services.audit_trail import note

    try:
        note(desk, "printed", actor or f"user {getpass.getuser()}", shown.consult_id, ", ".join(p.name for p in files))
    except RecordsError as error:
        return SavedDocuments(files, shown, f"{error}")
    return SavedDocuments(files, shown)
