"""Find a patient as you type: by name, clinic number, date of birth (YYYY-MM-DD), or a name with it.

Each keystroke only restarts a short timer; once typing pauses the register is searched in a thread
(a newer search replaces an older one, whose answer is dropped), so no key ever waits on the record;
the rows found by name show at once, and their dates of birth follow from the register.
Enter (or Enter on a row) opens the highlighted patient's chart; Down goes to the list; Esc closes.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from assistant.services.chart import FoundPatient
    from assistant.tui.collaborators.chart_desk import ChartDesk

PAUSE = 0.15
"""Seconds of no typing before the record is searched."""
HINT = (
    "Type a name, a clinic number or a date of birth as YYYY-MM-DD, or a name and a date"
    " (Kim 1990-03-02). Enter opens the chart."
)


class PatientSearchScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "close", "Close", show=False), Binding("down", "to_list", show=False)]

    def __init__(self, desk: ChartDesk) -> None:
        super().__init__()
        self.desk = desk
        self.found: list[FoundPatient] = []
        self.searched: str | None = None
        """The text whose answer is listed (None: nothing searched yet)."""
        self._timer: Timer | None = None
        self._latest: Worker[list[FoundPatient]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(HINT, id="dialog-message", markup=False)
            yield Input(placeholder="name, clinic number, date of birth", id="patient-search")
            yield Static("", id="patient-search-note", markup=False)
            yield OptionList(id="patients-found")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PAUSE, partial(self._search, event.value))

    def _search(self, text: str) -> None:
        from assistant.services.chart import read_query

        query = read_query(text)
        if not query.searchable:
            self._show(text, [], query.problem or "")
            return
        self._latest = self.run_worker(
            partial(self.desk.search, text), thread=True, group="search", exclusive=True, exit_on_error=False
        )
        self._latest.text = text  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker is not self._latest or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if event.state == WorkerState.ERROR:
            self._show(worker.text, [], f"The record could not be searched: {worker.error}")  # type: ignore[attr-defined]
            return
        found = worker.result or []
        note = "" if found else "Nobody in the register matches that."
        self._show(worker.text, found, note)  # type: ignore[attr-defined]
        if worker.group == "search" and not all(p.checked for p in found):  # the dates of birth, next
            self._latest = self.run_worker(
                partial(self.desk.checked, found), thread=True, group="check", exclusive=True, exit_on_error=False
            )
            self._latest.text = worker.text  # type: ignore[attr-defined]

    def _show(self, text: str, found: list[FoundPatient], note: str) -> None:
        listing = self.query_one(OptionList)
        kept = listing.highlighted if self.searched == text else None  # the same search, now checked
        self.found, self.searched = found, text
        listing.clear_options()
        listing.add_options([Option(Text(p.describe()), id=p.patient_key) for p in found])
        if found:
            listing.highlighted = min(kept or 0, len(found) - 1)
        self.query_one("#patient-search-note", Static).update(note)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one(OptionList)
        if self.found and self.searched == event.value and listing.highlighted is not None:
            self.dismiss(self.found[listing.highlighted].patient_key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_to_list(self) -> None:
        if self.found:
            self.query_one(OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
