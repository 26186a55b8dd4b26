"""Doses a patient was given in the window before a consult, for the cumulative session maximum.

The same patient is the same clinic number, or, for consults kept without one, the same name. Only
doses recorded as given count (a plan that was never given treated nobody). The window and the
maximum are the knowledge base's; the planner adds these units to today's plan.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.ids import patient_key
from assistant.core.lifecycle.injected import recorded_doses
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import EarlierDoses, RecordedTreatments
from assistant.records.repository import ConsultRepository


def patient_keys(patient_name: str, patient_id: str | None) -> list[str]:
    """The keys a patient's earlier consults are kept under: by clinic number, and by name alone."""
    keys = [patient_key(patient_name, patient_id)] if patient_id else []
    keys.append(patient_key(patient_name))
    return keys


def earlier_doses(
    repository: ConsultRepository,
    patient_name: str,
    patient_id: str | None,
    today: dt.date,
    window_days: int,
    exclude: str | None = None,
) -> EarlierDoses:
    """Units given in the ``window_days`` before ``today`` (today included), ``exclude`` left out."""
    start = today - dt.timedelta(days=window_days)
    seen: dict[str, float] = {}
    for key in patient_keys(patient_name, patient_id):
        for summary in repository.history(key):
            if summary.consult_id == exclude or summary.given_units is None:
                continue
            if start < summary.date <= today:
                seen[summary.consult_id] = summary.given_units
    return EarlierDoses(units=float(sum(seen.values())), window_days=window_days, consults=tuple(sorted(seen)))


def recorded_treatments(
    repository: ConsultRepository,
    patient_name: str,
    patient_id: str | None,
    today: dt.date,
    exclude: str | None = None,
) -> RecordedTreatments:
    """Every dose recorded as given to the patient on or before ``today``, zone by zone, for the
    planner's timing rules (``exclude``: the consult being planned again). Found as ``earlier_doses``
    finds the patient; a consult never given adds nothing."""
    doses = []
    seen: set[str] = set()
    for key in patient_keys(patient_name, patient_id):
        for summary in repository.history(key):
            if summary.consult_id in seen or summary.consult_id == exclude or summary.given_units is None:
                continue
            seen.add(summary.consult_id)
            record = repository.get(summary.consult_id)
            if record is not None:
                doses += [dose for dose in recorded_doses(record, given_day(record)) if dose.given_on <= today]
    return RecordedTreatments(doses=tuple(doses))


def given_day(record: ConsultRecord) -> dt.date:
    """The day a record's doses were given: the day they were recorded (this computer's calendar),
    not before the consult's date; a back-entered consult's own date (given when it took place)."""
    if record.given is None or record.entered_on is not None:
        return record.date
    return max(record.date, record.given.at.astimezone().date())
