"""Who is due in the next days: the review, the touch-up window, retreatment (``due`` on the screen)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from assistant.core.lifecycle.tracing import DueEntry

REASONS = {"review": "review", "touch_up": "touch-up window", "retreatment": "retreatment"}


class DueScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close", show=False)]

    def __init__(self, entries: list[DueEntry], heading: str) -> None:
        super().__init__()
        self.entries = entries
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self.heading + " Esc closes this list.", id="dialog-message", markup=False)
            yield DataTable(id="due-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Why", "Patient", "Zones")
        for e in self.entries:
            who = e.patient_name + (f" ({e.patient_id})" if e.patient_id else "")
            until = f" to {e.until.isoformat()}" if e.until else ""
            table.add_row(e.date.isoformat() + until, REASONS[e.reason], Text(who), ", ".join(e.zones))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
