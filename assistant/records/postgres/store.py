"""``ConsultRepository`` on a PostgreSQL server shared by every workstation of a clinic.

Each method is one transaction on a pooled connection (SQLAlchemy Core over psycopg 3). Opening
the store checks the schema version, so an old database is said plainly at start, never mid-consult.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property

from pydantic import ValidationError
from sqlalchemy import Engine, Text, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.lifecycle.audit import AuditEntry, AuditEvent, record_sha
from assistant.core.lifecycle.ids import is_record_id, normalise_name
from assistant.core.lifecycle.indexes import IndexEntry
from assistant.core.lifecycle.listing import ConsultSummary, Draft, PatientMatch
from assistant.core.lifecycle.pin_attempts import PinAttempt
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.register import Patient
from assistant.core.lifecycle.staff import StaffAccount
from assistant.core.lifecycle.tracing import RecallRow, Treatment
from assistant.core.lifecycle.vials import Vial, lot_key
from assistant.records.errors import DamagedDataFile, DamagedRecord, StaffConflict
from assistant.records.postgres import audit as audit_rows
from assistant.records.postgres import consults as consult_rows
from assistant.records.postgres import index_rows, look_ups, register_rows, staff_rows
from assistant.records.postgres import vials as vial_rows
from assistant.records.postgres.connection import check_schema, in_words, make_engine, translated
from assistant.records.postgres.schema import consult_versions, drafts, staff, treatment_lots, treatments
from assistant.records.postgres.url import Address
from assistant.records.repository import Listing


class PostgresStore:
    """The consult record on a server (see the module docstring)."""

    def __init__(self, address: Address, *, check: bool = True) -> None:
        self.address = address
        if check:
            check_schema(self.engine, address)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.address)

    def describe(self) -> str:
        return self.address.where

    def close(self) -> None:
        self.engine.dispose()

    # -- consults -----------------------------------------------------------------------------------

    @translated
    def save(self, record: ConsultRecord, event: AuditEvent, draws: Sequence[tuple[str, float]] = ()) -> ConsultRecord:
        with self.engine.begin() as connection:
            return consult_rows.save(connection, record, event, draws)

    @translated
    def get(self, consult_id: str, version: int | None = None) -> ConsultRecord | None:
        if not is_record_id(consult_id):
            return None
        with self.engine.connect() as connection:
            if version is None:
                return consult_rows.latest(connection, consult_id)
            row = connection.execute(
                select(consult_versions.c.record).where(
                    consult_versions.c.consult_id == consult_id, consult_versions.c.version == version
                )
            ).first()
            return consult_rows.record_from(row.record, consult_id, version) if row else None

    @translated
    def versions(self, consult_id: str) -> list[ConsultRecord]:
        if not is_record_id(consult_id):
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(consult_versions.c.record, consult_versions.c.version)
                .where(consult_versions.c.consult_id == consult_id)
                .order_by(consult_versions.c.version)
            )
            return [consult_rows.record_from(r.record, consult_id, r.version) for r in rows]

    @translated
    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        with self.engine.connect() as connection:
            return look_ups.find_patients(connection, query, limit)

    @translated
    def history(self, patient: str) -> list[ConsultSummary]:
        with self.engine.connect() as connection:
            return look_ups.history(connection, patient)

    @translated
    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        with self.engine.connect() as connection:
            return look_ups.last_for_patient(connection, patient_key)

    @translated
    def recent(self, limit: int = 20) -> Listing:
        with self.engine.connect() as connection:
            return Listing(look_ups.recent(connection, limit), [])

    @translated
    def to_sign(self) -> list[ConsultSummary]:
        with self.engine.connect() as connection:
            return look_ups.to_sign(connection)

    # -- the patient register -----------------------------------------------------------------------

    @translated
    def registered(self, patient_key: str) -> Patient | None:
        with self.engine.connect() as connection:
            return register_rows.get(connection, patient_key)

    @translated
    def register_candidates(self, name: str, clinic_number: str | None) -> list[Patient]:
        with self.engine.connect() as connection:
            return register_rows.candidates(connection, name, clinic_number)

    @translated
    def save_patients(self, patients: Sequence[Patient], event: AuditEvent | None) -> None:
        register_rows.save(self.engine, patients, event)

    # -- drafts -------------------------------------------------------------------------------------

    @translated
    def save_draft(self, draft: Draft) -> str:
        with self.engine.begin() as connection:
            document = draft.model_dump(mode="json")
            connection.execute(
                insert(drafts)
                .values(draft_id=draft.draft_id, updated_at=draft.updated_at, draft=document)
                .on_conflict_do_update(
                    index_elements=["draft_id"], set_={"updated_at": draft.updated_at, "draft": document}
                )
            )
        return draft.draft_id

    def _draft(self, draft_id: str, document: object) -> Draft:
        try:
            return Draft.model_validate(document)
        except ValidationError as error:
            raise DamagedRecord(f"draft {draft_id} on the record server", error.errors()[0]["msg"]) from None

    @translated
    def get_draft(self, draft_id: str) -> Draft | None:
        if not is_record_id(draft_id):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(drafts.c.draft).where(drafts.c.draft_id == draft_id)).first()
        return self._draft(draft_id, row.draft) if row else None

    @translated
    def draft_listing(self) -> tuple[list[Draft], list[DamagedDataFile]]:
        found: list[Draft] = []
        damaged: list[DamagedDataFile] = []
        with self.engine.connect() as connection:
            rows = connection.execute(select(drafts.c.draft_id, drafts.c.draft).order_by(drafts.c.updated_at.desc()))
            for row in rows:
                try:
                    found.append(self._draft(row.draft_id, row.draft))
                except DamagedRecord as error:
                    damaged.append(error)
        return found, damaged

    def drafts(self) -> list[Draft]:
        found, damaged = self.draft_listing()
        if damaged:
            raise damaged[0]
        return found

    @translated
    def delete_draft(self, draft_id: str) -> bool:
        with self.engine.begin() as connection:
            return bool(connection.execute(drafts.delete().where(drafts.c.draft_id == draft_id)).rowcount)

    # -- staff --------------------------------------------------------------------------------------

    def _account(self, document: object, key: str) -> StaffAccount:
        try:
            return StaffAccount.model_validate(document)
        except ValidationError as error:
            raise DamagedRecord(f"staff account {key} on the record server", error.errors()[0]["msg"]) from None

    @translated
    def staff(self) -> list[StaffAccount]:
        with self.engine.connect() as connection:
            return [self._account(r.account, r.key) for r in connection.execute(select(staff).order_by(staff.c.key))]

    @translated
    def staff_account(self, name: str) -> StaffAccount | None:
        key = normalise_name(name)
        with self.engine.connect() as connection:
            row = connection.execute(select(staff.c.account).where(staff.c.key == key)).first()
        return self._account(row.account, key) if row else None

    @translated
    def save_staff(self, account: StaffAccount, event: AuditEvent | None) -> StaffAccount:
        document = account.model_dump(mode="json")
        with self.engine.begin() as connection:
            if account.revision == 1:
                done = connection.execute(
                    insert(staff)
                    .values(key=account.key, revision=1, account=document)
                    .on_conflict_do_nothing()
                    .returning(staff.c.key)
                ).first()
            else:
                done = connection.execute(
                    staff.update()
                    .where(staff.c.key == account.key, staff.c.revision == account.revision - 1)
                    .values(revision=account.revision, account=document)
                ).rowcount
            if not done:
                raise StaffConflict(account.name, exists=account.revision == 1)
            if event is not None:
                audit_rows.append(connection, event)
        return account

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
        with self.engine.connect() as connection:
            return vial_rows.get(connection, vial_id)

    @translated
    def vials(self, open_only: bool = False) -> list[Vial]:
        with self.engine.connect() as connection:
            return vial_rows.listing(connection, open_only)

    @translated
    def recall(self, lot: str) -> list[RecallRow]:
        with self.engine.connect() as connection:
            c = treatments.c
            rows = connection.execute(
                select(c.patient_name, c.patient_id, c.consult_id, c.date, c.zones, c.given_by, treatment_lots.c.units)
                .join(treatment_lots, treatment_lots.c.consult_id == treatments.c.consult_id)
                .where(treatment_lots.c.lot_key == lot_key(lot))
                .order_by(treatments.c.date.desc(), treatments.c.consult_id.desc())
            )
            return [
                RecallRow.model_construct(
                    patient_name=r.patient_name,
                    patient_id=r.patient_id,
                    consult_id=r.consult_id,
                    date=r.date,
                    zones=tuple(r.zones),
                    units=r.units,
                    given_by=r.given_by,
                )
                for r in rows
            ]

    @translated
    def treatments(self, start: dt.date, end: dt.date, *, lots: bool = True) -> list[Treatment]:
        columns = consult_rows.TREATMENT_COLUMNS if lots else consult_rows.SLIM_TREATMENT_COLUMNS
        with self.engine.connect() as connection:
            rows = connection.execute(select(*columns).where(treatments.c.date.between(start, end)))
            return [consult_rows.treatment_from(r, lots) for r in rows]

    @translated
    def treatments_of(self, patient_keys: Sequence[str], start: dt.date, end: dt.date) -> list[Treatment]:
        if not patient_keys:
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(*consult_rows.SLIM_TREATMENT_COLUMNS).where(
                    treatments.c.patient_key == any_(bindparam("keys", list(patient_keys), type_=ARRAY(Text))),
                    treatments.c.date.between(start, end),
                )
            )
            return [consult_rows.treatment_from(r, lots=False) for r in rows]

    # -- audit --------------------------------------------------------------------------------------

    @translated
    def record_event(self, event: AuditEvent) -> AuditEntry:
        with self.engine.begin() as connection:
            return audit_rows.append(connection, event)

    def audit_entries(
        self, consult_id: str | None = None, damaged: list[DamagedDataFile] | None = None
    ) -> Iterator[AuditEntry]:
        try:
            with self.engine.connect() as connection:
                yield from audit_rows.entries(connection, consult_id, damaged)
        except SQLAlchemyError as error:
            raise in_words(self.address, error) from None

    @translated
    def audit_head(self) -> tuple[int, str] | None:
        with self.engine.connect() as connection:
            return audit_rows.head(connection)

    def version_hashes(self, damaged: list[DamagedDataFile] | None = None) -> Iterator[tuple[str, int, str]]:
        """Hashes of the records as they are now in the table (recomputed: an edited row shows); with
        ``damaged``, a row that does not read back as a record is put there and skipped."""
        try:
            with self.engine.connect() as connection:
                query = select(consult_versions.c.consult_id, consult_versions.c.version, consult_versions.c.record)
                for row in connection.execution_options(yield_per=1000).execute(
                    query.order_by(consult_versions.c.consult_id, consult_versions.c.version)
                ):
                    try:
                        record = consult_rows.record_from(row.record, row.consult_id, row.version)
                    except DamagedRecord as error:
                        if damaged is None:
                            raise
                        damaged.append(error)
                        continue
                    yield row.consult_id, row.version, record_sha(record)
        except SQLAlchemyError as error:
            raise in_words(self.address, error) from None

    # -- the derived look-ups (``index_rows.py``) ----------------------------------------------------

    def latest_records(self) -> Iterator[ConsultRecord]:
        try:
            with self.engine.connect() as connection:
                yield from index_rows.latest_records(connection)
        except SQLAlchemyError as error:
            raise in_words(self.address, error) from None

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
