"""A yes/no question in a modal, returning its answer with ``dismiss``. Esc means No (the
answer that changes nothing).

A question whose Yes stops or loses something (``danger``: stop the consult as contraindicated,
discard a consult) is answered only by a key pressed once it could be read. Keys typed before it
appeared, and keys typed while it is up before it has been on screen for ``READ_FIRST`` seconds with
no other key, are set aside: a quick second "y" after "pregnant: yes" recorded a contraindication
unread, and a name typed straight after N (a new consult) answered "Discard this consult?" with its
letters. Any key that is not an answer (a letter of a name) starts that wait again: the person is
typing, not reading. The keys set aside are then dropped, and the number said, whatever the answer:
typed for a question now stopped or gone, given back they answered it otherwise (the "n" meant for
the next screening question answered "pregnant" again after "Change the answer").

A question the program asks by itself over the consult (``unasked``: "resume her unfinished consult
instead?") waits the same way; its keys are given back on No, the consult going on as typed, and
dropped on Yes. Any other question takes keys typed ahead as a slow typist's would reach it (the Y
typed straight after an answer that asks "Go on with this answer?": ``test_tui_keys.py``)."""

from __future__ import annotations

import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from assistant.core.text import counted
from assistant.tui.screens.typed_ahead import give_back_all, set_aside

READ_FIRST = 0.4
"""Seconds a careful question is on screen, with no key typed, before a key answers it."""

ANSWERS = frozenset({"y", "n", "escape", "enter", "tab", "shift+tab", "left", "right"})
"""The keys that work the question; any other is typing meant for somewhere else."""


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
        self.quiet_until = 0.0
        """Before this moment (``time.monotonic``) no key answers a careful question."""

    @property
    def careful(self) -> bool:
        return self.danger or self.unasked

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-danger" if self.danger else ""):
            yield Static(self.message, id="dialog-message", markup=False)  # names and answers, shown as typed
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.yes} (Y)", id="yes", variant="error" if self.danger else "primary")
                yield Button(f"{self.no} (N)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.careful else "#yes", Button).focus()
        if self.careful:
            self.typed_ahead = set_aside(self.app)
            self.quiet_until = time.monotonic() + READ_FIRST

    def on_key(self, event: events.Key) -> None:
        """A careful question: a key too soon, or one that is no answer, is set aside (and the wait
        starts again); it works neither the buttons nor the bindings."""
        now = time.monotonic()
        if not self.careful or (now >= self.quiet_until and event.key in ANSWERS):
            return
        event.stop()
        event.prevent_default()
        self.typed_ahead.append(events.Key(event.key, event.character))
        self.quiet_until = now + READ_FIRST

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        keys, self.typed_ahead = self.typed_ahead, []
        if (self.unasked and not value) or not self.careful:
            give_back_all(self.app, keys)
        elif keys:
            self.app.notify(
                f"{counted(len(keys), 'key')} typed while “{self.yes}” or “{self.no}” was asked "
                "went nowhere: type again what is still needed.",
                title="Keys not used",
                timeout=10,
            )
        self.dismiss(value)
