"""First run: the clinic's name, phone, dilution, price and currency, asked once and saved as the
user's clinic.toml (``botulax-consult setup`` asks the same on the command line); the palette's
"Clinic settings" opens it again. Saving is ``save``'s (``collaborators/settings_signing.py``): once the
record has staff accounts a medical director signs with their PIN. A refusal is shown here and the
screen keeps what was typed.

At first run the screen opens by itself over the consult a moment after launch, when the person may
already be typing the patient's name without looking up (``typed_ahead.py``). So it first only
offers: Enter (or a click) opens the fields, Esc leaves them for now, and a key that types text is
the consult's: the offer closes and the key goes on to the consult, so a name is never typed into
"Clinic name" and a date of birth never into "Phone"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from assistant.files.clinic_writer import ABOUT, FIELDS, settings_from
from assistant.settings import ClinicSettings
from assistant.tui.screens.typed_ahead import PassOn, give_back, typed_for_the_consult

if TYPE_CHECKING:
    from assistant.tui.collaborators.settings_signing import Outcome, Saved

Save = Callable[[ClinicSettings, ClinicSettings], Awaitable["Outcome"]]
"""(the settings in use, the settings typed) -> saved, or the sentence saying why not."""

OFFER = (
    "No clinic settings are set yet: documents print “Our clinic” and no phone. "
    "Enter sets them now; Esc leaves them for now (asked again at the next start). "
    "Anything else typed goes on with the consult."
)


class SetupScreen(ModalScreen[ClinicSettings | None]):
    BINDINGS = [Binding("escape", "later", "Not now", show=False)]

    def __init__(
        self,
        current: ClinicSettings,
        shown: dict[str, str],
        save: Save,
        *,
        first_run: bool = False,
        pass_on: PassOn | None = None,
    ) -> None:
        """``shown``: each field's text before anything is typed (see ``clinic_writer.defaults``);
        ``first_run``: opened by itself, so it offers first (see the module's docstring)."""
        super().__init__()
        self.current = current
        self.shown = shown
        self.saver = save
        self.first_run = first_run
        self.pass_on = pass_on
        self.offering = first_run
        """The first-run offer is up: the fields are not open to typing yet."""
        self.typed_away = False
        """Closed because a key typed was the consult's, not the dialog's."""
        self.saved: Saved | None = None
        self.saving = False
        """A save under way: Enter again and Esc wait for its outcome (saved, or why not)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="-wide -offering" if self.offering else "-wide"):
            yield Static(OFFER if self.offering else self._about(), id="dialog-message", markup=False)
            if self.offering:
                with Horizontal(id="dialog-buttons"):
                    yield Button("Set them now (Enter)", id="setup-open", variant="primary")
                    yield Button("Not now (Esc)", id="setup-later")
            for field, words in FIELDS.items():
                with Horizontal(classes="setup-row"):
                    yield Label(words, markup=False)
                    yield Input(
                        self.shown.get(field, ""), id=f"setup-{field}", select_on_focus=True, disabled=self.offering
                    )
            yield Static("", id="setup-problems", markup=False)

    def _about(self) -> str:
        return (
            f"{ABOUT} Enter moves to the next line and saves after the last; Esc leaves them as they are"
            + (" (asked again at the next start)." if self.first_run else ".")
            + " Once the record has staff accounts, saving asks for a medical director's PIN."
        )

    def on_mount(self) -> None:
        if self.offering:
            self.query_one("#setup-open", Button).focus()
        else:
            self.query_one(Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "setup-open":
            self._open_fields()
        elif event.button.id == "setup-later":
            self.action_later()

    def _open_fields(self) -> None:
        """The offer taken: the fields open, the first one focused."""
        self.offering = False
        self.query_one("#dialog-buttons").remove()
        self.query_one("#dialog").remove_class("-offering")
        self.query_one("#dialog-message", Static).update(self._about())
        for field in self.query(Input):
            field.disabled = False
        self.query_one(Input).focus()

    def on_key(self, event: events.Key) -> None:
        """At the offer, a key that types text was typed for the consult: it goes on there."""
        if not self.offering or self.pass_on is None or not typed_for_the_consult(event):
            return  # Enter, Esc, Tab, the palette, quitting do what they do anywhere
        give_back(event, self.pass_on)
        self.typed_away = True
        self.offering = False
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            inputs[position + 1].focus()
            return
        self.save()

    def save(self) -> None:
        typed = {field: self.query_one(f"#setup-{field}", Input).value for field in FIELDS}
        settings, problems = settings_from(typed, self.current)
        if settings is None:
            self._refused("Not saved:\n" + "\n".join(problems))
            wrong = next((f for f, words in FIELDS.items() if any(p.startswith(f"{words}:") for p in problems)), None)
            if wrong is not None:  # the cursor to the first field refused, its text selected to type over
                self.query_one(f"#setup-{wrong}", Input).focus()
            return
        if self.saving:
            return
        self.saving = True
        # A worker: the director's PIN is a dialog of its own, whose keys this screen's queue must not hold.
        self.run_worker(self._save(settings), name="save-settings", group="save-settings", exit_on_error=False)

    async def _save(self, settings: ClinicSettings) -> None:
        try:
            outcome = await self.saver(self.current, settings)
        finally:
            self.saving = False
        if isinstance(outcome, str):
            self._refused(outcome)
            return
        self.saved = outcome
        self.dismiss(settings)

    def _refused(self, sentence: str) -> None:
        shown = self.query_one("#setup-problems", Static)
        shown.update(sentence)
        shown.add_class("-problems")
        self.call_after_refresh(shown.scroll_visible)  # once laid out at its new height: at 80x24 it is below the fold

    def action_later(self) -> None:
        if not self.saving:
            self.dismiss(None)
