"""The consult record as the rest of the program uses it: one interface, pydantic in and out.

Two stores implement it: TinyDB files in a data folder (``tinydb/``, the embedded default) and a
PostgreSQL server shared by several workstations (``postgres/``). Both pass the same contract tests
(``tests/records_contract.py``), and nothing that uses the interface knows which one it has.
Stores raise only the errors in ``assistant.records.errors``.

A consult is kept as versions; ``save`` appends one, and its audit entry in the same step. Stores
keep what they are given: the rules (who may change what, and how) are in ``assistant.core.lifecycle``
and applied by ``assistant.services`` before anything reaches a store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent
from assistant.core.lifecycle.due_pages import BatchAsked, TreatmentBatch
from assistant.core.lifecycle.indexes import IndexEntry
from assistant.core.lifecycle.listing import (
    ConsultSummary,
    Draft,
    PatientHistory,
    PatientMatch,
    PriorTreatment,
    prior_from,
)
from assistant.core.lifecycle.pages import DayKey
from assistant.core.lifecycle.photo_rules import PhotoBytes
from assistant.core.lifecycle.pin_attempts import PinAttempt
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Patient
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.tracing import RecallRow, Treatment
from assistant.core.lifecycle.vials import Vial
from assistant.records.errors import ConsultNotFound, DamagedDataFile


class Listing(NamedTuple):
    """Consults listed, and the records that could not be read (named, left as they are)."""

    rows: list[ConsultSummary]
    damaged: list[DamagedDataFile]


@runtime_checkable
class ConsultRepository(Protocol):
    # -- consults and their versions ----------------------------------------------------------------

    def save(self, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()) -> ConsultRecord:
        """Keep a record version and its audit entry, together, and take ``draws`` ((vial id, units))
        from the vials.

        Version 1 starts a consult (``VersionConflict`` if its id is taken); version N follows N-1
        only (``VersionConflict``, carrying the record as it stands, when another workstation got
        there first); a draw from a closed vial or one holding too few units is a ``VialConflict``.
        Nothing is written when it fails.
        """
        ...

    def get(self, consult_id: str, version: int | None = None) -> ConsultRecord | None:
        """The newest version (or version ``version``), or None (also for a string that is not an id)."""
        ...

    def versions(self, consult_id: str) -> list[ConsultRecord]:
        """Every version of a consult, oldest first (empty when there is none)."""
        ...

    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        """Patients whose id is ``query`` (exactly, any case), then those whose name matches it.

        A name matches when every word of the query starts a word of the name, case-insensitively
        ("kim", "ji kim" and "KIM JI-W" all find "Kim Ji-woo"). Exact names come first, then by name.
        """
        ...

    def patients_born(self, date_of_birth: dt.date) -> list[Patient]:
        """Registered patients born that day, merged ones too (the caller follows them), by key: one
        look-up of the register's by-date-of-birth index, however large the register."""
        ...

    def history(self, patient: str) -> list[ConsultSummary]:
        """Consults of a patient, newest first, each once at its latest version.

        ``patient`` is a ``patient_key`` (from a ``PatientMatch``), or a query: an exact patient id
        gives that patient; otherwise the patients with exactly that name, or failing those, every
        patient ``find_patients`` would find.
        """
        ...

    def history_page(self, patients: Sequence[str], before: DayKey | None, limit: int) -> list[ConsultSummary]:
        """A page of ``history``: the consults of every patient each of ``patients`` names (a key or
        a query, as for ``history``), newest first, older than ``before`` (date, consult id), at most
        ``limit``."""
        ...

    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        """The patient's newest record (by consult date), whatever its status."""
        ...

    def recent(self, limit: int = 20, before: str | None = None) -> Listing:
        """The most recently started consults of all patients, newest first (started before the
        consult ``before`` when given); damaged records named."""
        ...

    def to_sign(self) -> list[ConsultSummary]:
        """Consults waiting for a signature (given and unsigned, or waiting for a co-signature), oldest first."""
        ...

    def to_sign_page(self, after: DayKey | None, limit: int) -> list[ConsultSummary]:
        """A page of ``to_sign``: those after ``after`` (date, consult id), at most ``limit``."""
        ...

    def to_give_page(self, after: DayKey | None, limit: int | None) -> list[ConsultSummary]:
        """Consults planned with doses and nothing given yet, oldest first, after ``after`` (date,
        consult id), at most ``limit`` (None: all)."""
        ...

    # -- photos -------------------------------------------------------------------------------------

    def add_photos(self, record: ConsultRecord, event: AuditEvent, photos: Sequence[PhotoBytes]) -> ConsultRecord:
        """``save`` of a version adding photos (``core.lifecycle.photo_rules``), with their bytes: the
        version is never kept without them (PostgreSQL: one transaction; TinyDB: the files first)."""
        ...

    def photo(self, sha256: str) -> PhotoBytes | None:
        """The photo kept under ``sha256`` as the store holds it now (an edited one reads edited, for
        ``audit verify`` to re-hash), or None."""
        ...

    # -- drafts -------------------------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> str:
        """Keep (or replace) an unfinished consult; returns its id."""
        ...

    def get_draft(self, draft_id: str) -> Draft | None: ...

    def drafts(self) -> list[Draft]:
        """Unfinished consults, most recently updated first (a damaged one raises ``DamagedDataFile``;
        ``draft_listing`` lists the others and names it)."""
        ...

    def draft_listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        """Every readable draft (newest first) and the damaged ones, named."""
        ...

    def delete_draft(self, draft_id: str) -> bool:
        """Forget a draft (once its consult is saved or abandoned); False when there was none."""
        ...

    # -- staff --------------------------------------------------------------------------------------

    def staff(self) -> list[StaffAccount]:
        """Every account, enabled or not, by name."""
        ...

    def staff_account(self, name: str) -> StaffAccount | None:
        """The account of ``name`` (compared as names are: case and spacing do not matter)."""
        ...

    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        """Add (revision 1) or change (revision N after N-1) an account, and append ``event`` with it.

        ``StaffConflict`` when the name is taken or the account changed meanwhile.
        """
        ...

    def check_pin(self, name: str, decide: Callable[[StaffAccount], PinAttempt]) -> PinAttempt | None:
        """Read ``name``'s account, ``decide`` what a PIN attempt does to it, and keep that (the
        changed account and its audit entry) as one step: no other ``check_pin`` or change of the
        account, in this process, another one or on another workstation, comes between the read
        and the write. N attempts at once are N attempts in a row. None when there is no account.
        """
        ...

    def add_staff(
        self, account: StaffAccount, event: AuditEvent, check: Callable[[list[StaffAccount]], None]
    ) -> StaffAccount:
        """Add a new account (revision 1) with its audit entry, after ``check`` has seen every
        account as it is at that moment and not objected (it raises to refuse): two accounts added
        at once are added one after the other, and the second is checked against the first (two
        "first" medical directors: one wins). ``StaffConflict`` when the name is taken.
        """
        ...

    # -- vials and what was given from them -------------------------------------------------------

    def save_vial(self, vial: Vial, event: AuditEvent) -> Vial:
        """Open (revision 1) or change (revision N after N-1) a vial, with its audit entry."""
        ...

    def vial(self, vial_id: str) -> Vial | None: ...

    def vials(self, open_only: bool = False) -> list[Vial]:
        """Vials by opening time, oldest first."""
        ...

    def recall(self, lot: str) -> list[RecallRow]:
        """Every patient who received ``lot`` (any case or spacing), newest first."""
        ...

    def recall_page(self, lot: str, before: DayKey | None, limit: int) -> list[RecallRow]:
        """A page of ``recall``: rows older than ``before`` (date, consult id), at most ``limit``."""
        ...

    def treatments(self, start: dt.date, end: dt.date, *, lots: bool = True) -> list[Treatment]:
        """Consults with doses recorded as given, dated from ``start`` to ``end`` (both included);
        ``lots=False``: without the units per lot (``lots`` empty), which who-is-due does not need."""
        ...

    def treatments_of(self, patient_keys: Sequence[str], start: dt.date, end: dt.date) -> list[Treatment]:
        """The treatments of these patients dated from ``start`` to ``end`` (without the units per lot)."""
        ...

    def due_batches(self, asked: Sequence[BatchAsked], limit: int, later_until: dt.date) -> list[TreatmentBatch]:
        """For each batch asked: the treatments after its ``start`` (date, consult id) and dated up to
        its ``end``, in (date, consult id) order, at most ``limit``, without the units per lot
        (``full_only``: no touch-ups); with them, when the batch asks for ``later``, every treatment
        of the same patients from the first one's date to ``later_until``. Who is due reads its
        pages from these (``services.due_pages``), a stream's batch when the page needs it."""
        ...

    # -- the audit trail ----------------------------------------------------------------------------

    def record_event(self, event: AuditEvent) -> AuditEntry:
        """Append an event that changes no record (printed, exported, a wrong PIN)."""
        ...

    def audit_entries(
        self, consult_id: str | None = None, damaged: list[DamagedDataFile] | None = None
    ) -> Iterator[AuditEntry]:
        """The trail in order (of one consult, or all). A file or row that cannot be read raises
        ``DamagedDataFile``; with ``damaged``, it is put there instead and the rest is still read."""
        ...

    def audit_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last entry written, as the store keeps it apart from the entries."""
        ...

    def script_approval(self, sha256: str) -> AuditEntry | None:
        """The latest ``script approved`` entry for a script file's SHA-256 (each save asks: never the whole trail)"""
        ...

    def version_hashes(self, damaged: list[DamagedDataFile] | None = None) -> Iterator[tuple[str, int, str]]:
        """(consult id, version, content hash) of every record version kept, for ``audit verify``;
        ``damaged`` as for ``audit_entries``."""
        ...

    # -- the derived indexes (``core.lifecycle.indexes``) -------------------------------------------

    def latest_records(self) -> Iterator[ConsultRecord]:
        """The latest version of every consult, read from the records themselves (not an index)."""
        ...

    def registered_patients(self) -> list[Patient]:
        """Every entry of the patient register, read from the entries themselves (not a look-up)."""
        ...

    def index_entries(self) -> list[IndexEntry]:
        """Every entry of the store's derived indexes, as it holds them, for ``audit verify``."""
        ...

    def rebuild_indexes(self, event: Callable[[list[str]], AuditEvent]) -> list[str]:
        """Write every derived index again from the records, with nothing saved meanwhile, and append
        ``event(what was wrong)``; returns what was wrong (``index_check`` sentences)."""
        ...


def require(repository: ConsultRepository, consult_id: str, version: int | None = None) -> ConsultRecord:
    """``get`` that raises ``ConsultNotFound`` (with a message for the practitioner) instead of None."""
    record = repository.get(consult_id, version)
    if record is None:
        raise ConsultNotFound(consult_id if version is None else f"{consult_id} version {version}")
    return record


def prior_treatment(repository: ConsultRepository, patient_key: str) -> PriorTreatment | None:
    """Date and zones of the patient's newest consult that treated something, to pre-fill a new one."""
    history = patient_history(repository, patient_key)
    return history.prior if history else None


def patient_history(repository: ConsultRepository, patient_key: str) -> PatientHistory | None:
    """Everything a returning patient's screen shows: consults, last record, last treatment."""
    consults = repository.history(patient_key)
    if not consults:
        return None
    newest = consults[0]
    last = repository.get(newest.consult_id)
    patient = PatientMatch(
        patient_key=newest.patient_key,
        patient_name=newest.patient_name,
        patient_id=newest.patient_id,
        consults=len(consults),
        last_date=newest.date,
    )
    return PatientHistory(patient=patient, consults=tuple(consults), last=last, prior=prior_from(consults))
