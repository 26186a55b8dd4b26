"""A kept consult's plan, opened from a patient's chart or the Waiting screen on any workstation.

The plan screen as it is after planning (G, K, S, P, X, E as there), read anew from the record, with
Esc back to the list it was opened from; E changes its answers in the review (``edit``), planned
again with P, which is an amendment once doses are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from assistant.tui.screens.plan_screen import PlanScreen

if TYPE_CHECKING:
    from assistant.records import ConsultRecord
    from assistant.services.consult_session import ConsultSession
    from assistant.tui.collaborators.record_desk import RecordDesk


class RecordedPlanScreen(PlanScreen):
    BINDINGS = [  # N still starts a new consult; its place in the 80-column footer goes to Back
        Binding("n", "app.new_consult", "New consult", show=False),
        Binding("escape", "close", "Back"),
    ]

    def __init__(
        self,
        session: ConsultSession,
        record: ConsultRecord,
        desk: RecordDesk,
        documents: Path,
        *,
        edit: Callable[[], Any],
    ) -> None:
        super().__init__(session, record.plan, record, desk=desk, documents=documents)
        self.edit = edit

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_edit(self) -> None:
        self.app.pop_screen()
        self.edit()
