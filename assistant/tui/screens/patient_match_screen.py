"""Is this the patient the record already knows? The register's suggestions, each with the
identifiers that tell people apart (name, date of birth, clinic number, last visit, last zones).

Nothing of a suggested patient is used before a person answers here: "Yes, this is her" attaches the
consult to that patient (her earlier doses count, her last treatment is pre-filled); "No, a different
person" keeps the consult apart. No row is highlighted at first, so a key typed ahead for the next
question cannot answer this one; Esc closes the list undecided (it is asked again before planning).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.lifecycle.register import Identity, Suggestion

NEW_PATIENT = "new-patient"
"""What the screen is dismissed with for "No, a different person" (else a patient key, or None)."""


def suggestion_text(suggestion: Suggestion) -> Text:
    patient = suggestion.patient
    born = patient.date_of_birth.isoformat() if patient.date_of_birth else "not recorded"
    number = patient.clinic_number or "none"
    last = suggestion.last_date.isoformat() if suggestion.last_date else "no visit yet"
    zones = ", ".join(suggestion.last_zones) or "none given"
    text = Text()
    text.append(f"Yes, this is her: {patient.name}\n", style="bold")
    text.append(f"  born {born} · clinic number {number}\n  last visit {last} · last zones {zones}\n")
    text.append(f"  ({suggestion.why})", style="italic")
    return text


class PatientMatchScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "undecided", "Decide later", show=False)]

    def __init__(self, identity: Identity) -> None:
        super().__init__()
        self.identity = identity

    def compose(self) -> ComposeResult:
        count = len(self.identity.suggestions)
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                f"{self.identity.identifiers.words()} may be {'a patient' if count == 1 else 'one of the patients'} "
                "the record already knows. Use the arrows to pick the right line, then Enter.",
                id="dialog-message",
                markup=False,
            )
            options = [Option(suggestion_text(s), id=s.patient.patient_key) for s in self.identity.suggestions]
            options.append(Option(Text("No, a different person", style="bold"), id=NEW_PATIENT))
            yield OptionList(*options, id="patient-matches", markup=False)

    def on_mount(self) -> None:
        matches = self.query_one(OptionList)
        matches.highlighted = None  # nothing is chosen by an Enter typed ahead
        matches.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_undecided(self) -> None:
        self.dismiss(None)
