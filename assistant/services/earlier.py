"""What a patient was given before a consult: the doses in the session maximum's window, and the last
treatment a new consult is pre-filled from.

The patient is the register's (``assistant.services.patients``): every key whose consults are hers,
merges followed, never a namesake. Only doses recorded as *given* count, dated by the day they were
given (a plan that was never given treated nobody). The window and the maximum are the knowledge
base's; the planner adds these units to today's plan.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.dilution_change import visit_dilution
from assistant.core.lifecycle.injected import recorded_doses
from assistant.core.lifecycle.listing import ConsultSummary, PriorTreatment, given_day
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.lifecycle.residuals import residuals_of
from assistant.core.plan import EarlierDoses, RecordedTreatments
from assistant.records.repository import ConsultRepository
from assistant.services import patients


def in_window(summaries: list[ConsultSummary], today: dt.date, window_days: int, exclude: str | None) -> EarlierDoses:
    """Units given in the ``window_days`` before ``today`` (today included), ``exclude`` left out."""
    start = today - dt.timedelta(days=window_days)
    seen = {
        s.consult_id: s.given_units
        for s in summaries
        if s.consult_id != exclude and s.given_units and start < s.treated_on <= today
    }
    return EarlierDoses(units=float(sum(seen.values())), window_days=window_days, consults=tuple(sorted(seen)))


def earlier_doses(
    repository: ConsultRepository,
    patient_key: str | None,
    today: dt.date,
    window_days: int,
    exclude: str | None = None,
) -> EarlierDoses:
    """Units given to the patient in the window before ``today``; ``patient_key`` None (no two
    identifiers, so nobody could be identified): nothing counted, and the plan says so."""
    if patient_key is None:
        return EarlierDoses(units=0, window_days=window_days, counted=False)
    return in_window(patients.history(repository, patient_key), today, window_days, exclude)


def earlier_given(repository: ConsultRepository, record: ConsultRecord, day: dt.date, window_days: int) -> EarlierDoses:
    """The doses that count against a record's own giving on ``day`` (the record itself left out),
    over the record's patient as it was identified when it was kept."""
    return earlier_doses(repository, record.patient_key, day, window_days, exclude=record.consult_id)


def last_treatment(repository: ConsultRepository, patient_key: str, before: str | None = None) -> PriorTreatment | None:
    """The patient's newest treatment that gave doses (dated the day given), to pre-fill a consult."""
    given = [s for s in patients.history(repository, patient_key) if s.given_units and s.consult_id != before]
    if not given:
        return None
    newest = max(given, key=lambda s: (s.treated_on, s.consult_id))
    return PriorTreatment(consult_id=newest.consult_id, date=newest.treated_on, zones=newest.zones)


def recorded_treatments(
    repository: ConsultRepository, patient_key: str | None, today: dt.date, exclude: str | None = None
) -> RecordedTreatments:
    """Every dose recorded as given to the patient on or before ``today``, zone by zone, for the
    planner's timing rules (``exclude``: the consult being planned again); over every key of the
    register's patient, with the dilution of her last visit that gave doses. A consult never given
    adds nothing; no patient identified, nothing."""
    if patient_key is None:
        return RecordedTreatments(doses=())
    doses = []
    dilutions = []
    residuals = []
    for summary in patients.history(repository, patient_key):
        if summary.consult_id == exclude or summary.given_units is None:
            continue
        record = repository.get(summary.consult_id)
        if record is not None:
            doses += [dose for dose in recorded_doses(record, given_day(record)) if dose.given_on <= today]
            residuals += [r for r in residuals_of(record) if r.reviewed_on <= today]
            dilution = visit_dilution(record)
            if dilution is not None and dilution.given_on <= today:
                dilutions.append(dilution)
    last = max(dilutions, key=lambda d: (d.given_on, d.consult_id), default=None)
    residuals.sort(key=lambda r: (r.reviewed_on, r.consult_id))
    return RecordedTreatments(doses=tuple(doses), last_dilution=last, residuals=tuple(residuals))
