"""Who is due in the next days: the review, the touch-up window, retreatment (``due`` on the screen).
Enter on a review opens the review flow (the day-14 review, see ``treatment_review_screen``).

The list comes a page at a time: the next page is read (off the UI thread) when the highlight nears
the last row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from assistant.core.lifecycle.tracing import DueEntry
from assistant.tui.screens.next_pages import NextPages

REASONS = {"review": "review", "touch_up": "touch-up window", "retreatment": "retreatment"}


class DueScreen(ModalScreen[DueEntry | None]):
    """Enter on a review hands it back (the review is recorded next); Esc closes the list."""

    BINDINGS = [Binding("escape", "close", "Close", show=False)]

    def __init__(
        self,
        entries: list[DueEntry],
        heading: str,
        *,
        after: str | None = None,
        more: Callable[[str], Any] | None = None,
    ) -> None:
        """``after``: the next page's cursor (None: the list is whole); ``more(after)`` reads it (a
        ``Page``; run in a thread)."""
        super().__init__()
        self.entries = entries
        self.heading = heading
        self.pages = NextPages(after, more)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self.heading + " Esc closes this list.", id="dialog-message", markup=False)
            yield DataTable(id="due-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Why", "Patient", "Zones")
        self._add(self.entries)
        table.focus()

    def _add(self, entries: list[DueEntry] | tuple[DueEntry, ...]) -> None:
        table = self.query_one(DataTable)
        for e in entries:
            who = e.patient_name + (f" ({e.patient_id})" if e.patient_id else "")
            until = f" to {e.until.isoformat()}" if e.until else ""
            table.add_row(e.date.isoformat() + until, REASONS[e.reason], Text(who), ", ".join(e.zones))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.pages.wanted(event.cursor_row, len(self.entries)):
            self.run_worker(self._next_page, group="next-page", exclusive=True, exit_on_error=False)

    async def _next_page(self) -> None:
        rows = await self.pages.read(self.notify)
        self.entries += rows
        self._add(rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self.entries[event.cursor_row]
        if entry.reason == "review":
            self.dismiss(entry)
        else:
            self.notify(f"Enter records a review; this is a {REASONS[entry.reason]}: start a consult for her (N).")

    def action_close(self) -> None:
        self.dismiss(None)
