"""Doses a patient was given in the window before a consult, for the cumulative session maximum.

The same patient is the same clinic number, or, for consults kept without one, the same name. Only
doses recorded as given count (a plan that was never given treated nobody). The window and the
maximum are the knowledge base's; the planner adds these units to today's plan.
"""

from __future__ import annotations

import datetime as dt

from assistant.core.lifecycle.ids import patient_key
from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import EarlierDoses
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


def earlier_given(repository: ConsultRepository, record: ConsultRecord, day: dt.date, window_days: int) -> EarlierDoses:
    """Doses given to ``record``'s patient in the ``window_days`` before ``day`` (``day`` included),
    ``record`` itself left out: what recording and saving a dose count towards the session maximum.

    The one way the giving and saving paths ask (``services.treatment``, ``services.recording``),
    so that how a patient is recognised can change here alone."""
    return earlier_doses(
        repository, record.patient_name, record.patient_id, day, window_days, exclude=record.consult_id
    )
