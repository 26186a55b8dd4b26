"""A kept consult taken up again as a session, its answers judged again and its patient decided:
opened from a patient's chart, or in place of a second consult for the same visit (one visit, one
consult). One function, so that both give the plan screen's keys the same consult to act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.services.consult_session import ConsultSession, PatientDecision
from assistant.services.patients import identifiers_from

if TYPE_CHECKING:
    from assistant.files.resources import Resources
    from assistant.records import ConsultRecord


def session_of(files: Resources, record: ConsultRecord) -> ConsultSession:
    """The session of ``record``; raises ValueError, TypeError or KeyError when its answers cannot be
    read again (a script changed since, say): the caller says so."""
    session = ConsultSession(files, record.date)
    session.resume(record.answers)
    session.consult_id = session.planned_id = record.consult_id
    session.started_at, session.kept_answers = record.started_at, dict(session.answers)
    key = record.patient_key or None
    session.patient = PatientDecision(identifiers=identifiers_from(session.answers), confirmed=key, key=key)
    return session
