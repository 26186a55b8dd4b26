"""One visit, one consult (issue 22.4), at the end of a consult in the UI: when the patient already
has a consult planned or given today, ask first ("... planned at 10:42: open it instead?"). The
rule is the core's (``core.lifecycle.same_day``); this asks it and opens the consult chosen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.dialogs import Dialogs

ShowPlan = Callable[..., Awaitable[None]]
Park = Callable[["ConsultSession | None"], object]
"""Keeps the consult leaving the screen unfinished as its draft, its claim released (``Drafts.park``)."""

SAME_DAY_KEPT = "The consult just answered is kept as a draft, not planned."


async def plan_this_one(
    session: ConsultSession,
    current: Current,
    host: Host,
    dialogs: Dialogs,
    records: RecordLink,
    show_plan: ShowPlan,
    park: Park,
) -> bool:
    """True: go on planning this consult (the patient has none today, or a second one is meant).
    False: that consult was opened instead, or the person went back (nothing is kept)."""
    from assistant.core.lifecycle.register import RegisterRefused
    from assistant.core.lifecycle.same_day import same_day_words
    from assistant.records import RecordsError
    from assistant.services.same_day import existing_today
    from assistant.tui.texts import SAME_DAY_OPEN as OPEN
    from assistant.tui.texts import SAME_DAY_SECOND as SECOND

    if session.consult_id is not None or session.patient.new_patient:
        return True  # this consult planned again (it is the visit's consult), or a patient new to the record
    recorder = records.recorder

    def look_up() -> Any:
        return existing_today(recorder.repository, recorder.decided_key(session), session.today)

    try:
        found = await dialogs.in_thread(look_up)
    except (RecordsError, RegisterRefused):
        return True  # said by the look-ups that follow
    if found is None:
        return True
    choice = await dialogs.same_day(same_day_words(found))
    if choice == SECOND:
        return True
    if choice == OPEN:
        await _open(found.consult_id, current, host, dialogs, records, show_plan, park)
    else:
        host.notify("The consult is not finished: P plans it again.")
    return False


async def _open(
    consult_id: str,
    current: Current,
    host: Host,
    dialogs: Dialogs,
    records: RecordLink,
    show_plan: ShowPlan,
    park: Park,
) -> None:
    """The consult kept today becomes the consult on screen, on its plan screen; the one just
    answered stays as its draft (said). It takes the place of the one on screen, as a kept consult
    opened from the chart and edited does: the plan screen's keys (E, N, G, K) then act on the
    consult it shows. Shown over the other, they acted on the hidden one: N asked to discard it,
    and keys typed for the next patient edited its answers."""
    from assistant.records import RecordsError
    from assistant.services.kept_session import session_of

    try:
        record = await dialogs.in_thread(records.repository.get, consult_id)
    except RecordsError as error:
        host.notify(str(error), title="The consult record could not be read", severity="error")
        return
    if record is None:
        return
    try:
        opened = session_of(current.files, record)
    except (ValueError, TypeError, KeyError) as error:
        host.notify(f"{error}", title="This consult's answers cannot be read again", severity="error")
        return
    park(current.session)  # the consult just answered: its draft free to resume, here or elsewhere
    current.session, current.finished = opened, True
    await host.start_consult()  # a complete consult opens on its review, under its plan
    host.notify(f"{SAME_DAY_KEPT} F4 lists it to resume or discard.", title="Kept as a draft", timeout=10)
    await show_plan(opened, record.plan, record, False)
