"""From a finished consult to its record, and from a record back to its documents. Shared by the CLI
and the UI, so a consult run either way is kept, found and printed the same way. The clock is read here
(an adapter), never in the core."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from assistant import clock
from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.changes import describe_answer_changes
from assistant.core.lifecycle.record import jsonable_answers
from assistant.core.lifecycle.register import Identity
from assistant.core.lifecycle.staff import Role
from assistant.core.plan import EarlierDoses, Plan, RecordedTreatments
from assistant.files.resources import Resources
from assistant.records import (
    ConsultRecord,
    ConsultRepository,
    Draft,
    PatientHistory,
    RecordsError,
    new_record_id,
    require,
)
from assistant.records.errors import StoreUnavailable, VersionConflict
from assistant.services import patients, session_patient
from assistant.services.consult_session import PatientDecision
from assistant.services.desk import Desk
from assistant.services.earlier import earlier_given, recorded_treatments
from assistant.services.script_approval import with_approval
from assistant.services.treatment import keep

if TYPE_CHECKING:
    from assistant.services.consult_session import ConsultSession
    from assistant.services.draft_claims import DraftClaims


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cosign_required(require_cosign: bool, staff_role: Role | None) -> bool:
    """A medical director co-signs consults run by a junior (or by nobody with an account)."""
    return require_cosign and staff_role in (None, "junior")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(str(value)) if value else None
    return None


def make_record(
    plan: Plan,
    answers: Mapping[str, Any],
    *,
    started_at: dt.datetime,
    finished_at: dt.datetime | None = None,
    staff: str | None = None,
    staff_role: Role | None = None,
    resources: Resources | None = None,
    require_cosign: bool = False,
    consult_id: str | None = None,
    patient_key: str | None = None,
) -> ConsultRecord:
    """Version 1 of a consult's record; lot number and expiry from the answers when given; ``patient_key``
    the register's (``assistant.services.patients.attach``)."""
    finished = finished_at or now()
    lot = answers.get("lot_number")
    return ConsultRecord.from_plan(
        consult_id=consult_id or new_record_id(finished),
        plan=plan,
        answers=answers,
        patient_key=patient_key,
        started_at=started_at,
        finished_at=finished,
        staff=staff,
        staff_role=staff_role,
        cosign_required=cosign_required(require_cosign, staff_role),
        lot_number=str(lot) if lot else None,
        lot_expiry=_as_date(answers.get("lot_expiry")),
        script_hash=resources.script_hash if resources else None,
        knowledge_hash=resources.knowledge_hash if resources else None,
        entered_on=clock.today(),  # kept when after the consult's date: a back-entry
    )


def save_new(repository: ConsultRepository, record: ConsultRecord, resources: Resources | None = None) -> ConsultRecord:
    """Keep version 1 of a consult with its audit entry ("consult saved"), saying whether its script was approved."""
    record = with_approval(repository, record, resources.script_sha256 if resources else None)
    return repository.save(record, AuditEvent.for_version(record, record.staff, record.finished_at))


