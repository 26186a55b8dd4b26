"""``ConsultRepository`` on a PostgreSQL server shared by every workstation of a clinic: each method one
transaction on a pooled connection (SQLAlchemy Core over psycopg 3). Opening the store checks the
schema version, so an old database is said plainly at start, never mid-consult."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

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
from assistant.records.errors import DamagedDataFile
from assistant.records.postgres import audit as audit_rows
from assistant.records.postgres import consults as consult_rows
from assistant.records.postgres import draft_rows, index_rows, look_ups, register_rows, staff_rows, tracing_rows
from assistant.records.postgres import vials as vial_rows
from assistant.records.postgres.connection import check_schema, in_words, make_engine, translated
from assistant.records.postgres.photo_rows import add_with_photos, photo_of
from assistant.records.postgres.url import Address
from assistant.records.repository import Listing

T = TypeVar("T")


class PostgresStore:
    """The consult record on a server (see the module docstring)."""

    def __init__(self, address: Address, *, check: bool = True) -> None:
        self.address = address
        if check:
            check_schema(self.engine, address)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.address)

    @cached_property
    def reads(self) -> Engine:
        """The look-ups' engine: autocommit (no BEGIN and ROLLBACK round trips); streamed reads keep one."""
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def describe(self) -> str:
        return self.address.where

    def _read(self, read: Callable[..., T], *args: Any) -> T:
        with self.reads.connect() as connection:
            return read(connection, *args)

    def close(self) -> None:
        self.engine.dispose()

    # -- consults -----------------------------------------------------------------------------------

    @translated
    def save(self, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()) -> ConsultRecord:
        with self.engine.begin() as connection:
            return consult_rows.save(connection, record, event, draws)

    @translated
    def add_photos(self, record: ConsultRecord, event: AuditEvent, photos: Sequence[PhotoBytes]) -> ConsultRecord:
        return add_with_photos(self.engine, record, event, photos)  # bytes and version: one transaction

    @translated
    def photo(self, sha256: str) -> PhotoBytes | None:
        return photo_of(self.reads, sha256)

    @translated
    def get(self, consult_id: str, version: int | None = None) -> ConsultRecord | None:
        if not is_record_id(consult_id):
            return None
        with self.reads.connect() as connection:
            if version is None:
                return consult_rows.latest(connection, consult_id)
            return consult_rows.version_of(connection, consult_id, version)

    @translated
    def versions(self, consult_id: str) -> list[ConsultRecord]:
        if not is_record_id(consult_id):
            return []
        return self._read(consult_rows.every_version, consult_id)

    @translated
    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        return self._read(look_ups.find_patients, query, limit)

    @translated
    def history(self, patient: str) -> list[ConsultSummary]:
        return self._read(look_ups.history, [patient])

    @translated
    def history_page(self, patients: Sequence[str], before: DayKey | None, limit: int) -> list[ConsultSummary]:
        return self._read(look_ups.history, patients, before, limit)

    @translated
    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        return self._read(look_ups.last_for_patient, patient_key)

    @translated
    def recent(self, limit: int = 20, before: str | None = None) -> Listing:
        with self.reads.connect() as connection:
            return Listing(look_ups.recent(connection, limit, before), [])

    @translated
    def to_sign(self) -> list[ConsultSummary]:
        return self._read(look_ups.to_sign)

    @translated
    def to_sign_page(self, after: DayKey | None, limit: int) -> list[ConsultSummary]:
        return self._read(look_ups.to_sign, after, limit)

    @translated
    def to_give_page(self, after: DayKey | None, limit: int | None) -> list[ConsultSummary]:
        with self.engine.connect() as connection:
            return look_ups.to_give(connection, after, limit)

    # -- the patient register -----------------------------------------------------------------------

    @translated
    def registered(self, patient_key: str) -> Patient | None:
        return self._read(register_rows.get, patient_key)

    @translated
    def register_candidates(self, name: str, clinic_number: str | None) -> list[Patient]:
        return self._read(register_rows.candidates, name, clinic_number)

    @translated
    def patients_born(self, date_of_birth: dt.date) -> list[Patient]:
        return self._read(register_rows.born, date_of_birth)

    @translated
    def save_patients(self, patients: Sequence[Patient], event: AuditEvent | None) -> None:
        register_rows.save(self.engine, patients, event)

    # -- drafts -------------------------------------------------------------------------------------

    @translated
    def save_draft(self, draft: Draft) -> str:
        with self.engine.begin() as connection:
            return draft_rows.put(connection, draft)

    @translated
    def get_draft(self, draft_id: str) -> Draft | None:
        with self.reads.connect() as connection:
            return draft_rows.get(connection, draft_id) if is_record_id(draft_id) else None

    @translated
    def draft_listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        return self._read(draft_rows.listing)

    def drafts(self) -> list[Draft]:
        return draft_rows.all_readable(self.draft_listing())

    @translated
    def delete_draft(self, draft_id: str) -> bool:
        with self.engine.begin() as connection:
            return draft_rows.delete(connection, draft_id)

    # -- staff --------------------------------------------------------------------------------------

    @translated
    def staff(self) -> list[StaffAccount]:
        return self._read(staff_rows.every)

    @translated
    def staff_account(self, name: str) -> StaffAccount | None:
        return self._read(staff_rows.get, name)

    @translated
    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        with self.engine.begin() as connection:
            return staff_rows.save(connection, account, event)

    @translated
    def check_pin(self, name: str, decide: Callable[[StaffAccount], PinAttempt]) -> PinAttempt | None:
        return staff_rows.check_pin(self.engine, name, decide)

    @translated
    def add_staff(
        self, account: StaffAccount, event: AuditEvent, check: Callable[[list[StaffAccount]], None]
    ) -> StaffAccount:
        return staff_rows.add(self.engine, account, event, check)

    # -- vials and what was given from them ---------------------------------------------------------

    @translated
    def save_vial(self, vial: Vial, event: AuditEvent) -> Vial:
        with self.engine.begin() as connection:
            vial_rows.put(connection, vial)
            audit_rows.append(connection, event)
        return vial

    @translated
    def vial(self, vial_id: str) -> Vial | None:
        return self._read(vial_rows.get, vial_id)

    @translated
    def vials(self, open_only: bool = False) -> list[Vial]:
        return self._read(vial_rows.listing, open_only)

    @translated
    def recall(self, lot: str) -> list[RecallRow]:
        return self._read(tracing_rows.recall, lot)

    @translated
    def recall_page(self, lot: str, before: DayKey | None, limit: int) -> list[RecallRow]:
        return self._read(tracing_rows.recall, lot, before, limit)

    @translated
    def treatments(self, start: dt.date, end: dt.date, *, lots: bool = True) -> list[Treatment]:
        return self._read(tracing_rows.between, start, end, lots)

    @translated
    def treatments_of(self, patient_keys: Sequence[str], start: dt.date, end: dt.date) -> list[Treatment]:
        return self._read(tracing_rows.of_patients, patient_keys, start, end)

    @translated
    def due_batches(self, asked: Sequence[BatchAsked], limit: int, later_until: dt.date) -> list[TreatmentBatch]:
        with self.reads.connect() as connection:  # one connection for the page's batches
            return [tracing_rows.due_batch(connection, one, limit, later_until) for one in asked]

    # -- audit --------------------------------------------------------------------------------------

    @translated
    def record_event(self, event: AuditEvent) -> AuditEntry:
        with self.engine.begin() as connection:
            return audit_rows.append(connection, event)

    def audit_entries(
        self, consult_id: str | None = None, damaged: list[DamagedDataFile] | None = None
    ) -> Iterator[AuditEntry]:
        return self._streamed(lambda connection: audit_rows.entries(connection, consult_id, damaged))

    def _streamed(self, read: Callable[[Connection], Iterator[T]]) -> Iterator[T]:
        try:
            with self.engine.connect() as connection:
                yield from read(connection)
        except SQLAlchemyError as error:
            raise in_words(self.address, error) from None

    @translated
    def audit_head(self) -> tuple[int, str] | None:
        return self._read(audit_rows.head)

    @translated
    def script_approval(self, sha256: str) -> AuditEntry | None:
        return self._read(audit_rows.approval, sha256)

    def version_hashes(self, damaged: list[DamagedDataFile] | None = None) -> Iterator[tuple[str, int, str]]:
        """Hashes of the records as in the table now (recomputed: an edited row shows); ``damaged``: unread rows."""
        return self._streamed(lambda connection: consult_rows.version_hashes(connection, damaged))

    # -- the derived look-ups (``index_rows.py``) ----------------------------------------------------

    def latest_records(self) -> Iterator[ConsultRecord]:
        return self._streamed(index_rows.latest_records)

    @translated
    def registered_patients(self) -> list[Patient]:
        with self.engine.connect() as connection:
            return index_rows.registered(connection)

    @translated
    def index_entries(self) -> list[IndexEntry]:
        with self.engine.connect() as connection:
            return index_rows.entries(connection)

    @translated
    def rebuild_indexes(self, event: Callable[[list[str]], AuditEvent]) -> list[str]:
        with self.engine.begin() as connection:
            return index_rows.rebuild(connection, event)
