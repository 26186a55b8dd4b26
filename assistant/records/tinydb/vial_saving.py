"""Opening, closing (and correcting) a vial in TinyDB files, journalled like a consult's save.

A vial's change writes its file, the list of open vials and its audit entry. A kill between them used
to leave a vial the trail never opened (``audit verify`` names it: the ledger is checked against the
trail) or a close without its act. So the change is journalled first (``journal.py``): the vial before
and after, and its entry already chained and signed (the trail's lock is held until it is written);
the next opening of the data folder finishes it, or undoes it when the trail moved on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import DamagedDataFile, RecordsError, VialConflict
from assistant.records.tinydb import journal
from assistant.records.tinydb.atomic import dump, locked, read_tables, write_atomic
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder

PREFIX = "vial-"


class VialJournal(BaseModel):
    """One change of a vial: as it was (None: a vial being opened), as it becomes, and its entry."""

    model_config = ConfigDict(frozen=True)

    before: Vial | None
    vial: Vial
    entry: AuditEntry


def _path(store: DataFolder, vial_id: str) -> Path:
    return journal.folder(store) / f"{PREFIX}{vial_id}.json"


def save_vial(store: DataFolder, vial: Vial, event: AuditEvent) -> Vial:
    """Revision 1 only for a new id, N only after N-1; the vial and its entry, journalled."""
    with locked(store.layout.vials, store.lock_timeout):
        current = store.vial_files.get(vial.vial_id)
        if (current.revision if current else 0) != vial.revision - 1:
            raise VialConflict(vial.vial_id, "changed meanwhile" if current else "does not exist")
        with locked(store.layout.audit, store.lock_timeout):
            entry = chain(store.audit.last(), event)
            path = _path(store, vial.vial_id)
            saved = VialJournal(before=current, vial=vial, entry=entry)
            write_atomic(path, dump({journal.TABLE: {"1": saved.model_dump(mode="json")}}), durable=store.durable)
            rollback = Rollback(store.durable)
            try:
                store.vial_files.put(rollback, vial)
                store.audit.write(entry)
            except (OSError, RecordsError) as error:
                rollback.undo(error)
                journal.remove(path)
                raise
            journal.remove(path)
    return vial


def _finish(store: DataFolder, saved: VialJournal) -> None:
    held = store.vial_files.get(saved.vial.vial_id)
    if (held.revision if held else 0) == saved.vial.revision - 1:
        store.vial_files.put(Rollback(store.durable), saved.vial)


def _undo(store: DataFolder, saved: VialJournal) -> None:
    held = store.vial_files.get(saved.vial.vial_id)
    if held is None or held.revision != saved.vial.revision:
        return
    if saved.before is not None:
        store.vial_files.put(Rollback(store.durable), saved.before.model_copy(update={"revision": held.revision + 1}))
        return
    closed = held.model_copy(update={"state": "closed", "revision": held.revision + 1})
    store.vial_files.put(Rollback(store.durable), closed)  # off the list of open vials first
    with contextlib.suppress(FileNotFoundError):
        store.layout.vial_path(held.vial_id).unlink()


def recover_one(store: DataFolder, path: Path, now: dt.datetime) -> list[str]:
    with locked(store.layout.vials, store.lock_timeout), locked(store.layout.audit, store.lock_timeout):
        tables = read_tables(path)
        if tables is None:
            return []  # finished meanwhile
        try:
            saved = VialJournal.model_validate((tables.get(journal.TABLE) or {}).get("1"))
        except ValidationError as error:
            raise DamagedDataFile(path, f"not a vial's journal: {error.errors()[0]['msg']}") from None
        what = f"vial {saved.vial.vial_id} ({saved.entry.action} by {saved.entry.actor or 'nobody named'})"
        sentence, _ = journal.settle(
            store, saved.entry, what, now, lambda: _finish(store, saved), lambda: _undo(store, saved)
        )
        journal.remove(path)
    return [sentence]
