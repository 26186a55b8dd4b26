"""A save's journal: everything a consult's save will write, written (atomically) before the first write,
so that a save killed half-way is finished, or undone, the next time the data folder is opened.

A save changes many files (the consult's versions, the name index, the vials, the "to sign" list, the
lot and day indexes, the patient's index, the audit trail). A kill between two of them used to leave
``show`` saying GIVEN while ``history`` said planned and the units were not counted. Now the save
first writes ``journal/<consult id>.json`` holding the version, its audit entry already chained and
signed (the save holds the trail's lock until it is appended, so the entry's place is its own), the
vials before and after their draws, and the patient's name before; then it writes each file and last
the entry; then it removes the journal.

Every step (``apply``) is idempotent: it writes what the journal says should be there, whatever is
there now, so running it again after a kill at any point finishes the save, needing nobody's key. If
the trail moved on meanwhile (another program, opened before the kill, appended in the entry's place)
the signed entry cannot be placed, and ``revert`` undoes the save instead. Either way an audit event
("save recovered") says what was done. A journal only half written is a temporary file that never
became the journal (``.<name>`` beside it): the save it began wrote nothing, and it is left alone, as
every such file of the data folder is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError
from tinydb import where

from assistant.core.lifecycle.audit import GENESIS, AuditEntry, AuditEvent, chain
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import DamagedDataFile, DataFolderUnusable
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import dump, locked, read_tables, table_file, write_atomic
from assistant.records.tinydb.patients import CONSULTS
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from assistant.records.tinydb.store import TinyDBStore

FOLDER = "journal"
TABLE = "journal"


class Journal(BaseModel):
    """Everything one save writes, and what it replaces where an undo needs it."""

    model_config = ConfigDict(frozen=True)

    record: ConsultRecord
    previous: ConsultRecord | None
    entry: AuditEntry
    old_patient_name: str | None
    """The patient's name in her index before the save (None: a patient new to the index)."""
    renamed: bool
    """The name index changes (a new patient, or her name or number changed)."""
    vials_before: tuple[Vial, ...] = ()
    vials_after: tuple[Vial, ...] = ()


def folder(store: TinyDBStore) -> Path:
    return store.layout.data_dir / FOLDER


def path_of(store: TinyDBStore, consult_id: str) -> Path:
    return folder(store) / f"{consult_id}.json"


def write(store: TinyDBStore, journal: Journal) -> Path:
    path = path_of(store, journal.record.consult_id)
    write_atomic(path, dump({TABLE: {"1": journal.model_dump(mode="json")}}), durable=store.durable)
    return path


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def revert(store: TinyDBStore, saved: Journal) -> None:
    """Undo what the save wrote: its version taken off, its vials put back, every index as before."""
    from assistant.records.tinydb import saving

    record, previous = saved.record, saved.previous
    rollback = Rollback(store.durable)  # nothing is taken back: a failure leaves the journal for next time
    record_path = store.layout.consult_path(record.consult_id)
    versions = converters.versions_in(read_tables(record_path), record_path)
    if len(versions) == record.version and versions[-1] == record:
        if len(versions) == 1:
            remove(record_path)
        else:
            write_atomic(record_path, dump(converters.versions_tables(versions[:-1])), durable=store.durable)
    for before, after in zip(saved.vials_before, saved.vials_after, strict=True):
        held = store.vial_files.get(after.vial_id)
        if held is not None and held.revision == after.revision:
            store.vial_files.put(rollback, before.model_copy(update={"revision": after.revision + 1}))
    earlier = treatment_of(previous) if previous else None
    store.tracing.update(rollback, record.consult_id, treatment_of(record), earlier)
    saving.change_waiting(store, rollback, previous or record, listed=previous is not None)
    if previous is not None and previous.patient_key == record.patient_key:
        if saved.renamed:
            saving.rename(store, rollback, record.patient_name, previous)
        saving.put_in_index(store, rollback, previous)
        return
    # a new consult, or one saved under another patient (whose own index was not touched yet)
    path = store.layout.patient_path(record.patient_key)
    with table_file(path, durable=store.durable, write=True) as index:
        index.table(CONSULTS).remove(where("consult_id") == record.consult_id)
        left = len(index.table(CONSULTS))
    if left == 0:
        remove(path)
        for name_path in store.patients.name_paths(record.patient_name, record.patient_key):
            store.patients.remove_name(name_path, record.patient_key)


