"""From a finished consult to its record, and from a record back to its documents.

Shared by the command line and the UI, so a consult run either way is kept, found and printed
the same way. The clock is read here (an adapter), never in the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.core.lifecycle import rules
from assistant.core.lifecycle.audit import AuditEvent
from assistant.core.lifecycle.changes import describe_answer_changes
from assistant.core.lifecycle.record import Revision, jsonable_answers
from assistant.core.lifecycle.staff import Role
from assistant.core.plan import EarlierDoses, Plan
from assistant.core.text_safety import printable
from assistant.files.resources import Resources
from assistant.records import (
    ConsultRecord,
    ConsultRepository,
    Draft,
    PatientHistory,
    new_record_id,
    patient_history,
    require,
)
from assistant.services.desk import Desk
from assistant.services.earlier import earlier_doses, patient_keys
from assistant.services.treatment import keep

if TYPE_CHECKING:
    from assistant.services.consult_session import ConsultSession

What = Literal["patient", "summary"]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cosign_required(require_cosign: bool, staff_role: Role | None) -> bool:
    """A medical director co-signs consults run by a junior (or by nobody with an account)."""
    return require_cosign and staff_role in (None, "junior")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
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
) -> ConsultRecord:
    """Version 1 of a consult's record; lot number and expiry come from the answers when they were given."""
    finished = finished_at or now()
    lot = answers.get("lot_number")
    return ConsultRecord.from_plan(
        consult_id=new_record_id(finished),
        plan=plan,
        answers=answers,
        started_at=started_at,
        finished_at=finished,
        staff=staff,
        staff_role=staff_role,
        cosign_required=cosign_required(require_cosign, staff_role),
        lot_number=str(lot) if lot else None,
        lot_expiry=_as_date(answers.get("lot_expiry")),
        script_hash=resources.script_hash if resources else None,
        knowledge_hash=resources.knowledge_hash if resources else None,
    )


def _one_line(value: Any) -> Any:
    return printable(value, multiline=False) if isinstance(value, str) else value


def shown_record(record: ConsultRecord) -> ConsultRecord:
    """The record with every free text it was given (names, answers, staff, lot) on one line and
    its control and direction characters escaped: a record kept before such characters were refused
    cannot forge a line, drive a terminal or reorder a printed name."""
    answers = {key: _one_line(value) for key, value in record.answers.items()}
    plan = record.plan.model_copy(update={"patient_name": _one_line(record.plan.patient_name)})
    texts = {name: _one_line(getattr(record, name)) for name in ("patient_name", "patient_id", "staff", "lot_number")}
    return record.model_copy(update={"answers": answers, "plan": plan, **texts})


def render_record(
    record: ConsultRecord,
    resources: Resources,
    what: What,
    fmt: str,
    paper: str = "a4",
    previous: ConsultRecord | None = None,
    amendments: Sequence[Revision] = (),
) -> str | bytes:
    """A document of a kept consult, from its own plan and answers (the knowledge base supplies
    only the wording). ``previous``: the patient's consult before this one, whose doses the
    summary prints beside today's (see ``previous_record``); ``amendments``: the changes that made
    this version (see ``amendments_of``). The summary prints the record's signatures."""
    from assistant.documents import render_patient, render_summary

    record = shown_record(record)
    previous = shown_record(previous) if previous is not None else None
    if what == "patient":
        return render_patient(
            record.plan,
            resources.kb,
            resources.clinic,
            fmt,  # type: ignore[arg-type]
            answers=record.answers,
            paper=paper,
            templates_dir=resources.templates_dir,
        )
    return render_summary(
        record.plan,
        resources.kb,
        resources.clinic,
        fmt,  # type: ignore[arg-type]
        staff=record.staff,
        lot_number=record.lot_number,
        lot_expiry=record.lot_expiry,
        answers=record.answers,
        paper=paper,
        templates_dir=resources.templates_dir,
        script=resources.script,
        previous=previous.plan if previous is not None else None,
        signatures=record.signatures,
        amendments=amendments,
        version=record.version,
        given=record.given,
    )


def amendments_of(repository: ConsultRepository, record: ConsultRecord) -> list[Revision]:
    """The amendments up to this version of the record, oldest first (what its summary lists)."""
    return [
        v.revision
        for v in repository.versions(record.consult_id)
        if v.revision is not None and v.revision.kind == "amended" and v.revision.version <= record.version
    ]


