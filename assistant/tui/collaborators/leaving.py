"""Leaving the consult on screen: a new consult in its place, or quitting the program. Each asks
first when answers would be lost; quitting keeps an unfinished consult as a draft. A kept consult
whose answers were changed afterwards (E on the plan) and not planned again asks too: the changes
would be lost without a word, the consult staying as kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.tui.collaborators.current import Current
    from assistant.tui.collaborators.drafts import Drafts
    from assistant.tui.collaborators.host import Host
    from assistant.tui.collaborators.record_link import RecordLink
    from assistant.tui.dialogs import Dialogs


CHANGES_LOST = (
    "The answers changed since this consult was kept are not planned again: they are lost, and the "
    "consult stays as it was kept (P on the review plans them and keeps the change)."
)


class Leaving:
    def __init__(
        self,
        current: Current,
        host: Host,
        dialogs: Dialogs,
        drafts: Drafts,
        records: RecordLink,
        *,
        clear_notices: Callable[[], None],
        leave: Callable[[], None],
    ) -> None:
        """``clear_notices()``: nothing said about the last consult carries into the next;
        ``leave()``: the program ends."""
        self.current = current
        self.host = host
        self.dialogs = dialogs
        self.drafts = drafts
        self.records = records
        self.clear_notices = clear_notices
        self.leave = leave

    def new_consult(self) -> None:
        current = self.current
        session = current.consult

        def start(ok: bool | None) -> None:
            if ok:
                if not current.finished:
                    self.drafts.discard(session)
                self.clear_notices()
                current.use(current.files)
                current.finished = False
                self.host.start_consult()
                self.records.load_vials(current.consult)

        if current.changes_unplanned:
            self.dialogs.confirm(
                f"Start a new consult? {CHANGES_LOST}", yes="Lose the changes", no="Keep going", then=start
            )
        elif current.finished or not session.answers:
            start(True)
        else:
            self.dialogs.confirm(
                "Discard this consult and start a new one? Its answers are deleted, not kept as a draft.",
                yes="Discard it",
                no="Keep going",
                then=start,
            )

    def quit(self) -> None:
        current = self.current
        session = current.session
        if current.waiting:  # planned while the server was away: on this computer only, not in the record
            names = ", ".join(s.patient_name() or "an unnamed patient" for s in current.waiting)
            consults = "the consult of" if len(current.waiting) == 1 else "the consults of"
            message = (
                f"NOT SAVED YET: {consults} {names} is kept on this computer only, the record server "
                "being away. Quit anyway?\n\nIt stays here as a draft: F4 resumes it next time, and P saves "
                "it once the server is back. Staying, it is saved by itself as soon as the server answers."
            )
        elif current.changes_unplanned:
            message = f"Quit? {CHANGES_LOST}"
        elif current.finished or session is None or not session.answers:
            self.leave()
            return
        else:
            message = "The consult is not finished. Quit anyway?" + (
                "" if current.trainer else "\n\nIt is kept as a draft and offered for resuming next time."
            )
        self.dialogs.confirm(message, yes="Quit", no="Stay", then=lambda ok: self.leave() if ok else None)
