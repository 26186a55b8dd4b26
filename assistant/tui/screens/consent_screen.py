"""Recording the patient's signed consent: the form in use (its version), the witness's name, whether
the photo consent was signed too, and the PIN of the staff member signed in (a signed act, like give).

Enter moves from the witness to photos to the PIN; Esc leaves without recording anything. A wrong
PIN shows this screen again, the witness and photos as typed (``again``), the refusal under the PIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

YES, NO = ("y", "yes", "예", "네"), ("n", "no", "아니요", "")


@dataclass(frozen=True)
class ConsentEntry:
    witness: str
    photos: bool
    pin: str


class ConsentScreen(ModalScreen[ConsentEntry | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, message: str, again: ConsentEntry | None = None, refusal: str | None = None) -> None:
        super().__init__()
        self.message = message
        self.again = again
        self.refusal = refusal

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self.message, id="dialog-message", markup=False)
            again = self.again
            witness, photos = (again.witness, "y" if again.photos else "n") if again else ("", "")
            yield Input(witness, placeholder="Witness: the name of who saw the patient sign", id="consent-witness")
            yield Input(photos, placeholder="Photo consent signed too? y or n (default n)", id="consent-photos")
            yield Input(placeholder="PIN", password=True, id="consent-pin")
            yield Static(self.refusal or "", id="consent-refusal", markup=False)

    def on_mount(self) -> None:
        self.query_one("#consent-refusal", Static).display = self.refusal is not None
        self.query_one("#consent-pin" if self.again else "#consent-witness", Input).focus()

    def _refuse(self, words: str, field: str) -> None:
        refusal = self.query_one("#consent-refusal", Static)
        refusal.update(words)
        refusal.display = True
        self.query_one(field, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        witness = self.query_one("#consent-witness", Input).value.strip()
        photos = self.query_one("#consent-photos", Input).value.strip().lower()
        if event.input.id == "consent-witness":
            self.query_one("#consent-photos", Input).focus()
            return
        if photos not in YES + NO:
            self._refuse("Photos: type y (the photo consent was signed too) or n.", "#consent-photos")
            return
        if event.input.id == "consent-photos":
            self.query_one("#consent-pin", Input).focus()
            return
        if not witness:
            self._refuse("The witness's name is needed: the person who saw the patient sign.", "#consent-witness")
            return
        if event.value:
            self.dismiss(ConsentEntry(witness, photos in YES, event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
