"""How consults are listed and patients found: light models built from a record's newest version.

A listing shows each consult once, at its latest version, with its state; a patient found by id
or name is a ``PatientMatch``; an interrupted consult is a ``Draft``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import field_validator

from assistant.core.lifecycle.claims import Claim
from assistant.core.lifecycle.ids import is_record_id
from assistant.core.lifecycle.record import ConsultRecord, State
from assistant.core.lifecycle.record_model import JsonAnswers, RecordModel
from assistant.core.plan import Status


class ConsultSummary(RecordModel):
    """One line of a listing (``history``, recent consults, the "to sign" list)."""

    consult_id: str
    patient_key: str
    patient_name: str
    patient_id: str | None = None
    date: dt.date
    status: Status
    total_units: float
    zones: tuple[str, ...] = ()
    """Zones treated (given, else planned)."""
    staff: str | None = None
    state: State = "planned"
    version: int = 1
    given_units: float | None = None
    """Units recorded as given (None: nothing recorded)."""
    given_on: dt.date | None = None
    """The day the doses were given (the clinic's calendar day), when they are recorded."""
    to_sign: bool = False

    @classmethod
    def of(cls, record: ConsultRecord) -> ConsultSummary:
        return cls(
            consult_id=record.consult_id,
            patient_key=record.patient_key,
            patient_name=record.patient_name,
            patient_id=record.patient_id,
            date=record.date,
            status=record.status,
            total_units=record.total_units,
            zones=record.treated_zones,
            staff=record.staff,
            state=record.state,
            version=record.version,
            given_units=record.given.total_units if record.given is not None else None,
            given_on=given_day(record) if record.given is not None else None,
            to_sign=record.to_sign,
        )

    @property
    def treated_on(self) -> dt.date:
        """The day a treatment counts from: the day given, else the consult's date."""
        return self.given_on or self.date

    def sort_key(self) -> tuple[dt.date, str]:
        """Newest first is ``sorted(..., key=sort_key, reverse=True)``: by consult date, then id (save time)."""
        return (self.date, self.consult_id)


class PatientMatch(RecordModel):
    """A patient found by id or name, with how many consults they have and the latest date."""

    patient_key: str
    patient_name: str
    patient_id: str | None = None
    consults: int = 0
    last_date: dt.date | None = None


class PriorTreatment(RecordModel):
    """What a returning patient's last treatment pre-fills: its date and the zones treated."""

    consult_id: str
    date: dt.date
    zones: tuple[str, ...]

    @classmethod
    def from_record(cls, record: ConsultRecord) -> PriorTreatment:
        return cls(consult_id=record.consult_id, date=record.date, zones=record.treated_zones)

    def answers(self) -> dict[str, object]:
        """Pre-filled answers for a new consult (editable): ``prior_treatment_date`` and ``prior_zones``."""
        return {"prior_treatment_date": self.date, "prior_zones": self.zones}


class PatientHistory(RecordModel):
    """A patient's consults, newest first, their last record and their last treatment."""

    patient: PatientMatch
    consults: tuple[ConsultSummary, ...]
    last: ConsultRecord | None = None
    prior: PriorTreatment | None = None
    """From the newest consult that treated something: doses given when recorded, else plan lines
    (a refused or contraindicated one treated nothing)."""
    language: str | None = None
    """The language her explanation was printed in at her newest consult (None: not answered then),
    pre-filled for a new consult so a returning patient is not asked from the default again."""


class Draft(RecordModel):
    """An unfinished consult, kept as it goes so that it can be offered for resuming."""

    draft_id: str
    answers: JsonAnswers
    current_question: str | None = None
    started_at: dt.datetime
    updated_at: dt.datetime
    staff: str | None = None
    script_id: str
    script_version: str
    consult_id: str | None = None
    """The kept consult this draft changes (a consult edited after planning), if any."""
    claim: Claim | None = None
    """Who continues it (``claims``): another workstation may not open it while this holds."""
    offered: JsonAnswers = {}
    offered_by: str | None = None
    """What a patient's record filled in, and whose (a register key): an answer still equal to it is
    asked again if the draft, resumed, turns out not to be hers (``session_patient.keep_offers_of``)."""

    @field_validator("draft_id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not is_record_id(value):
            raise ValueError(f"'{value}' is not a draft id (like 20261124-101502-k3v9q2xa); use new_record_id().")
        return value

    @property
    def patient_name(self) -> str | None:
        name = self.answers.get("patient_name")
        return name if isinstance(name, str) else None


def prior_from(consults: tuple[ConsultSummary, ...] | list[ConsultSummary]) -> PriorTreatment | None:
    """The newest consult (newest first in ``consults``) that treated a zone."""
    treated = next((s for s in consults if s.zones), None)
    return PriorTreatment(consult_id=treated.consult_id, date=treated.date, zones=treated.zones) if treated else None


def given_day(record: ConsultRecord) -> dt.date:
    """The day a record's doses were given: the day they were recorded (the workstation's calendar),
    not before the consult's date; a back-entered consult's own date (given when it took place)."""
    if record.given is None or record.entered_on is not None:
        return record.date
    return max(record.date, record.given.at.astimezone().date())
