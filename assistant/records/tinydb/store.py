"""The consult record in TinyDB files: many small files, so that 100,000 consults cost what ten do.
One TinyDB JSON file is read and rewritten whole on every operation, so nothing here lets a file
grow with the number of consults (the layout is in ``layout.py``; directories 0700, files 0600).

Every write goes through ``atomic.AtomicJSONStorage`` (temp file, fsync, ``os.replace``), so a kill
leaves each file old or new, never truncated. ``save`` takes the patient's index lock, reads and checks
everything it will change (a damaged file stops the save before anything is written), checks the
version (``VersionConflict`` if another terminal saved first) and the vials' draws, takes the trail's
lock and chains the entry, writes the journal, then the consult's versions file, the name index, the
vials, the "to sign" and "to give" lists, the lot and day indexes, the patient's index, the audit entry.
A failure part-way takes back what was written (``rollback.py``); a kill part-way leaves the save's
journal, from which the next opening of the folder finishes it or undoes it (``journal.py``).

Two processes saving at once lose nothing: every shared file is changed only under its folder's
lock. Locks are taken patient folder first, then the vials, the audit trail, then name folders,
the "to sign" list and the lot and day indexes (each held only for its own write), never the other
way, so two terminals cannot deadlock; readers take no lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent
from assistant.core.lifecycle.due_pages import BatchAsked, TreatmentBatch
from assistant.core.lifecycle.ids import is_record_id
from assistant.core.lifecycle.indexes import IndexEntry
from assistant.core.lifecycle.listing import ConsultSummary, Draft, PatientMatch
from assistant.core.lifecycle.pages import DayKey
from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.core.lifecycle.pin_attempts import PinAttempt
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Patient
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.tracing import RecallRow, Treatment
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import DamagedDataFile, DataFolderUnusable
from assistant.records.repository import Listing
from assistant.records.tinydb import bulk, index_files, listings, recovery, saving, staff_changes, vial_saving
from assistant.records.tinydb.added_indexes import build_on_opening
from assistant.records.tinydb.converters import TO_GIVE
from assistant.records.tinydb.folder import DataFolder
from assistant.records.tinydb.in_words import in_words


class TinyDBStore(DataFolder):
    """``ConsultRepository`` over small TinyDB files in ``data_dir``; the folder's parts are ``DataFolder``'s."""

    def __init__(self, data_dir: Path | str | None = None, *, durable: bool = True, lock_timeout: float = 30.0):
        """``durable=False`` skips fsync (tests, bulk loads): still atomic, but not power-cut proof."""
        super().__init__(data_dir, durable=durable, lock_timeout=lock_timeout)
        self.recovered: list[str] = recovery.recover_on_opening(self)
        """What was finished (or undone) of the saves a kill left half-done, in words."""
        self.built: list[str] = build_on_opening(self)
        """The indexes a folder kept before them was given on opening, in words (also in the log)."""

    def describe(self) -> str:
        """Where the record is, in words (for messages and ``db status``)."""
        return f"the data folder {self.data_dir}"

    # -- consults -----------------------------------------------------------------------------------

    @in_words
    def save(self, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()) -> ConsultRecord:
        return saving.save(self, record, event, draws)

    @in_words
    def add_photos(self, record: ConsultRecord, event: AuditEvent, photos: Sequence[PhotoBytes]) -> ConsultRecord:
        self.photo_files.put(photos)  # before the version that names them (``photo_files.py``)
        return saving.save(self, record, event)

    @in_words
    def photo(self, sha256: str) -> PhotoBytes | None:
        return self.photo_files.get(sha256)

    @in_words
    def get(self, consult_id: str, version: int | None = None) -> ConsultRecord | None:
        versions = self._versions(consult_id)
        if not versions or version is None:
            return versions[-1] if versions else None
        return versions[version - 1] if 1 <= version <= len(versions) else None

    @in_words
    def versions(self, consult_id: str) -> list[ConsultRecord]:
        return self._versions(consult_id)

    def _versions(self, consult_id: str) -> list[ConsultRecord]:
        if not is_record_id(consult_id):
            return []
        return self.versions_at(self.layout.consult_path(consult_id))

    @in_words
    def history(self, patient: str) -> list[ConsultSummary]:
        summaries = [s for key in self.patients.resolve(patient) for s in self.patients.summaries(key)]
        return sorted(summaries, key=ConsultSummary.sort_key, reverse=True)

    @in_words
    def history_page(self, patients: Sequence[str], before: DayKey | None, limit: int) -> list[ConsultSummary]:
        return listings.history(self, patients, before, limit)

    @in_words
    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        summaries = self.patients.summaries(patient_key)
        if not summaries:
            return None
        return self.get(max(summaries, key=ConsultSummary.sort_key).consult_id)

    @in_words
    def recent(self, limit: int = 20, before: str | None = None) -> Listing:
        return listings.recent(self, limit, before)

    @in_words
    def to_sign(self) -> list[ConsultSummary]:
        return listings.to_sign(self)

    @in_words
    def to_sign_page(self, after: DayKey | None, limit: int) -> list[ConsultSummary]:
        return listings.to_sign(self, after, limit)

    @in_words
    def to_give_page(self, after: DayKey | None, limit: int | None) -> list[ConsultSummary]:
        return listings.to_sign(self, after, limit, TO_GIVE)

    # -- patients -----------------------------------------------------------------------------------

    @in_words
    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        return self.patients.find(query, limit)

    @in_words
    def patient(self, patient_key: str) -> PatientMatch | None:
        """A patient by key, with the number of consults and the latest date."""
        return self.patients.patient(patient_key)

    # -- the patient register -----------------------------------------------------------------------

    @in_words
    def registered(self, patient_key: str) -> Patient | None:
        return self.register.registered(patient_key)

    @in_words
    def register_candidates(self, name: str, clinic_number: str | None) -> list[Patient]:
        return self.register.all_candidates(name, clinic_number)

    @in_words
    def patients_born(self, date_of_birth: dt.date) -> list[Patient]:
        return self.register.files.born_on(date_of_birth)

    @in_words
    def save_patients(self, patients: Sequence[Patient], event: AuditEvent | None) -> None:
        self.register.save(patients, event)

    # -- drafts -------------------------------------------------------------------------------------

    @in_words
    def save_draft(self, draft: Draft) -> str:
        return self.draft_files.save(draft)

    @in_words
    def get_draft(self, draft_id: str) -> Draft | None:
        return self.draft_files.get(draft_id)

    @in_words
    def drafts(self) -> list[Draft]:
        drafts, damaged = self.draft_files.listing()
        if damaged:
            raise damaged[0]
        return drafts

    @in_words
    def draft_listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        return self.draft_files.listing()

    @in_words
    def delete_draft(self, draft_id: str) -> bool:
        return self.draft_files.delete(draft_id)

    # -- staff --------------------------------------------------------------------------------------

    @in_words
    def staff(self) -> list[StaffAccount]:
        return self.staff_file.all()

    @in_words
    def staff_account(self, name: str) -> StaffAccount | None:
        return self.staff_file.get(name)

    @in_words
    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        return staff_changes.save(self, account, event)

    @in_words
    def check_pin(self, name: str, decide: Callable[[StaffAccount], PinAttempt]) -> PinAttempt | None:
        return staff_changes.check_pin(self, name, decide)

    @in_words
    def add_staff(
        self, account: StaffAccount, event: AuditEvent, check: Callable[[list[StaffAccount]], None]
    ) -> StaffAccount:
        return staff_changes.add(self, account, event, check)

    # -- vials and what was given from them ----------------------------------------------------------

    @in_words
    def save_vial(self, vial: Vial, event: AuditEvent) -> Vial:
        return vial_saving.save_vial(self, vial, event)

    @in_words
    def vial(self, vial_id: str) -> Vial | None:
        return self.vial_files.get(vial_id)

    @in_words
    def vials(self, open_only: bool = False) -> list[Vial]:
        if open_only:
            found = [self.vial_files.get(v) for v in self.vial_files.open_ids()]
            vials = [v for v in found if v is not None and v.state == "open"]
        else:
            vials = self.vial_files.all()
        return sorted(vials, key=lambda v: (v.opened_at, v.vial_id))

    @in_words
    def recall(self, lot: str) -> list[RecallRow]:
        return listings.recall(self, lot)

    @in_words
    def recall_page(self, lot: str, before: DayKey | None, limit: int) -> list[RecallRow]:
        return listings.recall(self, lot, before, limit)

    @in_words
    def treatments(self, start: dt.date, end: dt.date, *, lots: bool = True) -> list[Treatment]:
        return self.tracing.between(start, end)

    @in_words
    def treatments_of(self, patient_keys: Sequence[str], start: dt.date, end: dt.date) -> list[Treatment]:
        wanted = set(patient_keys)
        return [t for t in self.tracing.between(start, end) if t.patient_key in wanted] if wanted else []

    @in_words
    def due_batches(self, asked: Sequence[BatchAsked], limit: int, later_until: dt.date) -> list[TreatmentBatch]:
        return [listings.due_batch(self, one, limit, later_until) for one in asked]

    # -- audit --------------------------------------------------------------------------------------

    @in_words
    def record_event(self, event: AuditEvent) -> AuditEntry:
        return self.audit.append(event)

    def audit_entries(
        self, consult_id: str | None = None, damaged: list[DamagedDataFile] | None = None
    ) -> Iterator[AuditEntry]:
        try:
            yield from self.audit.entries(consult_id, damaged)
        except OSError as error:
            raise DataFolderUnusable(self.data_dir, error) from error

    @in_words
    def audit_head(self) -> tuple[int, str] | None:
        return self.audit.head()

    @in_words
    def script_approval(self, sha256: str) -> AuditEntry | None:
        return self.approvals.approval(sha256)

    # -- the derived indexes (``index_files.py``) ---------------------------------------------------

    @in_words
    def registered_patients(self) -> list[Patient]:
        return self.register.files.all()

    @in_words
    def index_entries(self) -> list[IndexEntry]:
        return index_files.entries(self.layout, self.register.files)

    @in_words
    def rebuild_indexes(self, event: Callable[[list[str]], AuditEvent]) -> list[str]:
        return index_files.rebuild(self, event)

    # -- bulk ---------------------------------------------------------------------------------------

    def bulk_load(self, records: Iterable[ConsultRecord], *, actor: str | None = None) -> int:
        """Write many one-version records into an empty data directory at once (see ``bulk.py``)."""
        return bulk.bulk_load(self, records, actor=actor)
