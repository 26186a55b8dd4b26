"""Recording what was given, on screen (the plan screen's G, the chart's and the waiting list's give):
the patient's consent first, then the doses on the given screen, then the PIN.

The record is read again before anything is asked, and the consent step reads it again (``consenting``):
given or signed meanwhile elsewhere, that is said and nothing is recorded, the consent included. A
wrong PIN asks it again, and Esc on it shows the form again with its edits (``pin_again``). The rules
are the services' (``treatment.give``); the record desk's ``give`` calls this.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from assistant.tui.collaborators import consenting
from assistant.tui.collaborators.pin_again import Back, with_pin
from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from fractions import Fraction

    from assistant.core.lifecycle.vials import Vial
    from assistant.records import ConsultRecord


class RecordDesk(consenting.RecordDesk):
    """What giving needs of the record desk (``record_desk.RecordDesk``, which calls it: named here,
    not imported, so the two modules do not import each other): the consent's needs, and the "to
    sign" list to refresh once the doses are recorded."""

    def refresh_to_sign(self) -> None: ...


async def give_on_screen(desk: RecordDesk, record: ConsultRecord, picked_vial: str | None) -> ConsultRecord | None:
    from assistant.core.lifecycle.vial_names import vials_of_lot
    from assistant.core.lifecycle.vials import not_offered_for_dilution, offered
    from assistant.records import RecordsError
    from assistant.services import treatment
    from assistant.services.desk import now
    from assistant.tui.given_choice import GivenLimits

    account, resources = desk.signed_in.account, desk.current.files
    if account is None or not account.may("give"):
        return None
    current = await consenting.consent_before_giving(desk, record)  # refused with the command line's sentence
    if current is None:
        return None
    record, kb = current, resources.kb  # as it stands now: the form shows its plan
    day = treatment.giving_day(now())
    try:
        found = await desk.dialogs.in_thread(desk.records.desk.repository.vials, True)
        earlier = await desk.dialogs.in_thread(treatment.earlier_for_giving, desk.records.desk, record, kb, day)
        recorded = await desk.dialogs.in_thread(treatment.recorded_for_giving, desk.records.desk, record, day)
    except RecordsError as error:
        desk.host.notify(
            f"{desk.records.in_words(error)} The doses given before today cannot be counted towards the "
            "session maximum, so nothing can be recorded as given now.",
            title="Nothing was recorded",
            severity="error",
            timeout=15,
        )
        return None
    per_ml = record.plan.dilution.units_per_ml
    vials = offered(found, now(), per_ml)
    for problem in not_offered_for_dilution(found, now(), per_ml):
        desk.host.notify(problem, title="Not offered", severity="warning", timeout=20)
    if picked_vial is None and len(of_lot := vials_of_lot(vials, record.lot_number)) == 1:
        picked_vial = of_lot[0].vial_id  # the lot typed at the question: its vial is highlighted
    patient, choice = record.patient_name, None
    ask = lambda name: f"PIN of {name}, to record what was given to {patient}:"  # noqa: E731
    while (account := desk.signed_in.account) is not None:
        limits = GivenLimits(kb, resources.clinic, earlier, account.role == "medical_director", recorded, day)
        again = partial(_open_vials, desk, per_ml)
        choice = await desk.dialogs.given(
            record.plan, vials, picked_vial, resources, limits, again=choice, vials_again=again
        )
        if choice is None:
            return None
        given = await with_pin(desk, ask, partial(_give_job, desk, record, choice))
        if not isinstance(given, Back):  # Esc on the PIN: the form again, as it was typed
            return _given(desk, given)
    return None


def _open_vials(desk: RecordDesk, per_ml: Fraction) -> list[Vial] | None:
    """The vials open now at the plan's dilution (``per_ml``), read again while the form is open (None:
    the record cannot be read now)."""
    from assistant.core.lifecycle.vials import offered
    from assistant.records import RecordsError
    from assistant.services.desk import now

    try:
        return offered(desk.records.desk.repository.vials(True), now(), per_ml)
    except RecordsError:
        return None


def _give_job(desk: RecordDesk, record: ConsultRecord, choice: Any, name: str, entry: Any) -> Any:
    from assistant.services import treatment

    resources = desk.current.files
    return partial(
        treatment.give, desk.records.desk, record.consult_id, name, entry.pin, resources.kb, choice.entries,
        vial_ids=choice.vial_ids, clinic=resources.clinic, override_reason=choice.override_reason,
        forms=resources.consent_forms(),
    )  # fmt: skip


def _given(desk: RecordDesk, given: ConsultRecord | None) -> ConsultRecord | None:
    """Recorded: its state kept, the screens showing it told, and said."""
    if given is not None:
        assert given.given is not None
        desk.current.kept_state[given.consult_id] = given.state
        desk.host.tell_screens(RecordChanged(given))
        words = f"Recorded as given by {given.given.by}: {given.given.total_units:g} U."
        no_lot = given.given.without_lot()
        desk.host.notify(
            f"{words} {no_lot or ''}".strip(), title="Given", severity="warning" if no_lot else "information"
        )
        desk.refresh_to_sign()
    return given
