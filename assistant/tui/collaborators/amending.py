"""Amendments made on screen (issue 22.5): the answers or the doses given of any recorded consult
(from the chart, or wherever a consult id is at hand), changed in place, with the amendment's
reason and the PIN.

The record desk's ``amend_on_screen`` and ``amend_given_on_screen`` call this. The rules are the services': the changed
answers are merged onto the current version and planned again exactly as ``amend --answers`` does
(``services.amend_answers``), and saved by ``treatment.amend_answers``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from assistant.tui.collaborators.pin_again import Back, with_pin
from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.collaborators.signed_in import SignedIn
    from assistant.tui.dialogs import Dialogs


class RecordDesk(Protocol):
    """What an amendment needs of the record desk (``record_desk.RecordDesk`` is one)."""

    current: Current
    host: Host
    dialogs: Dialogs
    records: RecordLink
    signed_in: SignedIn

    async def run_use_case(self, job: Any, *args: Any, pin_again: bool = False) -> Any: ...


async def kept_record(desk: RecordDesk, consult_id: str) -> ConsultRecord | None:
    """The consult as the record keeps it now, read off the screen's thread; None once the reason
    is said (the record could not be read, or holds no such consult). Signing reads it the same way."""
    from assistant.records import RecordsError

    try:
        record = await desk.dialogs.in_thread(desk.records.repository.get, consult_id)
    except RecordsError as error:
        desk.host.notify(str(error), title="The consult record could not be read", severity="error")
        return None
    if record is None:
        desk.host.notify(f"There is no consult {consult_id} in the record.", severity="error")
    return record


def _amended(desk: RecordDesk, amended: ConsultRecord | None, doses: bool = False) -> ConsultRecord | None:
    """An amendment saved: its state kept, the screens showing it told, and said; of the doses given
    (``doses``), with G's warning when some are left without a lot (a recall by lot cannot find them)."""
    if amended is not None:
        desk.current.kept_state[amended.consult_id] = amended.state
        desk.host.tell_screens(RecordChanged(amended))
        reason = amended.revision.reason if amended.revision else None
        no_lot = amended.given.without_lot() if doses and amended.given is not None else None
        words = f"Amended: version {amended.version} ({reason}). {no_lot or ''}".strip()
        desk.host.notify(words, title="Amended", severity="warning" if no_lot else "information")
    return amended


def _may_amend(desk: RecordDesk) -> bool:
    account = desk.signed_in.account
    if account is None or not account.may("amend"):
        desk.host.notify("Only an injector or a medical director amends a record.", severity="error")
        return False
    return True


async def amend_answers_on_screen(desk: RecordDesk, consult_id: str) -> ConsultRecord | None:
    """The consult's answers on screen until they plan (or Esc), then the reason and the PIN."""
    from functools import partial

    from assistant import clock
    from assistant.core.lifecycle.amended_answers import contraindicated_after_giving
    from assistant.core.lifecycle.changes import answer_changes
    from assistant.core.lifecycle.record import jsonable_answers
    from assistant.files.answer_file_writer import answer_file_text
    from assistant.files.loaders import parse_answers
    from assistant.services.amend_answers import replan

    if not _may_amend(desk) or (record := await kept_record(desk, consult_id)) is None:
        return None
    heading = (
        f"Amend consult {consult_id} ({record.patient_name}, {record.date.isoformat()}), version {record.version}."
    )
    text, problems = answer_file_text(record.answers, record.date, consult_id, record.version), []
    resources = desk.current.files
    while True:  # the answers on screen until they plan and the PIN is right; Esc on the PIN comes back here
        typed = await desk.dialogs.amend(heading, text, problems)
        if typed is None:
            return None
        text, problems = typed, []
        changes = parse_answers(typed, "the answers")
        if changes.value is None:
            problems = [str(p) for p in changes.problems]
            continue
        job = partial(replan, desk.records.desk, resources, record, changes.value, clock.today())
        replanned = await desk.run_use_case(job)
        if replanned is None:
            return None
        if not replanned.ok:
            problems = replanned.problems
            continue
        outcome = replanned.outcome
        assert outcome.plan is not None and outcome.consult is not None
        worded = answer_changes(resources.script, record.answers, jsonable_answers(outcome.consult.answers))
        changed = "; ".join(worded) or "the date"  # each answer by its question, as the record's history says it
        warning = contraindicated_after_giving(record, outcome.plan)
        said = f"Changed: {changed}." + (f" {warning}" if warning else "")
        act = partial(_amend_answers_job, desk, consult_id, outcome.plan, outcome.consult.answers)
        ask = lambda name, said=said: f"{said} The amendment's reason, and the PIN of {name}:"  # noqa: E731
        amended = await with_pin(desk, ask, act, ask_reason=True)
        if not isinstance(amended, Back):
            say_contraindicated(desk, amended, warning)
            return _amended(desk, amended)


