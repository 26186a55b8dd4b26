"""The consult record as the rest of the program sees it: plain pydantic models, no storage in sight.

A finished consult is kept as a ``ConsultRecord`` (answers, plan, versions, staff, lot, times);
listings use the lighter ``ConsultSummary``; a patient found by id or name is a ``PatientMatch``;
an interrupted consult is a ``Draft``. Answers are kept JSON-able (dates as ISO strings, tuples as
lists) so that a record reads back exactly as it was written; the core re-reads them through the
flow when it needs typed values.

Patients are looked up by a ``patient_key``: ``id:<patient id>`` when the clinic gave one, otherwise
``name:<name>``, both normalised (Unicode NFKC, case-folded, spaces collapsed). The same person
seen once without an id and later with one therefore has two keys; the look-up by name finds both.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator, model_validator
from pydantic_core import to_jsonable_python

from assistant.core.plan import Plan, Status

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
RECORD_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-hjkmnp-tv-z]{8}$")
"""``20261124-101502-k3v9q2xa``: UTC date and time to the second, then 40 random bits in base32."""

ID_PREFIX = "id:"
NAME_PREFIX = "name:"
_TOKEN = re.compile(r"\w+")


def new_record_id(at: dt.datetime, *, randomness: int | None = None) -> str:
    """A new consult or draft id, sortable by time: ``YYYYMMDD-HHMMSS-`` + 8 random characters.

    ``at`` is the time to stamp (the caller's clock); an aware time is converted to UTC, a naive one
    is taken as it is. ``randomness`` (40 bits) is for tests that need a fixed id.
    """
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    bits = secrets.randbits(40) if randomness is None else randomness & (2**40 - 1)
    suffix = "".join(_CROCKFORD[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return at.strftime("%Y%m%d-%H%M%S-") + suffix


def is_record_id(text: str) -> bool:
    return bool(RECORD_ID.match(text))


def normalise_name(name: str) -> str:
    """How names are compared: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def normalise_patient_id(patient_id: str) -> str:
    return "".join(unicodedata.normalize("NFKC", patient_id).casefold().split())


def name_tokens(text: str) -> list[str]:
    """The words of a normalised name (letters and digits of any script; punctuation separates)."""
    return _TOKEN.findall(normalise_name(text))


def patient_key(patient_name: str, patient_id: str | None = None) -> str:
    """``id:<normalised id>`` when there is an id, else ``name:<normalised name>``."""
    if patient_id and patient_id.strip():
        return ID_PREFIX + normalise_patient_id(patient_id)
    return NAME_PREFIX + normalise_name(patient_name)


def is_patient_key(text: str) -> bool:
    return text.startswith((ID_PREFIX, NAME_PREFIX)) and len(text) > len(NAME_PREFIX)


def jsonable_answers(answers: Any) -> Any:
    """Answers as JSON keeps them: dates as ISO strings, tuples as lists, decimals as strings.
    Anything but a mapping is left for validation to refuse."""
    return to_jsonable_python(dict(answers)) if isinstance(answers, Mapping) else answers


JsonAnswers = Annotated[dict[str, Any], BeforeValidator(jsonable_answers)]
"""The answers of a record or draft, stored as JSON keeps them, so a reloaded one equals the saved one."""


class RecordModel(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class ConsultRecord(RecordModel):
    """One finished consult, as it is kept."""

    consult_id: str
    patient_name: str
    patient_id: str | None = None
    patient_key: str = ""
    """Filled from the id or the name when not given (see ``patient_key()``)."""
    date: dt.date
    """The consult date (the plan's ``today``)."""
    status: Status
    total_units: float
    answers: JsonAnswers
    plan: Plan
    script_id: str
    script_version: str
    knowledge_id: str
    knowledge_version: str
    script_hash: str | None = None
    knowledge_hash: str | None = None
    staff: str | None = None
    lot_number: str | None = None
    lot_expiry: dt.date | None = None
    started_at: dt.datetime
    finished_at: dt.datetime

    @model_validator(mode="before")
    @classmethod
    def _fill_patient_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("patient_key") and isinstance(data.get("patient_name"), str):
            data = {**data, "patient_key": patient_key(data["patient_name"], data.get("patient_id"))}
        return data

    @field_validator("consult_id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not is_record_id(value):
            raise ValueError(f"'{value}' is not a consult id (like 20261124-101502-k3v9q2xa); use new_record_id().")
        return value

    @field_validator("patient_name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a consult record needs the patient's name.")
        return value

    @classmethod
    def from_plan(
        cls,
        *,
        consult_id: str,
        plan: Plan,
        answers: Mapping[str, Any],
        started_at: dt.datetime,
        finished_at: dt.datetime,
        patient_id: str | None = None,
        staff: str | None = None,
        lot_number: str | None = None,
        lot_expiry: dt.date | None = None,
        script_hash: str | None = None,
        knowledge_hash: str | None = None,
    ) -> ConsultRecord:
        """A record of a planned consult: name, date, status, units and versions come from the plan.

        ``patient_id`` defaults to the ``patient_id`` answer.
        """
        if patient_id is None and isinstance(answers.get("patient_id"), str):
            patient_id = answers["patient_id"]
        return cls(
            consult_id=consult_id,
            patient_name=plan.patient_name,
            patient_id=patient_id or None,
            date=plan.today,
            status=plan.status,
            total_units=plan.total_units,
            answers=answers,
            plan=plan,
            script_id=plan.versions.script_id,
            script_version=plan.versions.script_version,
            knowledge_id=plan.versions.knowledge_id,
            knowledge_version=plan.versions.knowledge_version,
            script_hash=script_hash,
            knowledge_hash=knowledge_hash,
            staff=staff,
            lot_number=lot_number,
            lot_expiry=lot_expiry,
            started_at=started_at,
            finished_at=finished_at,
        )

    @property
    def treated_zones(self) -> tuple[str, ...]:
        """Zones with at least one plan line, in plan order (none when contraindicated or refused)."""
        return tuple(dict.fromkeys(line.zone for line in self.plan.lines))

    def summary(self) -> ConsultSummary:
        return ConsultSummary(
            consult_id=self.consult_id,
            patient_key=self.patient_key,
            patient_name=self.patient_name,
            patient_id=self.patient_id,
            date=self.date,
            status=self.status,
            total_units=self.total_units,
            zones=self.treated_zones,
            staff=self.staff,
        )


class ConsultSummary(RecordModel):
    """One line of a listing (``history``, recent consults)."""

    consult_id: str
    patient_key: str
    patient_name: str
    patient_id: str | None = None
    date: dt.date
    status: Status
    total_units: float
    zones: tuple[str, ...] = ()
    """Zones treated (with plan lines)."""
    staff: str | None = None

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

    def answers(self) -> dict[str, Any]:
        """Pre-filled answers for a new consult (editable): ``prior_treatment_date`` and ``prior_zones``."""
        return {"prior_treatment_date": self.date, "prior_zones": self.zones}


class PatientHistory(RecordModel):
    """A patient's consults, newest first, their last record and their last treatment."""

    patient: PatientMatch
    consults: tuple[ConsultSummary, ...]
    last: ConsultRecord | None = None
    prior: PriorTreatment | None = None
    """From the newest planned consult with plan lines (a refused or contraindicated one treated nothing)."""


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
