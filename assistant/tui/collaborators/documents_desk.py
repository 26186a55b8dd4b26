"""S and P on the plan screen, on the record's side: the documents made from the record as it is kept
now and noted in the audit trail as ``botulax-consult print`` notes them, by whoever is at the
keyboard (``services.saved_documents``). ``save`` runs in the plan screen's worker thread
(``DocumentsLine``); in trainer mode nothing is read from the record or noted in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.files.resources import Resources
    from assistant.records import ConsultRecord
    from assistant.services.saved_documents import SavedDocuments
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn


class DocumentsDesk:
    def __init__(self, current: Current, records: RecordLink, signed_in: SignedIn) -> None:
        self.current = current
        self.records = records
        self.signed_in = signed_in

    def save(
        self, record: ConsultRecord, resources: Resources, folder: Path, previous: ConsultRecord | None
    ) -> SavedDocuments:
        """Both documents of the consult as it is kept now into ``folder``, noted as printed by the
        account signed in (else the staff name this run was given, else the computer's user)."""
        from assistant.services.saved_documents import save_as_printed

        account = self.signed_in.account
        actor = account.name if account is not None else self.current.staff_name
        desk = None if self.current.trainer else self.records.desk
        return save_as_printed(desk, record, resources, folder, previous=previous, actor=actor)