class SessionRecorder:
    """Keeps one consult session in the record: drafts as it goes, the record when it ends.

    A consult planned, then changed and planned again (E on the plan screen) stays one consult: the
    second plan is its next version, with what changed. Used from worker threads by the UI, so each
    call does its own I/O and returns models.
    """

    def __init__(
        self, repository: ConsultRepository, desk: Desk | None = None, fallback: ConsultRepository | None = None
    ) -> None:
        """``fallback``: this computer's own folder, where drafts (and a finished consult) wait while
        the clinic's server cannot be reached; None: no waiting, errors are raised."""
        self.repository = repository
        self.desk = desk or Desk(repository)
        self.fallback = fallback
        self.offline: StoreUnavailable | None = None
        """Why the server could not be reached at the last try (None: it could)."""
        self.claims: DraftClaims | None = None
        """This app's claim, kept with every draft (``draft_claims``; None: drafts unclaimed)."""
        self._kept_here: set[str] | None = None
        """The drafts waiting in the fallback folder (read once, then kept up to date): a save that
        reaches the server removes this computer's copy with no disk look on every answer."""

    def kept_here(self) -> set[str]:
        if self._kept_here is None:
            self._kept_here = {d.draft_id for d in self.fallback.draft_listing()[0]} if self.fallback else set()
        return self._kept_here

    def keep_here(self, draft: Draft) -> None:
        assert self.fallback is not None
        self.fallback.save_draft(draft)
        self.kept_here().add(draft.draft_id)

    def forget_here(self, draft_id: str) -> None:
        """This computer's copy of a draft is gone (saved on the server, finished or discarded)."""
        if self.fallback is not None and draft_id in self.kept_here():
            self.fallback.delete_draft(draft_id)
            self.kept_here().discard(draft_id)

    # -- who the patient is, and what she was given before (``session_patient``) ----------------------

    def identify(self, session: ConsultSession) -> Identity | None:
        """What the register says of the patient's identifiers (see ``session_patient.identify``)."""
        return session_patient.identify(self.repository, session)

    def history_of(self, patient_key: str) -> PatientHistory | None:
        return session_patient.history_of(self.repository, patient_key)

    def decided_key(self, session: ConsultSession) -> str | None:
        """The register key whose earlier doses count today (see ``session_patient.decided_key``)."""
        return session_patient.decided_key(self.repository, session)

    def earlier(self, session: ConsultSession) -> EarlierDoses | None:
        return session_patient.earlier(self.repository, session)

    def recorded(self, session: ConsultSession) -> RecordedTreatments | None:
        return session_patient.recorded(self.repository, session)

    def draft_of(self, session: ConsultSession, staff: str | None) -> Draft:
        moment = now()
        if session.draft_id is None:
            session.draft_id = new_record_id(moment)
            session.started_at = moment
        current = session.current
        return Draft(
            draft_id=session.draft_id,
            answers=session_patient.answers_as_typed(session),
            current_question=current.id if current else None,
            started_at=session.started_at,
            updated_at=moment,
            staff=staff,
            script_id=session.script.id,
            script_version=session.script.version,
            consult_id=session.consult_id,
            claim=self.claims.claim(session.draft_id, moment) if self.claims else None,
            offered=session.offered,
            offered_by=session.offered_by,
        )

    def save_draft(self, session: ConsultSession, staff: str | None) -> str:
        """Keep the draft on the server; while it cannot be reached, in the fallback folder."""
        draft = self.draft_of(session, staff)
        try:
            self.repository.save_draft(draft)
        except StoreUnavailable as error:
            if self.fallback is None:
                raise
            self.keep_here(draft)
            self.offline = error
            return draft.draft_id
        self.forget_here(draft.draft_id)  # kept here while the server was away: it is there again
        self.offline = None
        return draft.draft_id

    def finish(
        self, session: ConsultSession, plan: Plan, staff: str | None, staff_role: Role | None = None
    ) -> ConsultRecord:
        """Keep the consult: version 1, or the next version of the consult this session planned before,
        planned again when the record's earlier doses are not those its plan counted (the plan kept is
        ``record.plan``; show that one). When the server cannot be reached the consult waits in the
        fallback folder as a draft, and ``KeptHere`` says so; calling ``finish`` again once the server
        is back saves it (once: a first save that reached the server before the line dropped is found,
        not made twice)."""
        try:
            return self._finish(session, plan, staff, staff_role)
        except StoreUnavailable as error:
            if self.fallback is None:
                raise
            self.offline = error
            self.keep_here(self.draft_of(session, staff))
            raise KeptHere(error) from error

    def planned_again(self, session: ConsultSession, record: ConsultRecord) -> Plan | None:
        """The consult planned again against the doses the record holds now when they are not those its
        plan counted (planned while the server was away, or doses recorded meanwhile elsewhere): the
        session maximum's earlier doses and each zone's for its timing. None when the plan stands."""
        plan = record.plan
        if plan.status == "contraindicated":
            return None
        window = session.resources.kb.safety.session_max_units.window_days
        earlier = earlier_given(self.repository, record, record.date, window)
        held = recorded_treatments(self.repository, record.patient_key, record.date, exclude=record.consult_id)
        if plan.earlier_units is not None and earlier.units == plan.earlier_units and held == session.recorded:
            return None
        session.earlier, session.recorded = earlier, held
        return session.plan()

    def _new_record(
        self, session: ConsultSession, plan: Plan, staff: str | None, staff_role: Role | None
    ) -> ConsultRecord:
        return make_record(
            plan,
            session.record_answers(),
            started_at=session.started_at,
            staff=staff,
            staff_role=staff_role,
            resources=session.resources,
            require_cosign=self.desk.require_cosign,
            consult_id=session.planned_id,
        )

    def _finish(self, session: ConsultSession, plan: Plan, staff: str | None, staff_role: Role | None) -> ConsultRecord:
        if session.consult_id is None:
            record = self._new_record(session, plan, staff, staff_role)
            session.planned_id = record.consult_id
            key = self._patient_key(session, staff)
            record = record.model_copy(update={"patient_key": key})
            again = self.planned_again(session, record)
            if again is not None:
                record = self._new_record(session, again, staff, staff_role).model_copy(update={"patient_key": key})
            try:
                record = save_new(self.desk.repository, record, session.resources)  # signed by who ran it
            except VersionConflict:  # the first try reached the server before its answer was lost
                record = require(self.repository, record.consult_id)
            session.consult_id = record.consult_id
        else:
            current = require(self.repository, session.consult_id)
            change = describe_answer_changes(
                session.script, current.answers, jsonable_answers(session.record_answers())
            )
            revised = rules.revise(current, plan, session.record_answers(), change, now(), staff)
            again = self.planned_again(session, revised)
            if again is not None:
                revised = rules.revise(current, again, session.record_answers(), change, now(), staff)
            record = keep(self.desk, revised, staff)
        if session.draft_id is not None:
            self.repository.delete_draft(session.draft_id)
            self.forget_here(session.draft_id)
            session.draft_id = None
        self.offline = None
        return record

    def _patient_key(self, session: ConsultSession, staff: str | None) -> str:
        """The register key the consult is kept under, deciding (or registering) it now."""
        identity = self.identify(session)
        assert identity is not None
        decision = session.patient
        if not decision.holds_for(identity.identifiers):
            decision = PatientDecision(identifiers=identity.identifiers)
        return patients.attach(
            self.desk.repository,
            identity,
            now(),
            confirmed=decision.confirmed,
            new_patient=decision.new_patient,
            actor=staff,
        )


class KeptHere(RecordsError):
    """The server could not be reached: the consult waits on this computer and is saved when it is back."""

    def __init__(self, error: StoreUnavailable) -> None:
        self.error = error
        where = error.where[:1].upper() + error.where[1:]
        super().__init__(
            f"{where} cannot be reached: the consult is kept on this computer and will be saved there "
            "as soon as it is back."
        )
