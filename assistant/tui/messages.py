"""What the collaborators tell the screens: a consult's record changed under a screen showing it.

Posted to every open screen (``ConsultApp.tell_screens``); a screen that shows the consult handles
it, the others let it pass. So the record desk and the end of a consult change what a screen shows
without knowing which screens there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from assistant.core.lifecycle.live import Followed
    from assistant.records import ConsultRecord
    from assistant.services.consult_session import ConsultSession


@dataclass
class RecordChanged(Message, bubble=False):
    """Given, signed or amended: a screen showing this consult says its new state. ``record`` None:
    something changed in the record elsewhere, so a screen re-reads what it shows."""

    record: ConsultRecord | None


@dataclass
class SavedWhenBack(Message, bubble=False):
    """A consult kept on this computer was saved once the server was back (and perhaps planned
    again, counting the earlier doses the server holds): the screen showing ``session``'s plan
    shows it saved, and planned anew when the plan changed."""

    session: ConsultSession
    record: ConsultRecord


@dataclass
class ChangedElsewhere(Message, bubble=False):
    """A consult changed on another workstation or in another window, read again (issue 22.3):
    the screen showing it follows (``core/lifecycle/live.py``). ``where``: the workstation, when
    the store says (PostgreSQL does, a TinyDB folder does not)."""

    record: ConsultRecord
    where: str | None = None

    def follows(self, shown: ConsultRecord | None) -> Followed | None:
        """What a screen showing ``shown`` shows now, and the one-line notice; None: nothing changes."""
        import datetime as dt

        from assistant.core.lifecycle.live import follow

        if shown is None:
            return None
        return follow(shown, self.record, self.where, dt.datetime.now().astimezone().tzinfo or dt.UTC)


@dataclass
class AnswersTakenBack(Message, bubble=False):
    """Answers another patient's record filled in were removed from ``session`` (``ReturningPatients``):
    the consult screen strikes them out and asks the question now due, not the one it shows."""

    session: ConsultSession
    questions: tuple[str, ...]
