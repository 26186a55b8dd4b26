"""The consult record as the rest of the program uses it: one small interface, pydantic in and out.

The TinyDB store (``tinydb.store.TinyDBConsultStore``) is one implementation; a server backend
(PostgreSQL, for clinics with several workstations) would be another, and nothing that uses the
interface would change. Backends raise only the errors in ``assistant.records.errors``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.records.errors import ConsultNotFound
from assistant.records.models import (
    ConsultRecord,
    ConsultSummary,
    Draft,
    PatientHistory,
    PatientMatch,
    PriorTreatment,
)


@runtime_checkable
class ConsultRepository(Protocol):
    def save(self, record: ConsultRecord) -> str:
        """Keep a finished consult (a record with the same id is replaced); returns its id."""
        ...

    def get(self, consult_id: str) -> ConsultRecord | None:
        """The record with this id, or None (also for a string that is not a consult id)."""
        ...

    def find_patients(self, query: str, limit: int = 20) -> list[PatientMatch]:
        """Patients whose id is ``query`` (exactly, any case), then those whose name matches it.

        A name matches when every word of the query starts a word of the name, case-insensitively
        ("kim", "ji kim" and "KIM JI-W" all find "Kim Ji-woo"). Exact names come first, then by name.
        """
        ...

    def history(self, patient: str) -> list[ConsultSummary]:
        """Consults of a patient, newest first.

        ``patient`` is a ``patient_key`` (from a ``PatientMatch``), or a query: an exact patient id
        gives that patient; otherwise the patients with exactly that name, or failing those, every
        patient ``find_patients`` would find.
        """
        ...

    def last_for_patient(self, patient_key: str) -> ConsultRecord | None:
        """The patient's newest record (by consult date), whatever its status."""
        ...

    def list_recent(self, limit: int = 20) -> list[ConsultSummary]:
        """The most recently saved consults of all patients, newest first."""
        ...

    def save_draft(self, draft: Draft) -> str:
        """Keep (or replace) an unfinished consult; returns its id."""
        ...

    def get_draft(self, draft_id: str) -> Draft | None: ...

    def drafts(self) -> list[Draft]:
        """Unfinished consults, most recently updated first."""
        ...

    def draft_ids(self) -> list[str]:
        """The ids of the drafts kept, newest first, without reading them: a damaged draft, which
        ``drafts()`` cannot return, is still listed here (so the UI can name it)."""
        ...

    def delete_draft(self, draft_id: str) -> bool:
        """Forget a draft (once its consult is saved or abandoned); False when there was none."""
        ...


def require(repository: ConsultRepository, consult_id: str) -> ConsultRecord:
    """``get`` that raises ``ConsultNotFound`` (with a message for the practitioner) instead of None."""
    record = repository.get(consult_id)
    if record is None:
        raise ConsultNotFound(consult_id)
    return record


def prior_treatment(repository: ConsultRepository, patient_key: str) -> PriorTreatment | None:
    """Date and zones of the patient's newest planned consult with plan lines, to pre-fill a new consult."""
    history = patient_history(repository, patient_key)
    return history.prior if history else None


def patient_history(repository: ConsultRepository, patient_key: str) -> PatientHistory | None:
    """Everything a returning patient's screen shows: consults, last record, last treatment."""
    consults = repository.history(patient_key)
    if not consults:
        return None
    newest = consults[0]
    last = repository.get(newest.consult_id)
    treated = next((s for s in consults if s.status == "planned" and s.zones), None)
    prior = PriorTreatment(consult_id=treated.consult_id, date=treated.date, zones=treated.zones) if treated else None
    patient = PatientMatch(
        patient_key=newest.patient_key,
        patient_name=newest.patient_name,
        patient_id=newest.patient_id,
        consults=len(consults),
        last_date=newest.date,
    )
    return PatientHistory(patient=patient, consults=tuple(consults), last=last, prior=prior)