def _read(path: Path) -> Journal | None:
    """The journal at ``path`` (None: gone meanwhile); a damaged one raises ``DamagedDataFile``."""
    tables = read_tables(path)
    if tables is None:
        return None
    try:
        return Journal.model_validate((tables.get(TABLE) or {}).get("1"))
    except ValidationError as error:
        raise DamagedDataFile(path, f"not a save's journal: {error.errors()[0]['msg']}") from None


def recover_on_opening(store: TinyDBStore) -> list[str]:
    """``recover`` now, when the folder holds journals; an OS error is the folder's, in words."""
    if not folder(store).is_dir():
        return []
    try:
        return recover(store, dt.datetime.now(dt.UTC))
    except OSError as error:
        raise DataFolderUnusable(store.data_dir, error) from error


def recover(store: TinyDBStore, now: dt.datetime) -> list[str]:
    """Finish (or undo) every save a kill left half-done; one sentence for each, also in the trail."""
    where_ = folder(store)
    if not where_.is_dir():
        return []
    said = []
    from assistant.records.tinydb import vial_saving

    for path in sorted(where_.iterdir()):
        if path.suffix != ".json" or path.name.startswith("."):  # a journal still being written
            continue
        if path.name.startswith(vial_saving.PREFIX):
            said += vial_saving.recover_one(store, path, now)
        else:
            said += _recover_one(store, path, now)
    return said


def _recover_one(store: TinyDBStore, path: Path, now: dt.datetime) -> list[str]:
    from assistant.records.tinydb import saving

    journal = _read(path)
    if journal is None:
        return []
    record = journal.record
    patient_lock = store.layout.patient_path(record.patient_key).parent
    with contextlib.ExitStack() as locks:
        locks.enter_context(locked(patient_lock, store.lock_timeout))
        if not path.exists():
            return []  # the save was alive and finished meanwhile
        if journal.vials_after:
            locks.enter_context(locked(store.layout.vials, store.lock_timeout))
        locks.enter_context(locked(store.layout.audit, store.lock_timeout))
        by = journal.entry.actor or "nobody named"
        what = f"consult {record.consult_id} version {record.version} ({journal.entry.action} by {by})"
        sentence, finished = settle(
            store,
            journal.entry,
            what,
            now,
            lambda: saving.apply(store, journal, Rollback(store.durable)),
            lambda: revert(store, journal),
        )
        remove(path)
    previous = journal.previous
    if finished and previous is not None and previous.patient_key != record.patient_key:
        saving.forget(store, previous.patient_key, record.consult_id)  # as the save does, after its locks
    return [sentence]


def settle(
    store: TinyDBStore,
    entry: AuditEntry,
    what: str,
    now: dt.datetime,
    finish: Callable[[], None],
    undo: Callable[[], None],
) -> tuple[str, bool]:
    """Finish a journalled save (its writes, then its entry) when its entry is in the trail or still
    fits at its end, else undo it; record which in the trail. The caller holds every lock the save held.
    (what was said, whether it was finished)"""
    last = store.audit.last()
    placed = _placed(store, entry)
    follows = (last.seq, last.hash) if last else (0, GENESIS)
    finished = placed or follows == (entry.seq - 1, entry.prev_hash)
    if finished:
        finish()
        if not placed:
            store.audit.write(entry)
        sentence = f"A save cut off half-way was finished: {what}."
    else:
        undo()
        sentence = f"A save cut off half-way was undone (the trail had moved on): {what} was not kept; do it again."
    store.audit.write(chain(store.audit.last(), AuditEvent(at=now, action="save recovered", detail=sentence)))
    return sentence, finished


def _placed(store: TinyDBStore, entry: AuditEntry) -> bool:
    found = store.audit.entry(entry.seq)
    return found is not None and found.hash == entry.hash
