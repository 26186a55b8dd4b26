"""A yes/no question in a modal, returning its answer with ``dismiss``. Esc means No (the
answer that changes nothing)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, message: str, yes: str = "Yes", no: str = "No", *, danger: bool = False) -> None:
        super().__init__()
        self.message = message
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-danger" if self.danger else ""):
            yield Static(self.message, id="dialog-message", markup=False)  # names and answers, shown as typed
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (Y)", id="yes", variant="error" if self.danger else "primary")
                yield Button(f"{self.no} (N)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