def previous_record(repository: ConsultRepository, record: ConsultRecord) -> ConsultRecord | None:
    """The patient's consult before ``record`` (by date, then by id), as the plan screen showed it
    when this one was planned; None for a first visit."""
    earlier = [
        row
        for row in repository.history(record.patient_key)
        if row.consult_id != record.consult_id and (row.date, row.consult_id) < (record.date, record.consult_id)
    ]
    if not earlier:
        return None
    return repository.get(max(earlier, key=lambda row: (row.date, row.consult_id)).consult_id)


def document_name(record: ConsultRecord, what: What, fmt: str) -> str:
    extension = {"text": "txt", "html": "html", "pdf": "pdf"}[fmt]
    return f"{record.consult_id}-{what}.{extension}"


def save_documents(
    record: ConsultRecord,
    resources: Resources,
    folder: Path,
    fmt: str = "pdf",
    previous: ConsultRecord | None = None,
    paper: str = "a4",
) -> list[Path]:
    """Both documents of a consult into ``folder`` (created 0700), each 0600: patient data.

    Returns the files written; ``OutputError`` (an ``OSError``) when one cannot be written.
    """
    from assistant.files.output import write_output

    written = []
    for what in ("patient", "summary"):
        content = render_record(record, resources, what, fmt, paper, previous)  # type: ignore[arg-type]
        path = folder / document_name(record, what, fmt)  # type: ignore[arg-type]
        written.append(write_output(path, content if isinstance(content, bytes) else content.encode("utf-8")))
    return written


def save_new(repository: ConsultRepository, record: ConsultRecord) -> ConsultRecord:
    """Keep version 1 of a consult with its audit entry ("consult saved")."""
    return repository.save(record, AuditEvent.for_version(record, record.staff, record.finished_at))


class SessionRecorder:
    """Keeps one consult session in the record: drafts as it goes, the record when it ends.

    A consult planned, then changed and planned again (E on the plan screen) stays one consult: the
    second plan is its next version, with what changed. Used from worker threads by the UI, so each
    call does its own I/O and returns models.
    """

    def __init__(self, repository: ConsultRepository, desk: Desk | None = None) -> None:
        self.repository = repository
        self.desk = desk or Desk(repository)

    def returning(self, session: ConsultSession) -> PatientHistory | None:
        """The patient's history when they have been here before (by id, else by exact name)."""
        name = session.answers.get("patient_name")
        if not name:
            return None
        patient_id = session.answers.get("patient_id")
        for key in patient_keys(str(name), str(patient_id) if patient_id else None):
            history = patient_history(self.repository, key)
            if history is not None:
                return history
        return None

    def earlier(self, session: ConsultSession) -> EarlierDoses | None:
        """Doses the patient was given in the session maximum's window before today."""
        name = session.answers.get("patient_name")
        if not name:
            return None
        patient_id = session.answers.get("patient_id")
        window = session.resources.kb.safety.session_max_units.window_days
        return earlier_doses(
            self.repository,
            str(name),
            str(patient_id) if patient_id else None,
            session.today,
            window,
            exclude=session.consult_id,
        )

    def save_draft(self, session: ConsultSession, staff: str | None) -> str:
        moment = now()
        if session.draft_id is None:
            session.draft_id = new_record_id(moment)
            session.started_at = moment
        current = session.current
        draft = Draft(
            draft_id=session.draft_id,
            answers=dict(session.answers),
            current_question=current.id if current else None,
            started_at=session.started_at,
            updated_at=moment,
            staff=staff,
            script_id=session.script.id,
            script_version=session.script.version,
            consult_id=session.consult_id,
        )
        return self.repository.save_draft(draft)

    def finish(
        self, session: ConsultSession, plan: Plan, staff: str | None, staff_role: Role | None = None
    ) -> ConsultRecord:
        """Keep the consult: version 1, or the next version of the consult this session planned before."""
        if session.consult_id is None:
            record = make_record(
                plan,
                session.record_answers(),
                started_at=session.started_at,
                staff=staff,
                staff_role=staff_role,
                resources=session.resources,
                require_cosign=self.desk.require_cosign,
            )
            record = save_new(self.repository, record)
            session.consult_id = record.consult_id
        else:
            current = require(self.repository, session.consult_id)
            change = describe_answer_changes(
                session.script, current.answers, jsonable_answers(session.record_answers())
            )
            record = keep(self.desk, rules.revise(current, plan, session.record_answers(), change, now(), staff), staff)
        if session.draft_id is not None:
            self.repository.delete_draft(session.draft_id)
            session.draft_id = None
        return record
