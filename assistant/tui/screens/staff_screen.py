"""Who is running consults in this terminal: asked once per session, remembered in the user config."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class StaffScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "skip", "Skip", show=False)]

    def __init__(self, remembered: str | None) -> None:
        super().__init__()
        self.remembered = remembered

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Your name, for the consult record and the dose summary (Esc to leave it out):")
            yield Input(value=self.remembered or "", placeholder="e.g. Dr Lee", id="staff-name")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_skip(self) -> None:
        self.dismiss(None)
