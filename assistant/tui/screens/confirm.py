"""A yes/no question in a modal, returning its answer with ``dismiss``. Esc means No (the
answer that changes nothing).

A question whose Yes loses or stops something (``danger``: stop the consult as contraindicated,
discard a consult) takes only keys typed once it is on screen: a quick second "y" typed after the
answer that opened "Stop the consult here?" had recorded a contraindication unread. Keys typed before
it appeared are set aside and given back when it closes (``typed_ahead.py``). A question the program
asks by itself over the consult (``unasked``: "resume her unfinished consult instead?") sets them aside
too, gives them back on No and drops them on Yes: they were typed for the consult Yes leaves. Any other
question takes keys typed ahead as a slow typist's would reach it (the Y typed straight after an answer
that asks "Go on with this answer?": ``test_tui_keys.py``)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assistant.tui.screens.typed_ahead import give_back_all, set_aside


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(
        self, message: str, yes: str = "Yes", no: str = "No", *, danger: bool = False, unasked: bool = False
    ) -> None:
        super().__init__()
        self.message = message
        self.yes = yes
        self.no = no
        self.danger = danger
        self.unasked = unasked
        self.typed_ahead: list[events.Key] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-danger" if self.danger else ""):
            yield Static(self.message, id="dialog-message", markup=False)  # names and answers, shown as typed
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (Y)", id="yes", variant="error" if self.danger else "primary")
                yield Button(f"{self.no} (N)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger or self.unasked else "#yes", Button).focus()
        if self.danger or self.unasked:
            self.typed_ahead = set_aside(self.app)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        if not (value and self.unasked):
            give_back_all(self.app, self.typed_ahead)
        self.typed_ahead = []
        self.dismiss(value)