def say_contraindicated(desk: RecordDesk, amended: ConsultRecord | None, warning: str | None) -> None:
    """Once an amendment of the answers is kept: ``contraindicated_after_giving``'s sentence, if any,
    as a notice (it was above the PIN too). Every way of amending answers says it (here, and the
    record desk's ``amend`` for a given consult planned again)."""
    if amended is not None and warning:
        desk.host.notify(warning, title="Contraindicated", severity="warning", timeout=20)


def _amend_answers_job(desk: RecordDesk, consult_id: str, plan: Any, answers: Any, name: str, entry: Any) -> Any:
    from functools import partial

    from assistant.services import treatment

    return partial(
        treatment.amend_answers, desk.records.desk, consult_id, name, entry.pin, entry.reason or "",
        desk.current.files.script, plan, answers,
    )  # fmt: skip


async def amend_given_on_screen(desk: RecordDesk, consult_id: str) -> ConsultRecord | None:
    """The doses recorded as given, corrected on the given screen (each row pre-filled with what was
    recorded), then the reason and the PIN; the limits ``give`` keeps are kept (``amend_given``)."""
    from functools import partial

    from assistant.records import RecordsError
    from assistant.services import treatment
    from assistant.tui.given_choice import GivenLimits

    if not _may_amend(desk) or (record := await kept_record(desk, consult_id)) is None:
        return None
    account = desk.signed_in.account
    if account is None:
        return None
    if record.given is None:
        desk.host.notify(f"Nothing is recorded as given for consult {consult_id}: G records it.", severity="error")
        return None
    resources = desk.current.files
    try:
        day = treatment.giving_day(record.given.at)
        earlier = await desk.dialogs.in_thread(
            treatment.earlier_for_giving, desk.records.desk, record, resources.kb, day
        )
        counted = await desk.dialogs.in_thread(treatment.recorded_for_giving, desk.records.desk, record, day)
    except RecordsError as error:
        desk.host.notify(str(error), title="The consult record could not be read", severity="error")
        return None
    recorded = {(line.zone, line.side): (line.units, line.points, line.reason) for line in record.given.lines}
    choice = None
    while (account := desk.signed_in.account) is not None:  # Esc on the PIN: the form again, as typed
        limits = GivenLimits(resources.kb, resources.clinic, earlier, account.role == "medical_director", counted, day)
        choice = await desk.dialogs.given(record.plan, [], None, resources, limits, given=recorded, again=choice)
        if choice is None:
            return None
        act = lambda name, entry, choice=choice: partial(  # noqa: E731
            treatment.amend_given, desk.records.desk, consult_id, name, entry.pin, entry.reason or "",
            resources.kb, choice.entries, clinic=resources.clinic, override_reason=choice.override_reason,
            forms=resources.consent_forms(),
        )  # fmt: skip
        amended = await with_pin(desk, "The amendment's reason, and the PIN of {}:".format, act, ask_reason=True)
        if not isinstance(amended, Back):
            return _amended(desk, amended, doses=True)
    return None
