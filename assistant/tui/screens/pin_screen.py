"""A PIN for one action (record the doses given, sign, amend), and the reason an amendment needs.
Signing shows what is signed above the PIN (``summary``), scrolled as a whole when it is long.

The account is the one signed in; the PIN is checked again for the action, so nobody records or
signs in another's name at an unattended keyboard. A wrong PIN asks it again: this screen once more,
with the refusal under the box (``refusal``) and the amendment's reason as typed (``reason``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


@dataclass(frozen=True)
class PinEntry:
    pin: str
    reason: str | None = None


class PinScreen(ModalScreen[PinEntry | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self,
        message: str,
        *,
        ask_reason: bool = False,
        summary: str | None = None,
        refusal: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__()
        self.message = message
        self.ask_reason = ask_reason
        self.summary = summary
        self.refusal = refusal
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            if self.summary:
                with VerticalScroll(id="signing-summary"):
                    yield Static(self.summary, markup=False)
            yield Static(self.message, id="dialog-message", markup=False)
            if self.ask_reason:
                why = "Why (the amendment's reason, printed with it)"
                yield Input(self.reason or "", placeholder=why, id="pin-reason")
            yield Input(placeholder="PIN", password=True, id="pin-value")
            yield Static(self.refusal or "", id="pin-refusal", markup=False)

    def on_mount(self) -> None:
        self.query_one("#pin-refusal", Static).display = self.refusal is not None
        self.query_one("#pin-reason" if self.ask_reason and not self.reason else "#pin-value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "pin-reason":
            self.query_one("#pin-value", Input).focus()
            return
        reason = self.query_one("#pin-reason", Input).value.strip() if self.ask_reason else None
        if self.ask_reason and not reason:
            refusal = self.query_one("#pin-refusal", Static)
            refusal.update("An amendment needs its reason.")
            refusal.display = True
            self.query_one("#pin-reason", Input).focus()
            return
        if event.value:
            self.dismiss(PinEntry(event.value, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
