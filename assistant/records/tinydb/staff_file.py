"""Staff accounts in one TinyDB file (``staff/accounts.json``, table "staff"): a clinic has a
handful, and every change (a wrong PIN too) rewrites the small file under ``staff/.lock``."""

from __future__ import annotations

from tinydb import where

from assistant.core.lifecycle.ids import normalise_name
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import StaffConflict
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import table_file
from assistant.records.tinydb.layout import Layout

STAFF = "staff"


class StaffFile:
    def __init__(self, layout: Layout, *, durable: bool) -> None:
        self.layout = layout
        self.durable = durable

    def all(self) -> list[StaffAccount]:
        path = self.layout.staff_file
        with table_file(path, durable=self.durable) as db:
            accounts = [converters.staff_from_document(d, path) for d in db.table(STAFF).all()]
        return sorted(accounts, key=lambda a: a.key)

    def get(self, name: str) -> StaffAccount | None:
        key = normalise_name(name)
        return next((a for a in self.all() if a.key == key), None)

    def put(self, account: StaffAccount) -> None:
        """Write ``account`` (the caller holds the staff lock): revision 1 only for a new name, N only
        after N-1."""
        path = self.layout.staff_file
        with table_file(path, durable=self.durable, write=True) as db:
            table = db.table(STAFF)
            documents = table.search(where("key") == account.key)
            current = converters.staff_from_document(documents[0], path) if documents else None
            if current is None and account.revision != 1:
                raise StaffConflict(account.name, exists=False)
            if current is not None and current.revision != account.revision - 1:
                raise StaffConflict(account.name, exists=account.revision == 1)
            document = converters.staff_document(account)
            if documents:
                table.update(document, doc_ids=[documents[0].doc_id])
            else:
                table.insert(document)
