"""Saving a consult version in TinyDB files: every file it changes, in an order that survives a kill,
and taken back when a step fails (see ``store.py`` for the order and the locks)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import where

from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.records.errors import RecordsError, VersionConflict
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import dump, locked, read_tables, table_file, write_atomic
from assistant.records.tinydb.converters import WAITING, versions_in, versions_tables
from assistant.records.tinydb.patients import CONSULTS, NAMES, PATIENT, patient_document_in
from assistant.records.tinydb.rollback import Rollback

if TYPE_CHECKING:
    from assistant.records.tinydb.store import TinyDBStore


def save(
    store: TinyDBStore, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()
) -> ConsultRecord:
    key = record.patient_key
    index_path = store.layout.patient_path(key)
    record_path = store.layout.consult_path(record.consult_id)
    rollback = Rollback(store.durable)
    with locked(index_path.parent, store.lock_timeout), table_file(index_path, durable=store.durable) as index:
        old_patient = patient_document_in(index, index_path)
        renamed = old_patient is None or (old_patient["patient_name"], old_patient["patient_id"]) != (
            record.patient_name,
            record.patient_id,
        )
        old_names = store.patients.name_paths(old_patient["patient_name"], key) if old_patient else set()
        new_names = store.patients.name_paths(record.patient_name, key) if renamed else set()
        store.patients.check_name_files(old_names | new_names)
        versions = versions_in(read_tables(record_path), record_path)
        current = versions[-1] if versions else None
        if (current.version if current else 0) != record.version - 1:
            raise VersionConflict(record.consult_id, record.version, current)
        try:
            with rollback.writing(record_path):
                write_atomic(record_path, dump(versions_tables([*versions, record])), durable=store.durable)
            if renamed:
                for path in old_names - new_names:
                    _change_name(store, rollback, path, key, None)
                for path in new_names:
                    _change_name(store, rollback, path, key, record)
            if draws:
                with locked(store.layout.vials, store.lock_timeout):
                    store.vial_files.draw(rollback, draws)
            _change_waiting(store, rollback, record)
            store.tracing.update(
                rollback, record.consult_id, treatment_of(current) if current else None, treatment_of(record)
            )
            index.table(PATIENT).truncate()
            index.table(PATIENT).insert(converters.patient_document(record))
            index.table(CONSULTS).upsert(
                converters.summary_document(ConsultSummary.of(record)), where("consult_id") == record.consult_id
            )
            with rollback.writing(index_path):
                index.storage.commit()  # type: ignore[attr-defined]
            store.audit.append(event)
        except (OSError, RecordsError) as error:
            rollback.undo(error)
            raise
    if current is not None and current.patient_key != key:
        _forget(store, current.patient_key, record.consult_id)
    return record


def _change_name(store: TinyDBStore, rollback: Rollback, path: Path, key: str, record: ConsultRecord | None) -> None:
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


def _put_name_document(store: TinyDBStore, path: Path, document: dict[str, Any]) -> None:
    with locked(path.parent, store.lock_timeout), table_file(path, durable=store.durable, write=True) as names:
        names.table(NAMES).upsert(document, where("patient_key") == document["patient_key"])


def _change_waiting(store: TinyDBStore, rollback: Rollback, record: ConsultRecord) -> None:
    """Keep the "to sign" list in step: the consult is on it while it waits for a signature."""
    path = store.layout.to_sign_file

    def change(summary: dict[str, Any] | None) -> dict[str, Any] | None:
        with locked(path.parent, store.lock_timeout), table_file(path, durable=store.durable, write=True) as db:
            table = db.table(WAITING)
            found = table.search(where("consult_id") == record.consult_id)
            if summary is None:
                table.remove(where("consult_id") == record.consult_id)
            else:
                table.upsert(summary, where("consult_id") == record.consult_id)
            return dict(found[0]) if found else None

    wanted = converters.summary_document(ConsultSummary.of(record)) if record.to_sign else None
    if wanted is None and not path.exists():
        return
    before = change(wanted)
    rollback.step(str(path), lambda: change(before))


def _forget(store: TinyDBStore, key: str, consult_id: str) -> None:
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
