"""Saving a consult version in TinyDB files: every file it changes, journalled first so that a kill
part-way is finished or undone at the next opening (``journal.py``), and taken back when a step fails
(see ``store.py`` for the order and the locks)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import where

from assistant.core.lifecycle.audit import AuditEvent, chain
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import RecordsError, VersionConflict
from assistant.records.tinydb import converters, journal
from assistant.records.tinydb.atomic import dump, locked, read_tables, table_file, write_atomic
from assistant.records.tinydb.converters import TO_GIVE, WAITING, versions_in, versions_tables
from assistant.records.tinydb.patients import CONSULTS, NAMES, PATIENT, patient_document_in
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder


def save(
    store: DataFolder, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()
) -> ConsultRecord:
    """Check everything, journal the save, write it, append its entry, drop the journal (``journal.py``)."""
    key = record.patient_key
    index_path = store.layout.patient_path(key)
    record_path = store.layout.consult_path(record.consult_id)
    rollback = Rollback(store.durable)
    with contextlib.ExitStack() as locks:
        locks.enter_context(locked(index_path.parent, store.lock_timeout))
        index = locks.enter_context(table_file(index_path, durable=store.durable))
        old_patient = patient_document_in(index, index_path)
        old_name = old_patient["patient_name"] if old_patient else None
        renamed = old_patient is None or (old_patient["patient_name"], old_patient["patient_id"]) != (
            record.patient_name,
            record.patient_id,
        )
        old_names = store.patients.name_paths(old_name, key) if old_name else set()
        new_names = store.patients.name_paths(record.patient_name, key) if renamed else set()
        store.patients.check_name_files(old_names | new_names)
        versions = versions_in(read_tables(record_path), record_path)
        current = versions[-1] if versions else None
        if (current.version if current else 0) != record.version - 1:
            raise VersionConflict(record.consult_id, record.version, current)
        drawn: list[tuple[Vial, Vial]] = []
        if draws:
            locks.enter_context(locked(store.layout.vials, store.lock_timeout))
            drawn = store.vial_files.drawn(draws)
        locks.enter_context(locked(store.layout.audit, store.lock_timeout))
        entry = chain(store.audit.last(), event)
        saved = journal.Journal(
            record=record,
            previous=current,
            entry=entry,
            old_patient_name=old_name,
            renamed=renamed,
            vials_before=tuple(before for before, _ in drawn),
            vials_after=tuple(after for _, after in drawn),
        )
        journal_path = journal.write(store, saved)
        try:
            apply(store, saved, rollback)
            store.audit.write(entry)
        except (OSError, RecordsError) as error:
            rollback.undo(error)
            journal.remove(journal_path)
            raise
        journal.remove(journal_path)
    if current is not None and current.patient_key != key:
        forget(store, current.patient_key, record.consult_id)
    return record


def apply(store: DataFolder, saved: journal.Journal, rollback: Rollback) -> None:
    """Write every file a journalled save changes, as it ends (not its entry). Each step writes what
    should be there whatever is there now, so running it again after a kill finishes the save."""
    record, previous = saved.record, saved.previous
    record_path = store.layout.consult_path(record.consult_id)
    versions = versions_in(read_tables(record_path), record_path)
    if len(versions) == record.version - 1:
        with rollback.writing(record_path):
            write_atomic(record_path, dump(versions_tables([*versions, record])), durable=store.durable)
    if saved.renamed:
        rename(store, rollback, saved.old_patient_name, record)
    for before, after in zip(saved.vials_before, saved.vials_after, strict=True):
        held = store.vial_files.get(after.vial_id)
        if held is not None and held.revision == before.revision:
            store.vial_files.put(rollback, after)
    change_waiting(store, rollback, record)
    earlier = treatment_of(previous) if previous else None
    store.tracing.update(rollback, record.consult_id, earlier, treatment_of(record))
    put_in_index(store, rollback, record)


def rename(store: DataFolder, rollback: Rollback, old_name: str | None, record: ConsultRecord) -> None:
    """The name index lists the patient under the words of ``record``'s name, not ``old_name``'s."""
    key = record.patient_key
    old = store.patients.name_paths(old_name, key) if old_name else set()
    new = store.patients.name_paths(record.patient_name, key)
    for path in sorted(old - new):
        _change_name(store, rollback, path, key, None)
    for path in sorted(new):
        _change_name(store, rollback, path, key, record)


def put_in_index(store: DataFolder, rollback: Rollback, record: ConsultRecord) -> None:
    """The patient's index lists the consult at ``record`` (the caller holds the patient's lock)."""
    path = store.layout.patient_path(record.patient_key)
    with rollback.writing(path), table_file(path, durable=store.durable, write=True) as index:
        index.table(PATIENT).truncate()
        index.table(PATIENT).insert(converters.patient_document(record))
        index.table(CONSULTS).upsert(
            converters.summary_document(ConsultSummary.of(record)), where("consult_id") == record.consult_id
        )


def _change_name(store: DataFolder, rollback: Rollback, path: Path, key: str, record: ConsultRecord | None) -> None:
    before = next(
        (e for e in ((read_tables(path) or {}).get(NAMES) or {}).values() if e.get("patient_key") == key), None
    )

    def undo() -> None:
        store.patients.remove_name(path, key)
        if before is not None:
            _put_name_document(store, path, before)

    if record is None:
        store.patients.remove_name(path, key)
    else:
        store.patients.put_name(path, record)
    rollback.step(str(path), undo)


def _put_name_document(store: DataFolder, path: Path, document: dict[str, Any]) -> None:
    with locked(path.parent, store.lock_timeout), table_file(path, durable=store.durable, write=True) as names:
        names.table(NAMES).upsert(document, where("patient_key") == document["patient_key"])


def change_waiting(store: DataFolder, rollback: Rollback, record: ConsultRecord, *, listed: bool = True) -> None:
    """Keep the "to sign" and "to give" lists (two tables of one file) in step: the consult is on the
    first while it waits for a signature, on the second while it waits to be given (``listed=False``:
    on neither)."""
    path = store.layout.to_sign_file
    Wanted = tuple[dict[str, Any] | None, dict[str, Any] | None]

    def change(wanted: Wanted) -> Wanted:
        found: list[dict[str, Any] | None] = []
        with locked(path.parent, store.lock_timeout), table_file(path, durable=store.durable, write=True) as db:
            for name, summary in zip((WAITING, TO_GIVE), wanted, strict=True):
                table = db.table(name)
                held = table.search(where("consult_id") == record.consult_id)
                found.append(dict(held[0]) if held else None)
                if summary is None:
                    table.remove(where("consult_id") == record.consult_id)
                else:
                    table.upsert(summary, where("consult_id") == record.consult_id)
        return found[0], found[1]

    summary = converters.summary_document(ConsultSummary.of(record)) if listed else None
    wanted = (summary if record.to_sign else None, summary if record.to_give else None)
    if wanted == (None, None) and not path.exists():
        return
    before = change(wanted)
    rollback.step(str(path), lambda: change(before))


def forget(store: DataFolder, key: str, consult_id: str) -> None:
    """Take a consult off a patient's index (it was saved again under another patient)."""
    path = store.layout.patient_path(key)
    with locked(path.parent, store.lock_timeout):
        with table_file(path, durable=store.durable, write=True) as index:
            document = patient_document_in(index, path)
            consults = index.table(CONSULTS)
            consults.remove(where("consult_id") == consult_id)
            left = len(consults)
        if left == 0 and document is not None:
            os.unlink(path)
            for name_path in store.patients.name_paths(document["patient_name"], key):
                store.patients.remove_name(name_path, key)
