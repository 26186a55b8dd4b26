"""The consult record in TinyDB files: many small files, so that 100,000 consults cost what ten do.

One TinyDB JSON file is read and rewritten whole on every operation, so nothing here lets a file
grow with the number of consults (the layout is in ``layout.py``; directories 0700, files 0600).

Every write goes through ``atomic.AtomicJSONStorage`` (temp file, fsync, ``os.replace``), so a kill
leaves each file old or new, never truncated. ``save`` takes the patient's index lock, reads and
checks everything it will change (a damaged file stops the save before anything is written),
checks the version (``VersionConflict`` if another terminal saved first), then writes the consult's
versions file, the name index, the "to sign" list, the patient's index and last the audit entry.
A failure part-way takes back what was written (``rollback.py``); a kill part-way leaves at worst
a record version that no index lists yet (``get`` still returns it), or one without its audit
entry, which ``audit verify`` names.

Two processes saving at once lose nothing: every shared file is changed only under its folder's
lock. Locks are taken patient folder first, then name folders, the "to sign" list and the audit
trail, never the other way, so two terminals cannot deadlock; readers take no lock.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from tinydb import where

from assistant import locations
from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, chain, record_sha
from assistant.core.lifecycle.ids import is_record_id
from assistant.core.lifecycle.listing import ConsultSummary, Draft, PatientMatch
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.staff import StaffAccount
from assistant.records.errors import DamagedDataFile, DataFolderUnusable, RecordsError, VersionConflict
from assistant.records.repository import Listing
from assistant.records.tinydb import converters
from assistant.records.tinydb.atomic import dump, locked, read_tables, table_file, write_atomic
from assistant.records.tinydb.audit_log import AuditLog
from assistant.records.tinydb.drafts import DraftFiles
from assistant.records.tinydb.layout import Layout, data_files
from assistant.records.tinydb.patients import CONSULTS, NAMES, PATIENT, Patients, patient_document_in
from assistant.records.tinydb.rollback import Rollback
from assistant.records.tinydb.staff_file import StaffFile

VERSIONS = "versions"
OLD_CONSULT = "consult"  # format 1: one document, the only version
WAITING = "waiting"

_MONTH = re.compile(r"^\d{4}-\d{2}$")

P = ParamSpec("P")
R = TypeVar("R")


def _in_words(
    method: Callable[Concatenate[TinyDBStore, P], R],
) -> Callable[Concatenate[TinyDBStore, P], R]:
    """The interface promises only ``RecordsError``: an operating-system error (the data folder is
    a file, is not writable, the disk is full) becomes ``DataFolderUnusable``, a plain sentence."""

    @functools.wraps(method)
    def wrapper(self: TinyDBStore, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    return wrapper


def versions_in(tables: dict[str, Any] | None, path: Path) -> list[ConsultRecord]:
    """The versions of a consult file, oldest first (a format 1 file holds version 1 only)."""
    if tables is None:
        return []
    if VERSIONS in tables:
        documents = tables[VERSIONS]
        records = [converters.record_from_document(documents[k], path) for k in sorted(documents, key=int)]
    elif tables.get(OLD_CONSULT):
        records = [converters.record_from_document(next(iter(tables[OLD_CONSULT].values())), path)]
    else:
        records = []
    if not records:
        raise DamagedDataFile(path, "no consult record in the file")
    for number, record in enumerate(records, 1):
        if record.version != number or record.consult_id != path.stem:
            raise DamagedDataFile(path, f"version {number} is not where it belongs")
    return records


def versions_tables(records: list[ConsultRecord]) -> dict[str, Any]:
    return {VERSIONS: {str(r.version): converters.record_document(r) for r in records}}


class TinyDBStore:
    """``ConsultRepository`` over small TinyDB files in ``data_dir`` (see the module docstring)."""

    def __init__(self, data_dir: Path | str | None = None, *, durable: bool = True, lock_timeout: float = 30.0):
        """``durable=False`` skips fsync (tests, bulk loads): still atomic, but not power-cut proof."""
        self.data_dir = Path(data_dir) if data_dir is not None else locations.user_data_dir()
        self.durable = durable
        self.lock_timeout = lock_timeout
        self.layout = Layout(self.data_dir)
        self.patients = Patients(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.audit = AuditLog(self.layout, durable=durable, lock_timeout=lock_timeout)
        self.staff_file = StaffFile(self.layout, durable=durable)
        self.draft_files = DraftFiles(self.layout, durable=durable)

    def describe(self) -> str:
        """Where the record is, in words (for messages and ``db status``)."""
        return f"the data folder {self.data_dir}"

    # -- consults -----------------------------------------------------------------------------------

    @_in_words
    def save(self, record: ConsultRecord, event: AuditEvent) -> ConsultRecord:
        key = record.patient_key
        index_path = self.layout.patient_path(key)
        record_path = self.layout.consult_path(record.consult_id)
        rollback = Rollback(self.durable)
        with locked(index_path.parent, self.lock_timeout), table_file(index_path, durable=self.durable) as index:
            old_patient = patient_document_in(index, index_path)
            renamed = old_patient is None or (old_patient["patient_name"], old_patient["patient_id"]) != (
                record.patient_name,
                record.patient_id,
            )
            old_names = self.patients.name_paths(old_patient["patient_name"], key) if old_patient else set()
            new_names = self.patients.name_paths(record.patient_name, key) if renamed else set()
            self.patients.check_name_files(old_names | new_names)
            versions = versions_in(read_tables(record_path), record_path)
            current = versions[-1] if versions else None
            if (current.version if current else 0) != record.version - 1:
                raise VersionConflict(record.consult_id, record.version, current)
            try:
                with rollback.writing(record_path):
                    write_atomic(record_path, dump(versions_tables([*versions, record])), durable=self.durable)
                if renamed:
                    for path in old_names - new_names:
                        self._change_name(rollback, path, key, None)
                    for path in new_names:
                        self._change_name(rollback, path, key, record)
                self._change_waiting(rollback, record)
                index.table(PATIENT).truncate()
                index.table(PATIENT).insert(converters.patient_document(record))
                index.table(CONSULTS).upsert(
                    converters.summary_document(ConsultSummary.of(record)), where("consult_id") == record.consult_id
                )
                with rollback.writing(index_path):
                    index.storage.commit()  # type: ignore[attr-defined]
                self.audit.append(event)
            except (OSError, RecordsError) as error:
                rollback.undo(error)
                raise
        if current is not None and current.patient_key != key:
            self._forget(current.patient_key, record.consult_id)
        return record

    def _change_name(self, rollback: Rollback, path: Path, key: str, record: ConsultRecord | None) -> None:
        before = next(
            (e for e in ((read_tables(path) or {}).get(NAMES) or {}).values() if e.get("patient_key") == key), None
        )

        def undo() -> None:
            self.patients.remove_name(path, key)
            if before is not None:
                self._put_name_document(path, before)

        if record is None:
            self.patients.remove_name(path, key)
        else:
            self.patients.put_name(path, record)
        rollback.step(str(path), undo)

    def _put_name_document(self, path: Path, document: dict[str, Any]) -> None:
        with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as names:
            names.table(NAMES).upsert(document, where("patient_key") == document["patient_key"])

    def _change_waiting(self, rollback: Rollback, record: ConsultRecord) -> None:
        """Keep the "to sign" list in step: the consult is on it while it waits for a signature."""
        path = self.layout.to_sign_file

        def change(summary: dict[str, Any] | None) -> dict[str, Any] | None:
            with locked(path.parent, self.lock_timeout), table_file(path, durable=self.durable, write=True) as db:
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

    @_in_words
    def get(self, consult_id: str, version: int | None = None) -> ConsultRecord | None:
        versions = self._versions(consult_id)
        if not versions:
            return None
        if version is None:
            return versions[-1]
        return versions[version - 1] if 1 <= version <= len(versions) else None

    @_in_words
    def versions(self, consult_id: str) -> list[ConsultRecord]:
        return self._versions(consult_id)

    def _versions(self, consult_id: str) -> list[ConsultRecord]:
        if not is_record_id(consult_id):
            return []
        path = self.layout.consult_path(consult_id)
        return versions_in(read_tables(path), path)

    @_in_words
    def history(self, patient: str) -> list[ConsultSummary]:
        summaries = [s for key in self.patients.resolve(patient) for s in self.patients.summaries(key)]
        return sorted(summaries, key=ConsultSummary.sort_key, reverse=True)

    @_in_words
    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        summaries = self.patients.summaries(patient_key)
        if not summaries:
            return None
        return self.get(max(summaries, key=ConsultSummary.sort_key).consult_id)

    @_in_words
    def recent(self, limit: int = 20) -> Listing:
        listing = Listing([], [])
        try:
            months = sorted((m for m in os.listdir(self.layout.consults) if _MONTH.match(m)), reverse=True)
        except FileNotFoundError:
            return listing
        for month in months:
            names = sorted((p.stem for p in data_files(self.layout.consults / month)), reverse=True)
            for consult_id in names:
                if len(listing.rows) >= limit:
                    return listing
                try:
                    record = self.get(consult_id)
                except DamagedDataFile as damaged:
                    listing.damaged.append(damaged)
                    continue
                if record is not None:
                    listing.rows.append(ConsultSummary.of(record))
        return listing

    @_in_words
    def to_sign(self) -> list[ConsultSummary]:
        path = self.layout.to_sign_file
        with table_file(path, durable=self.durable) as db:
            rows = [converters.summary_from_document(d, path) for d in db.table(WAITING).all()]
        return sorted(rows, key=ConsultSummary.sort_key)

    # -- patients -----------------------------------------------------------------------------------

    @_in_words
    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        return self.patients.find(query, limit)

    @_in_words
    def patient(self, patient_key: str) -> PatientMatch | None:
        """A patient by key, with the number of consults and the latest date."""
        return self.patients.patient(patient_key)

    def _forget(self, key: str, consult_id: str) -> None:
        """Take a consult off a patient's index (it was saved again under another patient)."""
        path = self.layout.patient_path(key)
        with locked(path.parent, self.lock_timeout):
            with table_file(path, durable=self.durable, write=True) as index:
                document = patient_document_in(index, path)
                consults = index.table(CONSULTS)
                consults.remove(where("consult_id") == consult_id)
                left = len(consults)
            if left == 0 and document is not None:
                os.unlink(path)
                for name_path in self.patients.name_paths(document["patient_name"], key):
                    self.patients.remove_name(name_path, key)

    # -- drafts -------------------------------------------------------------------------------------

    @_in_words
    def save_draft(self, draft: Draft) -> str:
        return self.draft_files.save(draft)

    @_in_words
    def get_draft(self, draft_id: str) -> Draft | None:
        return self.draft_files.get(draft_id)

    @_in_words
    def drafts(self) -> list[Draft]:
        drafts, damaged = self.draft_files.listing()
        if damaged:
            raise damaged[0]
        return drafts

    @_in_words
    def draft_listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        return self.draft_files.listing()

    @_in_words
    def delete_draft(self, draft_id: str) -> bool:
        return self.draft_files.delete(draft_id)

    # -- staff --------------------------------------------------------------------------------------

    @_in_words
    def staff(self) -> list[StaffAccount]:
        return self.staff_file.all()

    @_in_words
    def staff_account(self, name: str) -> StaffAccount | None:
        return self.staff_file.get(name)

    @_in_words
    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        with locked(self.layout.staff, self.lock_timeout):
            rollback = Rollback(self.durable)
            with rollback.writing(self.layout.staff_file):
                self.staff_file.put(account)
            if event is not None:
                try:
                    self.audit.append(event)
                except (OSError, RecordsError) as error:
                    rollback.undo(error)
                    raise
        return account

    # -- audit --------------------------------------------------------------------------------------

    @_in_words
    def record_event(self, event: AuditEvent) -> AuditEntry:
        return self.audit.append(event)

    def audit_entries(self, consult_id: str | None = None) -> Iterator[AuditEntry]:
        try:
            yield from self.audit.entries(consult_id)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    @_in_words
    def audit_head(self) -> tuple[int, str] | None:
        return self.audit.head()

    def version_hashes(self) -> Iterator[tuple[str, int, str]]:
        try:
            for month in sorted(os.listdir(self.layout.consults)) if self.layout.consults.is_dir() else []:
                if not _MONTH.match(month):
                    continue
                for path in sorted(data_files(self.layout.consults / month)):
                    for record in versions_in(read_tables(path), path):
                        yield record.consult_id, record.version, record_sha(record)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    # -- bulk ---------------------------------------------------------------------------------------

    @_in_words
    def bulk_load(self, records: Iterable[ConsultRecord], *, actor: str | None = None) -> int:
        """Write many one-version records into an empty data directory at once (benchmarks, imports).

        Writes the same files ``save`` would, audit trail included, without locks or fsync, each
        index file once. Not for a data directory in use: it refuses one that already holds patients.
        """
        if any(self.layout.patients.glob("*/*.json")) or self.audit.head() is not None:
            raise RecordsError(f"bulk_load needs an empty data directory; {self.data_dir} already holds consults.")
        patients: dict[str, tuple[tuple[Any, ...], ConsultRecord, list[dict[str, Any]]]] = {}
        entries: list[AuditEntry] = []
        waiting: list[dict[str, Any]] = []
        for record in records:
            write_atomic(self.layout.consult_path(record.consult_id), dump(versions_tables([record])), durable=False)
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
            patients[record.patient_key] = (newest, latest, summaries)
        names: dict[Path, list[dict[str, Any]]] = {}
        for key, (_, latest, summaries) in patients.items():
            document = converters.patient_document(latest)
            tables = {PATIENT: {"1": document}, CONSULTS: {str(i): s for i, s in enumerate(summaries, 1)}}
            write_atomic(self.layout.patient_path(key), dump(tables), durable=False)
            for path in self.patients.name_paths(latest.patient_name, key):
                names.setdefault(path, []).append(converters.name_entry_document(latest))
        for path, name_entries in names.items():
            write_atomic(path, dump({NAMES: {str(i): e for i, e in enumerate(name_entries, 1)}}), durable=False)
        if waiting:
            write_atomic(
                self.layout.to_sign_file, dump({WAITING: {str(i): s for i, s in enumerate(waiting, 1)}}), durable=False
            )
        self.audit.bulk_write(entries)
        return len(entries)
