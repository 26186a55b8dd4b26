"""Drafts in TinyDB files: one file per unfinished consult (``drafts/<draft_id>.json``, table "draft").

A draft belongs to the workstation that claims it (``core.lifecycle.claims``): it is written under
the drafts folder's lock, after the claim kept in the file is checked, so of two workstations
resuming it at once exactly one wins. A damaged draft file is named in the listing and left as it
is, never a reason for the others not to be offered.
"""

from __future__ import annotations

import os

from tinydb.table import Document

from assistant.core.lifecycle.claims import refusal
from assistant.core.lifecycle.ids import is_record_id
from assistant.core.lifecycle.listing import Draft
from assistant.records.errors import DamagedDataFile
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import locked, table_file
from assistant.records.tinydb.layout import Layout, data_files

DRAFT = "draft"


class DraftFiles:
    def __init__(self, layout: Layout, *, durable: bool, lock_timeout: float = 30.0) -> None:
        self.layout = layout
        self.durable = durable
        self.lock_timeout = lock_timeout

    def save(self, draft: Draft) -> str:
        """Keep ``draft``; ``DraftClaimed`` when another workstation's claim on it holds."""
        path = self.layout.draft_path(draft.draft_id)
        with locked(self.layout.drafts, self.lock_timeout):
            kept = self._readable(draft.draft_id)
            if (refused := refusal(kept.claim if kept else None, draft.claim)) is not None:
                raise refused
            with table_file(path, durable=self.durable, write=True) as stored:
                table = stored.table(DRAFT)
                table.truncate()
                table.insert(Document(converters.draft_document(draft), doc_id=1))
        return draft.draft_id

    def _readable(self, draft_id: str) -> Draft | None:
        try:
            return self.get(draft_id)
        except DamagedDataFile:
            return None  # written over, as before claims: the damaged file held no claim to keep

    def get(self, draft_id: str) -> Draft | None:
        if not is_record_id(draft_id):
            return None
        path = self.layout.draft_path(draft_id)
        with table_file(path, durable=self.durable) as stored:
            documents = stored.table(DRAFT).all()
        if not documents:
            if path.exists():
                raise DamagedDataFile(path, "no draft in the file")
            return None
        return converters.draft_from_document(documents[0], path)

    def listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        drafts: list[Draft] = []
        damaged: list[DamagedDataFile] = []
        for path in sorted(data_files(self.layout.drafts)):
            if not is_record_id(path.stem):
                continue
            try:
                draft = self.get(path.stem)
            except DamagedDataFile as error:
                damaged.append(error)
                continue
            if draft is not None:
                drafts.append(draft)
        drafts.sort(key=lambda d: d.updated_at.timestamp(), reverse=True)
        return drafts, damaged

    def delete(self, draft_id: str) -> bool:
        if not is_record_id(draft_id):
            return False
        try:
            os.unlink(self.layout.draft_path(draft_id))
        except FileNotFoundError:
            return False
        return True
