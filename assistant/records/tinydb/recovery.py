"""Saves a kill left half-done, found by their journals when the folder is opened: each is finished
(its entry is in the trail or still fits at its end) or undone, and said in the trail (``journal.py``
keeps the journals, ``saving.py`` and ``vial_saving.py`` write them)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING

from tinydb import where

from assistant.core.lifecycle.tracing import treatment_of
from assistant.records.errors import DataFolderUnusable
from assistant.records.tinydb import converters, saving, vial_saving
from assistant.records.tinydb.atomic import dump, locked, read_tables, table_file, write_atomic
from assistant.records.tinydb.journal import Journal, folder, read, remove, settle
from assistant.records.tinydb.patients import CONSULTS
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from pathlib import Path

    from assistant.records.tinydb.folder import DataFolder


def recover_on_opening(store: DataFolder) -> list[str]:
    """``recover`` now, when the folder holds journals; an OS error is the folder's, in words."""
    if not folder(store).is_dir():
        return []
    try:
        return recover(store, dt.datetime.now(dt.UTC))
    except OSError as error:
        raise DataFolderUnusable(store.data_dir, error) from error


def recover(store: DataFolder, now: dt.datetime) -> list[str]:
    """Finish (or undo) every save a kill left half-done; one sentence for each, also in the trail."""
    where_ = folder(store)
    if not where_.is_dir():
        return []
    said = []
    for path in sorted(where_.iterdir()):
        if path.suffix != ".json" or path.name.startswith("."):  # a journal still being written
            continue
        if path.name.startswith(vial_saving.PREFIX):
            said += vial_saving.recover_one(store, path, now)
        else:
            said += _recover_one(store, path, now)
    return said


def _recover_one(store: DataFolder, path: Path, now: dt.datetime) -> list[str]:
    journal = read(path)
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


def revert(store: DataFolder, saved: Journal) -> None:
    """Undo what the save wrote: its version taken off, its vials put back, every index as before."""
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
