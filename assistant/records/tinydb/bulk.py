"""Many consults written at once into an empty TinyDB folder (benchmarks, moving a record in).

The same files ``save`` writes, audit trail included, each index file once, without locks or fsync.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain
from assistant.core.lifecycle.listing import ConsultSummary
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.tracing import treatment_of
from assistant.core.lifecycle.vials import lot_key
from assistant.records.errors import RecordsError
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import dump, write_atomic
from assistant.records.tinydb.converters import TO_GIVE, WAITING, versions_tables
from assistant.records.tinydb.patients import CONSULTS, NAMES, PATIENT
from assistant.records.tinydb.tracing_files import GIVEN, TREATMENTS

if TYPE_CHECKING:
    from assistant.records.tinydb.folder import DataFolder


def bulk_load(store: DataFolder, records: Iterable[ConsultRecord], *, actor: str | None = None) -> int:
    """Write many one-version records into an empty data directory at once (benchmarks, imports).

    Writes the same files ``save`` would, audit trail included, without locks or fsync, each
    index file once. Not for a data directory in use: it refuses one that already holds patients.
    """
    if any(store.layout.patients.glob("*/*.json")) or store.audit.head() is not None:
        raise RecordsError(f"bulk_load needs an empty data directory; {store.data_dir} already holds consults.")
    patients: dict[str, tuple[tuple[Any, ...], ConsultRecord, list[dict[str, Any]]]] = {}
    entries: list[AuditEntry] = []
    waiting: list[dict[str, Any]] = []
    to_give: list[dict[str, Any]] = []
    days: dict[Path, list[dict[str, Any]]] = {}
    lots: dict[Path, list[dict[str, Any]]] = {}
    for record in records:
        write_atomic(store.layout.consult_path(record.consult_id), dump(versions_tables([record])), durable=False)
        at = record.revision.at if record.revision else record.finished_at
        event = AuditEvent.for_version(record, actor or record.staff, at)
        entries.append(chain(entries[-1] if entries else None, event))
        order = (record.date, record.consult_id)
        newest, latest, summaries = patients.get(record.patient_key, (order, record, []))
        if order >= newest:
            newest, latest = order, record
        summary = converters.summary_document(ConsultSummary.of(record))
        summaries.append(summary)
        if record.to_sign:
            waiting.append(summary)
        if record.to_give:
            to_give.append(summary)
        treatment = treatment_of(record)
        if treatment is not None:
            document = treatment.model_dump(mode="json")
            days.setdefault(store.layout.treatments_path(treatment.date), []).append(document)
            for key in {lot_key(lot) for lot in treatment.lots if lot}:
                lots.setdefault(store.layout.lot_path(key), []).append(document)
        patients[record.patient_key] = (newest, latest, summaries)
    names: dict[Path, list[dict[str, Any]]] = {}
    for key, (_, latest, summaries) in patients.items():
        document = converters.patient_document(latest)
        tables = {PATIENT: {"1": document}, CONSULTS: {str(i): s for i, s in enumerate(summaries, 1)}}
        write_atomic(store.layout.patient_path(key), dump(tables), durable=False)
        for path in store.patients.name_paths(latest.patient_name, key):
            names.setdefault(path, []).append(converters.name_entry_document(latest))
    for path, name_entries in names.items():
        write_atomic(path, dump({NAMES: {str(i): e for i, e in enumerate(name_entries, 1)}}), durable=False)
    for table, files in ((TREATMENTS, days), (GIVEN, lots)):
        for path, documents in files.items():
            write_atomic(path, dump({table: {str(i): d for i, d in enumerate(documents, 1)}}), durable=False)
    if waiting or to_give:
        lists = ((WAITING, waiting), (TO_GIVE, to_give))
        tables = {name: {str(i): s for i, s in enumerate(rows, 1)} for name, rows in lists}
        write_atomic(store.layout.to_sign_file, dump(tables), durable=False)
    store.audit.bulk_write(entries)
    return len(entries)
