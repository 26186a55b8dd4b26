"""The day-14 review recorded from the UI: "Who is due" (F7), Enter on a review, the review screen,
the reviewer's PIN, and the review kept through the same service as ``review`` on the command line
(``services.reviewing``), so it is kept the same way whoever records it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from assistant.tui.collaborators.pin_again import Back, with_pin
from assistant.tui.messages import RecordChanged

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.tui.collaborators.amending import RecordDesk  # what this needs of the record desk


def _label(desk: RecordDesk, zone: str) -> str:
    try:
        return desk.current.files.kb.zone(zone).label
    except (KeyError, AttributeError):
        return zone


async def review_on_screen(desk: RecordDesk, consult_id: str) -> ConsultRecord | None:
    """Ask the review of ``consult_id``, then the PIN (with nobody signed in, the account picker's),
    and keep it; None when left, refused (said) or unreadable (said)."""
    from assistant.core.lifecycle.review_answers import sided_zones
    from assistant.services import reviewing
    from assistant.tui.collaborators.amending import kept_record

    account = desk.signed_in.account
    if account is not None and not account.may("review"):
        desk.host.notify("Only an injector or a medical director records a review.", severity="error")
        return None
    if (record := await kept_record(desk, consult_id)) is None:
        return None
    loaded = await desk.dialogs.in_thread(reviewing.load_review_script)
    if loaded.value is None:
        desk.host.notify(
            "The review script has problems (botulax-consult check): " + "; ".join(str(p) for p in loaded.problems),
            title="The review cannot be asked",
            severity="error",
            timeout=15,
        )
        return None
    script = loaded.value.script
    zones = [(zone, _label(desk, zone)) for zone in record.treated_zones]
    heading = f"Review of {record.patient_name}'s treatment of {record.date.isoformat()}."
    kb = desk.current.files.kb
    sided = sided_zones(kb.knowledge.zones)  # only these are asked for a left-right difference
    answers = await desk.dialogs.review(heading, zones, script, desk.current.today, sided)
    if answers is None:
        return None
    job = partial(reviewing.record_review, desk.records.desk, consult_id)
    if account is None:
        picked = await desk.signed_in.sign_in_with_pin("To record the review, pick your account and type your PIN.")
        if picked is None:
            return None
        reviewed = await desk.run_use_case(job, picked[0].name, picked[1], script, answers, kb)
    else:  # a wrong PIN asks it again, the review's answers kept
        patient = record.patient_name
        reviewed = await with_pin(
            desk,
            lambda name: f"PIN of {name}, to record the review of {patient}:",
            lambda name, entry: partial(job, name, entry.pin, script, answers, kb),
        )
    if isinstance(reviewed, Back):
        return None
    if reviewed is not None:
        desk.host.tell_screens(RecordChanged(reviewed))
        kept = reviewed.reviews[-1]
        flag = " A serious adverse event is flagged on her chart." if kept.serious else ""
        desk.host.notify(f"Review recorded by {kept.by}: version {reviewed.version}.{flag}", title="Reviewed")
    return reviewed
