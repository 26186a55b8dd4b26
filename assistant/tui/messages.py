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
    from assistant.records import ConsultRecord
    from assistant.services.consult_session import ConsultSession


@dataclass
class RecordChanged(Message, bubble=False):
    """Given, signed or amended: a screen showing this consult says its new state."""

    record: ConsultRecord | None


@dataclass
class SavedWhenBack(Message, bubble=False):
    """A consult kept on this computer was saved once the server was back (and perhaps planned
    again, counting the earlier doses the server holds): the screen showing ``session``'s plan
    shows it saved, and planned anew when the plan changed."""

    session: ConsultSession
    record: ConsultRecord
