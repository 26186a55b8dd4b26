"""Is this the patient the record already knows? The register's suggestions, each with the
identifiers that tell people apart (name, date of birth, clinic number, last visit, last zones).

Nothing of a suggested patient is used before a person answers here: "Yes, this is her" attaches the
consult to that patient (her earlier doses count, her last treatment is pre-filled); "No, a different
person" keeps the consult apart. No row is highlighted at first, and the keys typed before it
appeared are set aside for the consult and given back to it once the list closes, so no key typed
ahead for the next questions (an arrow and Enter for "male") can answer this one; Esc closes the
list undecided (it is asked again before planning).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.advice import zone_names
from assistant.core.knowledge import KnowledgeBase
from assistant.core.lifecycle.register import Identity, Suggestion
from assistant.tui.screens.typed_ahead import give_back_all, set_aside
from assistant.tui.texts import NEW_PATIENT  # what it is dismissed with for "No, a different person"


def suggestion_text(suggestion: Suggestion, kb: KnowledgeBase) -> Text:
    patient = suggestion.patient
    born = patient.date_of_birth.isoformat() if patient.date_of_birth else "not recorded"
    number = patient.clinic_number or "none"
    text = Text()
    text.append(f"Yes, this is her: {patient.name}\n", style="bold")
    text.append(f"  born {born} · clinic number {number}\n  {last_treatment(suggestion, kb)}\n")
    text.append(f"  ({suggestion.why})", style="italic")
    return text


def last_treatment(suggestion: Suggestion, kb: KnowledgeBase) -> str:
    """Her last visit and the zones last given, as people say them (not as codes); said in words when
    she has had no visit, or visits where nothing was given."""
    if suggestion.last_date is None:
        return "no visit yet"
    zones = zone_names(kb, suggestion.last_zones)
    given = f"last zones {zones}" if zones else "no doses given yet"
    return f"last visit {suggestion.last_date.isoformat()} · {given}"


class PatientMatchScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "undecided", "Decide later", show=False)]

    def __init__(self, identity: Identity, kb: KnowledgeBase, typed: str | None = None) -> None:
        """``typed``: the name as the consult has it. The register matches names with their spaces tidied
        ("Kim  Minji" is its Kim Minji) and the suggestions are written as it writes them, but the consult
        keeps what was typed until she is linked: the question says that name as typed, not squeezed."""
        super().__init__()
        self.identity = identity
        self.kb = kb
        self.asked = identity.identifiers.model_copy(update={"name": typed}) if typed else identity.identifiers
        self.typed_ahead: list[events.Key] = []
        """Keys typed before the list appeared, meant for the consult: given back when it closes."""

    def compose(self) -> ComposeResult:
        count = len(self.identity.suggestions)
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                f"{self.asked.words()} may be {'a patient' if count == 1 else 'one of the patients'} "
                "the record already knows. Use the arrows to pick the right line, then Enter.",
                id="dialog-message",
                markup=False,
            )
            options = [Option(suggestion_text(s, self.kb), id=s.patient.patient_key) for s in self.identity.suggestions]
            options.append(Option(Text("No, a different person", style="bold"), id=NEW_PATIENT))
            yield OptionList(*options, id="patient-matches", markup=False)

    def on_mount(self) -> None:
        matches = self.query_one(OptionList)
        matches.highlighted = None  # nothing is chosen by an Enter typed ahead
        matches.focus()
        self.typed_ahead = set_aside(self.app)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._close(event.option.id)

    def action_undecided(self) -> None:
        self._close(None)

    def _close(self, answer: str | None) -> None:
        """Closed with an answer (or undecided): the keys typed ahead go on to the consult."""
        give_back_all(self.app, self.typed_ahead)
        self.typed_ahead = []
        self.dismiss(answer)
